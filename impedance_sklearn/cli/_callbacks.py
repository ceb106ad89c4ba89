"""skorch callbacks of the command line: an epoch progress bar and a held-out validation loss."""

from __future__ import annotations

import numpy as np
from skorch.callbacks import Callback

__all__ = ["EpochProgress", "ValidationLoss"]


class EpochProgress(Callback):
    """One tqdm bar over the training epochs (on stderr), with the last losses."""

    def __init__(self, quiet=False):
        self.quiet = quiet

    def initialize(self):
        self.bar_ = None
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        import sys

        from tqdm.auto import tqdm

        self.bar_ = tqdm(total=net.max_epochs, disable=self.quiet, file=sys.stderr,
                         dynamic_ncols=True, desc="epochs", unit="epoch")

    def on_epoch_end(self, net, **kwargs):
        if self.bar_ is not None:
            row = net.history[-1]
            post = {k: f"{row[k]:.4g}" for k in ("train_loss", "valid_loss") if k in row}
            self.bar_.set_postfix(post, refresh=False)
            self.bar_.update(1)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        if self.bar_ is not None:
            self.bar_.close()
            self.bar_ = None


class ValidationLoss(Callback):
    """Record ``valid_loss`` (MSE, as the training loss) on a held-out set after each epoch.

    The paper's loss figure shows training and validation loss; ImpedanceCNN trains on every
    trace it is given (``train_split=None``), so the demo scores a separate generated set.
    """

    def __init__(self, X, y):
        self.X, self.y = X, y

    def on_epoch_end(self, net, **kwargs):
        import torch

        # predict's DataLoader draws a seed from torch's global RNG; without fork_rng, watching
        # the validation loss would change the next epochs' shuffling and so the trained net.
        with torch.random.fork_rng():
            pred = np.asarray(net.predict(self.X))
        net.history.record("valid_loss", float(np.mean((pred - self.y) ** 2)))
