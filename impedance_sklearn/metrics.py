"""Aliases: the documented home of the metrics (``impedance_sklearn.metrics``).

Nothing is implemented here: :mod:`impedance_sklearn.evaluation.metrics` holds the paper's
per-trace metrics (Pearson correlation, relative L1 and L2, MAE, RMSE, r2) and their scorers,
usable as ``scoring=`` names or objects.
"""

from impedance_sklearn.evaluation.metrics import (
    SCORERS,
    get_scorer,
    get_scorer_names,
    r2,
    relative_l1,
    relative_l2,
    trace_mae,
    trace_pcc,
    trace_rmse,
)

__all__ = ["trace_pcc", "relative_l2", "relative_l1", "trace_mae", "trace_rmse", "r2", "SCORERS",
           "get_scorer", "get_scorer_names"]
