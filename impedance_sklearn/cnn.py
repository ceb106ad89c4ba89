"""The Das et al. (2019) 1-D CNN: a torch module and a scikit-learn estimator (skorch).

* :class:`ImpedanceModule` -- the seed's two-layer network (``Conv1d(1 -> n_filters, k)`` + ReLU,
  ``Conv1d(n_filters -> 1, k)`` + output activation) whose output has the input's length for every
  kernel size and every trace length, computed by direct or FFT convolution. It lives in
  :mod:`impedance_sklearn.nn` (with its padding scheme and FFT convolution) and is
  re-exported here with :func:`same_padding` and :func:`resample_torch`.
* :class:`ImpedanceCNN` -- the module as a scikit-learn regressor, a thin subclass of
  :class:`skorch.NeuralNetRegressor` following the package's trace-regressor contract
  (:mod:`impedance_sklearn._base`).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import torch
from sklearn.utils import check_array, check_consistent_length, check_random_state
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from skorch import NeuralNet, NeuralNetRegressor
from skorch.dataset import Dataset
from torch.utils.data import DataLoader

from impedance_sklearn._base import TraceRegressorMixin
from impedance_sklearn.nn import (  # re-exported
    ImpedanceModule,
    resample_torch,
    same_padding,
)

__all__ = ["ImpedanceModule", "ImpedanceCNN", "same_padding", "resample_torch"]


def _check_device(device):
    """Return ``device`` if torch can use it here, else raise a ValueError naming it."""
    if device is None:
        return device
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device; expected 'cpu', 'cuda', 'cuda:N', 'mps' "
            "or None."
        ) from exc
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} but CUDA is not available with this torch build "
                f"({torch.__version__}); use device='cpu' or install a CUDA build of torch."
            )
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ValueError(
                f"device={device!r} but only {torch.cuda.device_count()} CUDA device(s) exist."
            )
    elif dev.type == "mps":
        if not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
            raise ValueError(f"device={device!r} but MPS is not available on this machine.")
    elif dev.type != "cpu":
        raise ValueError(
            f"device={device!r} is not supported; expected 'cpu', 'cuda', 'cuda:N', 'mps' or None."
        )
    return device


def _as_float32(A):
    """C-contiguous, writeable float32 (torch warns on read-only arrays such as memmaps)."""
    A = np.ascontiguousarray(A, dtype=np.float32)
    return A if A.flags.writeable else A.copy()


class _EmptyMapping(Mapping):
    """Read-only, always-empty class-level default for skorch's ``virtual_params_``."""

    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


class ImpedanceCNN(TraceRegressorMixin, NeuralNetRegressor):
    """The Das et al. (2019) CNN as a scikit-learn regressor: seismic traces -> impedance traces.

    A thin subclass of :class:`skorch.NeuralNetRegressor` training :class:`ImpedanceModule`
    with the MSE loss. ``X`` is (n_traces, n_samples) seismic, ``y`` (n_traces, n_outputs)
    impedance (the paper divides it by 1e6); any float dtype is accepted and cast to float32
    for the network; ``predict`` returns float64 of y's shape (1-D if y was 1-D).

    Defaults follow the seed (kernel 300, 60 filters, Adam, lr 1e-3, MSE, ReLU output) except
    the batch size and the number of epochs, chosen by measurement (see the Notes): the seed's
    batch 1 x 500 epochs (260,000 single-trace steps for 520 traces) take 45 to 100 minutes on
    2 CPU cores and end at a validation MSE of 0.465; ``batch_size=16, max_epochs=150`` end at
    the same loss (0.465, mean of 3 seeds) with 1/30 of the optimizer steps, in 37 s on the
    machine where the seed took 100 minutes (520 traces of 331 samples).

    Parameters
    ----------
    kernel_size : int, default=300
        Length of both convolution kernels (samples). Traces must have at least this many
        samples.
    n_filters : int, default=60
        Channels of the hidden layer.
    output_activation : {"relu", "linear"} or None, default="relu"
        Activation of the output layer. Use ``"linear"`` when y is standardised (e.g. inside a
        :class:`~sklearn.compose.TransformedTargetRegressor`).
    conv_mode : {"auto", "direct", "fft"}, default="auto"
        Convolution algorithm (same function to float32 round-off); see
        :class:`ImpedanceModule`.
    lr : float, default=1e-3
        Learning rate of the optimizer.
    max_epochs : int, default=150
        Passes over the training traces in each ``fit``.
    batch_size : int, default=16
        Traces per optimizer step (also per forward pass in ``predict``).
    optimizer : torch optimizer class, default=torch.optim.Adam
    criterion : torch loss class, default=torch.nn.MSELoss
    random_state : int, RandomState instance or None, default=None
        Seeds torch's generator for the weight initialisation and the batch shuffling inside
        ``fit`` (the global torch RNG state is restored afterwards), so that two fits with the
        same integer are bit-for-bit identical on the CPU. None: torch's global RNG is used.
    device : str or None, default="cpu"
        ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"mps"``; checked in ``fit`` (a device torch
        cannot use raises a ValueError).
    train_split : callable or None, default=None
        skorch's internal validation split. None trains on every trace given (sklearn style;
        use cross-validation outside). ``skorch.dataset.ValidSplit(0.2)`` records a
        ``valid_loss`` per epoch in ``history_``.
    callbacks : list of (name, callback) or None, default=None
        Extra skorch callbacks (e.g. ``skorch.callbacks.EarlyStopping``).
    warm_start : bool, default=False
        If True, ``fit`` continues from the current weights instead of re-initialising.
    verbose : int, default=0
        skorch's per-epoch log (0: silent).
    iterator_train, iterator_valid, dataset, predict_nonlinearity, compile, use_caching, \
torch_load_kwargs
        As in :class:`skorch.NeuralNet`.
    **kwargs
        skorch's routed parameters, e.g. ``iterator_train__shuffle=False`` or
        ``optimizer__weight_decay=1e-4``.

    Attributes
    ----------
    module_ : ImpedanceModule
        The trained network.
    n_features_in_ : int
        Samples per seismic trace seen in ``fit``; ``predict`` requires the same length (the
        network itself is length-agnostic, but scikit-learn's ``n_features_in_`` contract
        requires a ValueError; resample or refit for other lengths).
    n_outputs_ : int
        Samples per impedance trace of the fitted y; the network's output is resampled to it.
    history_ : skorch.History
        Per-epoch losses and timings.

    Notes
    -----
    How the defaults were chosen (``make_impedance_dataset(1020, random_state=0)``: 520
    training and 500 validation traces of 331 samples, impedance / 1e6; validation MSE; the
    per-epoch value wanders by about +-0.03, so we quote means over 10 epochs and seeds):

    ============================  =====================================================
    seed schedule (batch 1, in    0.84 after epoch 1, 0.69 at epoch 20, 0.52 at 100, 0.46
    order, Adam 1e-3; 1 run of    at 200, 0.44 at 300, 0.49 at 400, 0.465 at 500; mean of
    the full 500 epochs)          epochs 451-500: 0.461; lowest single epoch 0.41 (307)
    batch 16, shuffled (default;  epochs 11-20: 0.59, 41-50: 0.50, 91-100: 0.478,
    3 seeds)                      141-150: 0.465, 191-200: 0.466 (flat after 150)
    batch 8, shuffled (2 seeds)   0.55, 0.49, 0.471, 0.469, 0.459 (1.5x the time per epoch)
    batch 32, shuffled (1 seed)   0.70, 0.53, 0.486, 0.482, 0.463
    ============================  =====================================================

    Batch 16 reaches the seed's final loss at epoch ~150 and stays there to epoch 200; the
    seed's own curve is flat from epoch ~200 on.

    Training shuffles the traces each epoch (``iterator_train__shuffle=True``), as the seed's
    loop visits them in order but with batch 1. The convolutions run through FFTs on the CPU
    for long kernels (``conv_mode="auto"``), which is what makes the default fit fast; the
    function is the seed's either way.

    Examples
    --------
    >>> import numpy as np
    >>> from impedance_sklearn import ImpedanceCNN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(20, 32))
    >>> y = np.cumsum(X, axis=1) ** 2 / 10 + 3.0
    >>> est = ImpedanceCNN(kernel_size=5, n_filters=4, max_epochs=3, random_state=0).fit(X, y)
    >>> est.predict(X).shape
    (20, 32)
    """

    module = ImpedanceModule
    # skorch keeps these on the instance from __init__; scikit-learn forbids public non-parameter
    # attributes set in __init__, so their initial values live on the class and skorch's
    # initialize() sets them on the instance.
    initialized_ = False
    history_ = None
    virtual_params_ = _EmptyMapping()

    _parameter_constraints = {
        "kernel_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_filters": [Interval(numbers.Integral, 1, None, closed="left")],
        "output_activation": [StrOptions({"relu", "linear"}), None],
        "conv_mode": [StrOptions({"auto", "direct", "fft"})],
        "lr": [Interval(numbers.Real, 0, None, closed="left")],
        "max_epochs": [Interval(numbers.Integral, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"-1"})],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        kernel_size=300,
        n_filters=60,
        output_activation="relu",
        conv_mode="auto",
        lr=1e-3,
        max_epochs=150,
        batch_size=16,
        optimizer=torch.optim.Adam,
        criterion=torch.nn.MSELoss,
        random_state=None,
        device="cpu",
        train_split=None,
        callbacks=None,
        warm_start=False,
        verbose=0,
        iterator_train=DataLoader,
        iterator_valid=DataLoader,
        dataset=Dataset,
        predict_nonlinearity="auto",
        compile=False,
        use_caching="auto",
        torch_load_kwargs=None,
        **kwargs,
    ):
        # Deliberately not calling NeuralNet.__init__: it sets history_/initialized_ on the
        # instance (see the class attributes above). Everything else it does is done here.
        self.kernel_size = kernel_size
        self.n_filters = n_filters
        self.output_activation = output_activation
        self.conv_mode = conv_mode
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.criterion = criterion
        self.random_state = random_state
        self.device = device
        self.train_split = train_split
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.verbose = verbose
        self.iterator_train = iterator_train
        self.iterator_valid = iterator_valid
        self.dataset = dataset
        self.predict_nonlinearity = predict_nonlinearity
        self.compile = compile
        self.use_caching = use_caching
        self.torch_load_kwargs = torch_load_kwargs
        self._params_to_validate = set(kwargs)
        vars(self).update(kwargs)

    # ------------------------------------------------------------------ parameters
    def _get_param_names(self):
        """The signature's parameters plus the routed ``prefix__name`` ones that are set."""
        import inspect

        sig = inspect.signature(type(self).__init__).parameters
        names = [
            p.name for p in sig.values() if p.name != "self" and p.kind != p.VAR_KEYWORD
        ]
        extra = [
            k for k in vars(self)
            if not k.endswith("_") and ("__" in k or k in self._params_to_validate)
        ]
        return sorted(set(names) | set(extra))

    def set_params(self, **params):
        """Set parameters (skorch's ``set_params``; ``callbacks`` itself is checked in ``fit``).

        Returns
        -------
        self
        """
        if "callbacks" in params:
            # skorch initialises the callback list right away, which raises on a bad value;
            # scikit-learn wants set_params to store and fit to validate.
            self.callbacks = params.pop("callbacks")
        if params:
            super().set_params(**params)
        return self

    @property
    def _min_trace_length(self):
        k = self.kernel_size
        return k if isinstance(k, numbers.Integral) and k >= 1 else 1

    def _check_params(self):
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False), type(self).__name__
        )
        _check_device(self.device)

    # ------------------------------------------------------------------ skorch hooks
    def get_iterator(self, dataset, training=False):
        """skorch's iterator, shuffling the training traces unless told otherwise."""
        if training and "iterator_train__shuffle" not in vars(self):
            kwargs = self.get_params_for("iterator_train")
            kwargs.setdefault("batch_size", self.batch_size)
            if kwargs["batch_size"] == -1:
                kwargs["batch_size"] = len(dataset)
            return self.iterator_train(dataset, shuffle=True, **kwargs)
        return super().get_iterator(dataset, training=training)

    def initialize_module(self):
        """Build :class:`ImpedanceModule` from the flat parameters (and ``module__*``)."""
        kwargs = {
            "kernel_size": self.kernel_size,
            "n_filters": self.n_filters,
            "output_activation": self.output_activation,
            "conv_mode": self.conv_mode,
            "n_outputs": getattr(self, "n_outputs_", None),
        }
        kwargs.update(self.get_params_for("module"))
        self.module_ = self.module(**kwargs)
        return self

    def __sklearn_is_fitted__(self):
        return bool(self.initialized_) and hasattr(self, "n_features_in_")

    # ------------------------------------------------------------------ fit / predict
    def _seed_context(self):
        """``fork_rng`` seeded from ``random_state`` (or a no-op when it is None)."""
        import contextlib

        if self.random_state is None:
            return contextlib.nullcontext()
        seed = int(check_random_state(self.random_state).randint(0, 2**31 - 1))
        devices = []
        if self.device is not None and torch.device(self.device).type == "cuda":
            dev = torch.device(self.device)
            devices = [dev.index if dev.index is not None else torch.cuda.current_device()]

        @contextlib.contextmanager
        def ctx():
            with torch.random.fork_rng(devices=devices):
                torch.manual_seed(seed)
                yield

        return ctx()

    def _prepare(self, X, y, reset):
        self._check_params()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None; "
                "expected impedance traces of shape (n_traces, n_samples)."
            )
        if reset:
            X, Y = self._validate_fit_data(X, y)
        else:
            was_1d = self._y_was_1d
            n_out = self.n_outputs_
            X = self._validate_predict_data(X)
            Y = check_array(y, ensure_2d=False, dtype=[np.float64, np.float32], input_name="y")
            if Y.ndim > 2:
                raise ValueError(f"y must be 1-D or 2-D, got shape {Y.shape}.")
            check_consistent_length(X, Y)
            if (Y.ndim == 1) != was_1d or (Y.reshape(len(Y), -1).shape[1] != n_out):
                raise ValueError(
                    f"y has shape {Y.shape} but the estimator was fitted on y with "
                    f"{n_out} sample(s) per trace{' (1-D)' if was_1d else ''}; partial_fit "
                    "needs the same output length."
                )
            Y = Y.reshape(len(Y), -1)
        return _as_float32(X), _as_float32(Y)

    def fit(self, X, y, **fit_params):
        """Initialise (unless ``warm_start``) and train the network on (X, y).

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces, one per row; ``n_samples >= kernel_size``.
        y : array-like of shape (n_traces, n_outputs) or (n_traces,)
            Impedance traces (``n_outputs`` is usually ``n_samples``).
        **fit_params
            Passed to skorch (``train_split`` and the module's forward).

        Returns
        -------
        self
        """
        X, Y = self._prepare(X, y, reset=True)
        with self._seed_context():
            if not self.warm_start or not self.initialized_:
                self.initialize()
            elif self.module_.n_outputs != self.n_outputs_ and not (
                self.module_.n_outputs is None and self.n_outputs_ == X.shape[1]
            ):
                self.module_.n_outputs = self.n_outputs_
            NeuralNetRegressor.partial_fit(self, X, Y, _routing_method="fit", **fit_params)
        return self

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs without re-initialising (skorch's semantics).

        The first call on an unfitted estimator validates and initialises like ``fit``
        (seeded by ``random_state``); later calls need traces of the same length.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
        y : array-like of shape (n_traces, n_outputs) or (n_traces,)
        classes : ignored
        **fit_params
            Passed to skorch.

        Returns
        -------
        self
        """
        first = not self.__sklearn_is_fitted__()
        X, Y = self._prepare(X, y, reset=first)
        if first:
            with self._seed_context():
                self.initialize()
                NeuralNetRegressor.partial_fit(self, X, Y, **fit_params)
        else:
            NeuralNetRegressor.partial_fit(self, X, Y, **fit_params)
        return self

    def predict(self, X):
        """Impedance traces for the seismic traces in X.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_features_in_)

        Returns
        -------
        ndarray of float64, shape (n_traces, n_outputs_) (or (n_traces,) if y was 1-D)
        """
        X = self._validate_predict_data(X)
        # NeuralNet.predict goes through predict_proba, which a regressor should not expose.
        Y = NeuralNet.predict_proba(self, _as_float32(X))
        return self._format_prediction(Y)

    @available_if(lambda self: False)
    def predict_proba(self, X):  # pragma: no cover - never available
        """Not available: a regressor has no class probabilities (use ``predict``)."""
        raise AttributeError("predict_proba")

    # ------------------------------------------------------------------ interop
    @classmethod
    def from_state_dict(cls, path_or_dict, n_samples=331, n_outputs=None, **params):
        """A ready-to-predict estimator from weights saved the seed's way.

        The seed saves ``torch.save(cnn.state_dict(), f)`` with keys ``layer1.0.weight``
        (n_filters, 1, k), ``layer1.0.bias``, ``layer2.0.weight`` (1, n_filters, k),
        ``layer2.0.bias``. ``kernel_size`` and ``n_filters`` are read from the weights.

        Parameters
        ----------
        path_or_dict : str, path-like, file object or mapping
            A file written by ``torch.save(state_dict, f)`` (read with
            ``torch.load(f, weights_only=True, map_location="cpu")``) or the dict itself.
        n_samples : int, default=331
            Trace length the estimator accepts in ``predict`` (``n_features_in_``); 331 is the
            paper's. The network is length-agnostic; this only sets sklearn's contract.
        n_outputs : int or None, default=None
            Output samples per trace (``n_outputs_``); None: ``n_samples``.
        **params
            Other :class:`ImpedanceCNN` parameters (e.g. ``device``, ``batch_size``).

        Returns
        -------
        ImpedanceCNN
            Initialised and marked fitted; ``predict`` works at once, ``partial_fit``
            fine-tunes.
        """
        if isinstance(path_or_dict, Mapping):
            state = dict(path_or_dict)
        else:
            try:
                state = torch.load(path_or_dict, weights_only=True, map_location="cpu")
            except FileNotFoundError:
                raise
            except Exception as exc:
                raise ValueError(
                    f"could not read a torch state_dict from {path_or_dict!r}: {exc}"
                ) from exc
            if not isinstance(state, Mapping):
                raise ValueError(
                    f"{path_or_dict!r} holds a {type(state).__name__}, expected a state_dict "
                    "(a mapping of parameter names to tensors)."
                )
        keys = ("layer1.0.weight", "layer1.0.bias", "layer2.0.weight", "layer2.0.bias")
        missing = [k for k in keys if k not in state]
        if missing:
            raise ValueError(
                f"state_dict lacks {missing}; expected the seed's keys {list(keys)}, got "
                f"{sorted(state)}."
            )
        w1 = state["layer1.0.weight"]
        if not (torch.is_tensor(w1) and w1.dim() == 3 and w1.shape[1] == 1):
            raise ValueError(
                "layer1.0.weight must be a tensor of shape (n_filters, 1, kernel_size), got "
                f"{getattr(w1, 'shape', type(w1))}."
            )
        n_filters, _, kernel_size = (int(s) for s in w1.shape)
        for name, value in (("kernel_size", kernel_size), ("n_filters", n_filters)):
            if name in params and params[name] != value:
                raise ValueError(
                    f"{name}={params[name]} contradicts the weights ({name}={value})."
                )
            params[name] = value
        n_samples = int(n_samples)
        if n_samples < 1:
            raise ValueError(f"n_samples must be >= 1, got {n_samples}.")
        est = cls(**params)
        est._check_params()
        est.n_features_in_ = n_samples
        est.n_outputs_ = n_samples if n_outputs is None else int(n_outputs)
        est._y_was_1d = False
        est.initialize()
        try:
            est.module_.load_state_dict({k: state[k] for k in keys})
        except RuntimeError as exc:
            raise ValueError(f"state_dict does not fit the seed's network: {exc}") from exc
        return est

