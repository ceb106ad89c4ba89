"""Shared conventions for every trace-to-trace estimator in the package.

One array convention everywhere: X (seismic) and y (impedance) are 2-D float arrays with one
trace per row and time down the columns. An estimator maps each row of X to a row of y.

The output length of a fitted estimator is the number of columns of the ``y`` it was fitted on
(``n_outputs_``). Usually that equals the number of samples of X; when it does not (an impedance
log sampled coarser or finer than the seismic, or scikit-learn's estimator checks, which pass y of
shape (n, 1)), the estimator's trace-length output is resampled to ``n_outputs_`` by
:func:`impedance_sklearn.physics.transforms.resample_traces`:

* fewer output samples than input samples: block averages over equal-width bins (the semantics of
  ``torch.nn.functional.adaptive_avg_pool1d``), i.e. the arithmetic mean of the impedance over each
  coarser sample;
* more output samples: linear interpolation at the sample centres (the semantics of
  ``torch.nn.functional.interpolate(mode="linear", align_corners=False)``).

A 1-D y is treated as one output sample per trace (shape (n, 1)) and predictions are returned 1-D
again, as scikit-learn does for single-output regressors.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
from scipy.ndimage import gaussian_filter1d
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _num_samples, check_is_fitted, validate_data

from impedance_sklearn._validation import check_estimator_input, check_magnitude
from impedance_sklearn.physics.transforms import resample_traces

__all__ = ["TraceRegressorMixin", "SklearnNeuralNetMixin", "TorchClass"]


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
        check_estimator_input(X, "X")
        check_estimator_input(y, "y", allow_1d=True)
        n_x, n_y = _num_samples(X), _num_samples(y)
        if n_x != n_y:
            raise ValueError(
                f"X has {n_x} traces but y has {n_y}; expected one impedance trace per "
                "seismic trace (rows of the same length)."
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
        check_magnitude(X, "X")
        check_magnitude(Y, "y")
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
        check_estimator_input(X, "X")
        X = validate_data(self, X, reset=False, dtype=list(dtype))
        check_magnitude(X, "X")
        return X

    def _format_prediction(self, Y):
        """Resample (n, L) trace outputs to ``n_outputs_`` samples, float64, 1-D if y was."""
        Y = resample_traces(np.asarray(Y, dtype=np.float64), self.n_outputs_)
        if getattr(self, "_y_was_1d", False):
            return Y[:, 0]
        return Y


def _smooth(A, sigma):
    """Gaussian smoothing of rows (``sigma`` in samples, 0 = identity), edges held constant."""
    if sigma == 0 or A.shape[-1] < 2:
        return np.array(A, dtype=np.float64)
    return gaussian_filter1d(np.asarray(A, dtype=np.float64), float(sigma), axis=-1, mode="nearest")


class _TraceInversion(TraceRegressorMixin, BaseEstimator):
    """Common fit/predict scaffolding of the classical inversions (private).

    Subclasses implement ``_fit_model(X, M)`` (X on the seismic grid, M the model traces on the
    same grid, ``self.background_`` set) and ``_predict_model(X)`` returning model traces.
    """

    _parameter_constraints: dict = {
        "background_sigma": [Interval(numbers.Real, 0, None, closed="left")],
        "domain": [StrOptions({"auto", "log", "linear"})],
    }

    def _model_from_impedance(self, Y):
        if self.domain == "log" or (self.domain == "auto" and np.all(Y > 0)):
            if np.any(Y <= 0):
                raise ValueError(
                    "domain='log' needs strictly positive impedance y; got values <= 0 "
                    f"(min {Y.min():.6g}). Use domain='linear' or 'auto'."
                )
            self.domain_ = "log"
            return np.log(Y)
        self.domain_ = "linear"
        return np.array(Y, dtype=np.float64)

    def _impedance_from_model(self, M):
        if self.domain_ == "log":
            return np.exp(np.clip(M, *self._model_clip))
        return M

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the inversion to training pairs.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces, one per row.
        y : array-like of shape (n_traces, n_samples_y) or (n_traces,)
            Impedance traces on the same time span (any sampling; resampled to ``n_samples``).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._fit_pairs(X, y)
        return self

    def _fit_pairs(self, X, y):
        """Validate the pairs, fit the domain, clip range, background and model; return the
        model traces of y on X's grid (log-impedance in the log domain)."""
        X, Y = self._validate_fit_data(X, y)
        X = np.asarray(X, dtype=np.float64)
        Y = resample_traces(np.asarray(Y, dtype=np.float64), X.shape[1])
        M = self._model_from_impedance(Y)
        lo, hi = float(M.min()), float(M.max())
        span = max(hi - lo, 1.0)
        self._model_clip = (lo - span, hi + span)
        self.background_ = _smooth(M.mean(axis=0), self.background_sigma)
        self._fit_model(X, M)
        return M

    def predict(self, X):
        """Invert seismic traces to impedance.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces with as many samples as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_traces, n_outputs_) or (n_traces,)
            Impedance in the units of the training ``y``.
        """
        X = self._validate_predict_data(X)
        M = self._predict_model(np.asarray(X, dtype=np.float64))
        return self._format_prediction(self._impedance_from_model(M))


class TorchClass(HasMethods):
    """A parameter constraint: a subclass of ``base`` (e.g. ``torch.optim.Optimizer``), or a
    callable that is not a class (a ``functools.partial`` of one).

    A :class:`~sklearn.utils._param_validation.HasMethods` by type, so that scikit-learn's
    ``_parameter_constraints`` machinery accepts it; only the test and the message differ.
    """

    def __init__(self, base, example):
        super().__init__([])
        self.base, self.example = base, example

    def is_satisfied_by(self, val):
        if isinstance(val, type):
            return issubclass(val, self.base)
        return callable(val) and not isinstance(val, str)

    def __str__(self):
        kind = "optimizer" if "optim" in self.base.__module__ else "loss"
        return f"a torch {kind} class such as {self.example}"


class SklearnNeuralNetMixin:
    """The one workaround a skorch net needs to pass scikit-learn's estimator checks (private).

    Put it before the skorch class in the bases. scikit-learn wants ``__init__`` to store the
    parameters and nothing else, and ``set_params`` to store what ``fit`` validates; skorch's
    ``NeuralNet.__init__`` also sets ``history_``, ``initialized_``, ``virtual_params_`` and the
    ``module`` it is given, lists its private ``_params_to_validate`` among the parameters, and
    builds the callbacks in ``set_params``. This mixin calls ``NeuralNet.__init__`` and then
    moves those attributes back to their class-level defaults (skorch's ``initialize`` sets them
    on the instance again), leaves private names out of the parameters, and lets ``set_params``
    store ``callbacks`` (checked in ``fit``). The subclass's own parameters are set on the
    instance before calling ``super().__init__``.
    """

    initialized_ = False
    history_ = None
    virtual_params_ = None  # replaced by an empty read-only mapping below

    def __init__(self, **kwargs):
        super().__init__(module=type(self).module, **kwargs)
        for name in ("history_", "initialized_", "virtual_params_", "module"):
            vars(self).pop(name, None)

    def _validate_params(self):
        """scikit-learn's check of ``_parameter_constraints`` (``@_fit_context`` calls it), then
        skorch's of the routed names once the modules they route to exist (``initialize``
        calls it then)."""
        BaseEstimator._validate_params(self)
        if getattr(self, "_modules", None):
            super()._validate_params()

    def _get_param_names(self):
        return sorted(k for k in vars(self) if not k.endswith("_") and not k.startswith("_"))

    def set_params(self, **params):
        """Set parameters (skorch's ``set_params``; ``callbacks`` itself is checked in ``fit``).

        Returns
        -------
        self
        """
        if "callbacks" in params:
            self.callbacks = params.pop("callbacks")
        if params:
            super().set_params(**params)
        return self


class EmptyMapping(Mapping):
    """Read-only, always-empty class-level default for skorch's ``virtual_params_``."""

    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


SklearnNeuralNetMixin.virtual_params_ = EmptyMapping()
