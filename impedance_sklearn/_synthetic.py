"""The paper's synthetic data recipe (placeholder; being written)."""


def make_impedance_dataset(*args, **kwargs):
    raise NotImplementedError("make_impedance_dataset is being written")
