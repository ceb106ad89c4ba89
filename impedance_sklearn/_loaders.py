"""File loaders (placeholder; being written)."""


def load_mat(*args, **kwargs):
    raise NotImplementedError


def load_npz(*args, **kwargs):
    raise NotImplementedError


def save_npz(*args, **kwargs):
    raise NotImplementedError
