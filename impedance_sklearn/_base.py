"""Shared conventions for every trace-to-trace estimator in the package.

One array convention everywhere: X (seismic) and y (impedance) are 2-D float arrays with one
trace per row and time down the columns. An estimator maps each row of X to a row of y.

The output length of a fitted estimator is the number of columns of the ``y`` it was fitted on
(``n_outputs_``). Usually that equals the number of samples of X; when it does not (an impedance
log sampled coarser or finer than the seismic, or scikit-learn's estimator checks, which pass y of
shape (n, 1)), the estimator's trace-length output is resampled to ``n_outputs_`` by
:func:`resample_traces`:

* fewer output samples than input samples: block averages over equal-width bins (the semantics of
  ``torch.nn.functional.adaptive_avg_pool1d``), i.e. the arithmetic mean of the impedance over each
  coarser sample;
* more output samples: linear interpolation at the sample centres (the semantics of
  ``torch.nn.functional.interpolate(mode="linear", align_corners=False)``).

A 1-D y is treated as one output sample per trace (shape (n, 1)) and predictions are returned 1-D
again, as scikit-learn does for single-output regressors.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["TraceRegressorMixin", "resample_traces"]


def resample_traces(A, n_out):
    """Resample each row of ``A`` (n_traces, n_in) to ``n_out`` samples.

    Downsampling averages equal-width bins (adaptive average pooling); upsampling interpolates
    linearly at sample centres (``align_corners=False``). ``n_out == n_in`` returns ``A`` itself.

    Parameters
    ----------
    A : ndarray of shape (n_traces, n_in)
    n_out : int >= 1

    Returns
    -------
    ndarray of shape (n_traces, n_out)

    Examples
    --------
    >>> import numpy as np
    >>> resample_traces(np.array([[1.0, 2.0, 3.0, 4.0]]), 2)
    array([[1.5, 3.5]])
    >>> resample_traces(np.array([[0.0, 2.0]]), 4)
    array([[0. , 0.5, 1.5, 2. ]])
    """
    A = np.asarray(A)
    n_in = A.shape[-1]
    n_out = int(n_out)
    if n_out < 1:
        raise ValueError(f"n_out must be >= 1, got {n_out}.")
    if n_out == n_in:
        return A
    if n_out < n_in:
        # adaptive average pooling: bin i covers [floor(i*n_in/n_out), ceil((i+1)*n_in/n_out))
        i = np.arange(n_out)
        start = (i * n_in) // n_out
        stop = -((-(i + 1) * n_in) // n_out)
        csum = np.concatenate([np.zeros(A.shape[:-1] + (1,), A.dtype), np.cumsum(A, axis=-1)], -1)
        return (csum[..., stop] - csum[..., start]) / (stop - start)
    # linear interpolation, align_corners=False, edges clamped
    scale = n_in / n_out
    x = np.clip((np.arange(n_out) + 0.5) * scale - 0.5, 0, n_in - 1)
    lo = np.floor(x).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    w = (x - lo).astype(A.dtype)
    return A[..., lo] * (1 - w) + A[..., hi] * w


class TraceRegressorMixin(RegressorMixin):
    """Mixin for trace-to-trace regressors: tags, validation and output shaping.

    Subclasses call :meth:`_validate_fit_data` at the start of ``fit`` and
    :meth:`_validate_predict_data` / :meth:`_format_prediction` in ``predict``.

    ``_min_trace_length`` (a property or attribute of the subclass, default 1) is the shortest
    trace the method accepts; shorter traces raise a ``ValueError`` naming the minimum.
    """

    _min_trace_length = 1

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        # A sequence-to-sequence model fitted to sklearn's tabular check data (y of one column,
        # unrelated to the trace) is not expected to reach r2 > 0.5.
        tags.regressor_tags.poor_score = True
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags

    def _validate_fit_data(self, X, y, dtype=(np.float64, np.float32)):
        """Validate (X, y) for fit; returns X (n, n_samples) and Y (n, n_outputs), both float.

        Sets ``n_features_in_`` (samples per seismic trace), ``n_outputs_`` (samples per impedance
        trace) and remembers whether y was 1-D.
        """
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None: "
                "pass impedance traces of shape (n_traces, n_samples), one row per seismic "
                "trace in X."
            )
        X, y = validate_data(
            self,
            X,
            y,
            dtype=list(dtype),
            multi_output=True,
            y_numeric=True,
            ensure_min_features=self._min_trace_length,
        )
        y = np.asarray(y)
        if not np.issubdtype(y.dtype, np.floating):
            y = y.astype(np.float64)
        if y.ndim > 2:
            raise ValueError(f"y must be 1-D or 2-D (n_traces, n_samples), got shape {y.shape}.")
        self._y_was_1d = y.ndim == 1
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if Y.shape[1] < 1:
            raise ValueError(f"y has no samples per trace (shape {y.shape}); expected at least 1.")
        self.n_outputs_ = Y.shape[1]
        return X, Y

    def _validate_predict_data(self, X, dtype=(np.float64, np.float32)):
        """Check fitted, validate X for predict (same trace length as in fit).

        The ``n_features_in_`` check enforces the fitted trace length (itself at least
        ``_min_trace_length``), with scikit-learn's "X has N features" message.
        """
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=list(dtype))

    def _format_prediction(self, Y):
        """Resample (n, L) trace outputs to ``n_outputs_`` samples, float64, 1-D if y was."""
        Y = resample_traces(np.asarray(Y, dtype=np.float64), self.n_outputs_)
        if getattr(self, "_y_was_1d", False):
            return Y[:, 0]
        return Y
