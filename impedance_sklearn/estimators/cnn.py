"""The Das et al. (2019) 1-D CNN as a scikit-learn estimator (skorch).

:class:`ImpedanceCNN` trains the seed's two-layer network (:class:`~impedance_sklearn.estimators.nn.ImpedanceModule`:
``Conv1d(1 -> n_filters, k)`` + ReLU, ``Conv1d(n_filters -> 1, k)``, the trace length kept for
every kernel and trace length) in standardised units by default
(:class:`~impedance_sklearn.estimators.scaling.StandardizedNetwork`: whitened seismic divided by its RMS,
log-impedance standardised), with Adam and a cosine learning-rate schedule. It is a thin
subclass of :class:`skorch.NeuralNetRegressor` following the package's trace-regressor contract
(:mod:`impedance_sklearn.estimators._base`); what differs from skorch is in its hooks
(``initialize_module``, ``get_default_callbacks``, ``get_iterator``, ``get_loss``) and in the
validation of ``fit`` / ``predict``. The torch modules live in :mod:`impedance_sklearn.estimators.nn`.
"""

from __future__ import annotations

import contextlib
import numbers

import numpy as np
import torch
from sklearn.base import _fit_context
from sklearn.utils import check_array, check_consistent_length, check_random_state
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import Interval, Options, StrOptions
from skorch import NeuralNetRegressor
from skorch.dataset import Dataset
from torch.utils.data import DataLoader

from impedance_sklearn._validation import as_float32 as _as_float32
from impedance_sklearn._validation import reject_sparse
from impedance_sklearn.estimators._base import (
    SklearnNeuralNetMixin,
    TorchClass,
    TraceRegressorMixin,
)
from impedance_sklearn.estimators.compatibility import target_range, warn_if_unlike
from impedance_sklearn.estimators.nn import (
    ImpedanceModule,
    TemporalConvNet,
    check_device,
)
from impedance_sklearn.estimators.scaling import (
    StandardizedNetwork,
    per_trace_rms,
    whitening_filter,
)

__all__ = ["ImpedanceCNN"]

class ImpedanceCNN(TraceRegressorMixin, SklearnNeuralNetMixin, NeuralNetRegressor):
    """The Das et al. (2019) CNN as a scikit-learn regressor: seismic traces -> impedance traces.

    ``X`` is (n_traces, n_samples) seismic, ``y`` (n_traces, n_outputs) impedance (the paper
    divides it by 1e6); any float dtype is accepted and cast to float32 for the network;
    ``predict`` returns float64 of y's shape (1-D if y was 1-D).

    The network is the seed's (kernel 300, 60 filters, MSE, Adam). By default it learns in
    standardised units (``standardize=True``): the seismic is whitened (``whiten``) and divided
    by its global RMS, the target is log-impedance standardised (impedance positive by
    construction; ``domain``), and the learning rate follows a cosine schedule from ``lr`` to 0
    over ``max_epochs``. All of these constants are fitted in ``fit`` and stored in the module
    (so in its ``state_dict``). ``standardize=False`` is the seed's own recipe (raw units, ReLU
    output); :meth:`from_state_dict` loads the seed's weights that way, exactly.

    Parameters
    ----------
    kernel_size : int, default=300
        Length of both convolution kernels (samples). Traces must have at least this many
        samples.
    n_filters : int, default=60
        Channels of the hidden layer.
    architecture : {"seed", "tcn"}, default="seed"
        ``"seed"``: the paper's two layers (``kernel_size``, ``n_filters``). ``"tcn"``: a
        dilated residual network (:class:`~impedance_sklearn.estimators.nn.TemporalConvNet`, receptive
        field 1,029 samples, its options as ``module__channels`` etc.; needs ``standardize``):
        +0.02-0.03 PCC on clean data and much more under augmentation, at about 6x the CPU.
    output_activation : {"relu", "linear"} or None, default="relu"
        Activation of the output layer with ``standardize=False`` (the seed's ReLU: impedance >
        0). Ignored when standardising (the core's output is then linear).
    conv_mode : {"auto", "direct", "fft"}, default="auto"
        Convolution algorithm (same function to float32 round-off); see
        :class:`~impedance_sklearn.estimators.nn.ImpedanceModule`.
    standardize : bool or "trace", default=True
        Learn in standardised units (see above). ``"trace"``: each trace is divided by its own
        RMS (after the whitening) instead of one global scale, so that the prediction does not
        depend on the survey's amplitude (``predict(3 * X) == predict(X)``; the ``"field"``
        pretrained network is trained so).
    whiten : float or None, default=0.01
        With ``standardize``: whiten the seismic with the gains ``1 / max(S(f) / max S,
        whiten)``, ``S`` the training traces' RMS amplitude spectrum (so that the weak high
        frequencies the network needs are not 100-10,000 times quieter than the peak). None or
        0: no whitening.
    domain : {"auto", "log", "linear"}, default="auto"
        With ``standardize``: standardise log-impedance (``"log"``) or impedance itself;
        ``"auto"`` is log when every training value is positive.
    lr : float, default=3e-3
        Initial learning rate of the optimizer.
    lr_schedule : {"cosine", "constant"}, default="cosine"
        ``"cosine"``: skorch's ``LRScheduler`` with ``CosineAnnealingLR`` from ``lr`` to 0 over
        ``max_epochs`` (one step per epoch).
    max_epochs : int, default=150
        Passes over the training traces in each ``fit``.
    batch_size : int, default=16
        Traces per optimizer step (also per forward pass in ``predict``); -1: all traces.
    optimizer : torch optimizer class, default=torch.optim.Adam
    criterion : torch loss class, default=torch.nn.MSELoss
        Computed in the standardised units when standardising.
    random_state : int, RandomState instance or None, default=None
        Seeds torch's generator for the weight initialisation and the batch shuffling inside
        ``fit`` (the global torch RNG state is restored afterwards), so that two fits with the
        same integer are bit-for-bit identical on the CPU. None: torch's global RNG is used.
    device : str or None, default="cpu"
        ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"mps"``; checked in ``fit``.
    train_split : callable or None, default=None
        skorch's internal validation split. None trains on every trace given (sklearn style;
        use cross-validation outside). ``skorch.dataset.ValidSplit(0.2)`` records a
        ``valid_loss`` per epoch in ``history_`` (needed by ``EarlyStopping``).
    callbacks : list of (name, callback) or None, default=None
        Extra skorch callbacks (e.g. ``skorch.callbacks.EarlyStopping``).
    warm_start : bool, default=False
        If True, ``fit`` continues from the current weights (and scalings).
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
    module_ : StandardizedNetwork or ImpedanceModule
        The trained network (with its scalings when standardising).
    x_scale_, y_loc_, y_scale_ : float
        The fitted scalings (``standardize=True`` only).
    domain_ : {"log", "linear"}
        Target domain used (``standardize=True`` only).
    y_range_ : (float, float)
        The impedance range no prediction leaves (``standardize=True`` only), in the units of
        y: the training targets' range widened by a quarter of its span on each side (the span
        of ln y when ``domain_ == "log"``); outputs are bounded into it smoothly
        (:func:`~impedance_sklearn.estimators.scaling.soft_clip`), so input unlike the training data cannot give
        an absurd impedance.
    n_features_in_ : int
        Samples per seismic trace seen in ``fit``; ``predict`` requires the same length.
    n_outputs_ : int
        Samples per impedance trace of the fitted y; the network's output is resampled to it.
    history_ : skorch.History
        Per-epoch losses and timings.

    Notes
    -----
    The defaults were chosen by measurement on full-band data of the package's generator
    (520 training traces, the paper's training ranges; validation on other traces of the same
    ranges; the hard ranges 3-8 m and 70-100 m held out): see
    ``benchmarks/results/cnn_recipe.md`` (the study) and ``challenge.md``. Standardising and
    whitening matter most (mean per-trace Pearson correlation on the hard ranges 0.55 -> 0.83);
    cosine annealing removes the epoch-to-epoch noise of a constant rate.

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
    #: What fit learns besides the weights (saved by impedance_sklearn.estimators.persist).
    _fitted_attributes = ("n_features_in_", "n_outputs_", "_y_was_1d", "x_scale_", "y_loc_",
                          "y_scale_", "domain_", "y_range_", "_prefilter")

    _parameter_constraints = {
        "kernel_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "architecture": [StrOptions({"seed", "tcn"})],
        "n_filters": [Interval(numbers.Integral, 1, None, closed="left")],
        "output_activation": [StrOptions({"relu", "linear"}), None],
        "conv_mode": [StrOptions({"auto", "direct", "fft"})],
        "standardize": ["boolean", StrOptions({"trace"})],
        "whiten": [Interval(numbers.Real, 0, 1, closed="both"), None],
        "domain": [StrOptions({"auto", "log", "linear"})],
        "lr": [Interval(numbers.Real, 0, None, closed="left")],
        "lr_schedule": [StrOptions({"cosine", "constant"})],
        "max_epochs": [Interval(numbers.Integral, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"),
                       Options(numbers.Integral, {-1})],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "optimizer": [TorchClass(torch.optim.Optimizer, "torch.optim.Adam")],
        "criterion": [TorchClass(torch.nn.Module, "torch.nn.MSELoss")],
    }

    def __init__(
        self,
        kernel_size=300,
        n_filters=60,
        architecture="seed",
        output_activation="relu",
        conv_mode="auto",
        standardize=True,
        whiten=0.01,
        domain="auto",
        lr=3e-3,
        lr_schedule="cosine",
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
        self.kernel_size = kernel_size
        self.n_filters = n_filters
        self.architecture = architecture
        self.output_activation = output_activation
        self.conv_mode = conv_mode
        self.standardize = standardize
        self.whiten = whiten
        self.domain = domain
        self.lr_schedule = lr_schedule
        self.random_state = random_state
        super().__init__(
            criterion=criterion, optimizer=optimizer, lr=lr, max_epochs=max_epochs,
            batch_size=batch_size, iterator_train=iterator_train, iterator_valid=iterator_valid,
            dataset=dataset, train_split=train_split, callbacks=callbacks,
            predict_nonlinearity=predict_nonlinearity, warm_start=warm_start, verbose=verbose,
            device=device, compile=compile, use_caching=use_caching,
            torch_load_kwargs=torch_load_kwargs, **kwargs)

    @property
    def _min_trace_length(self):
        if self.architecture == "tcn":
            return 1
        k = self.kernel_size
        return k if isinstance(k, numbers.Integral) and k >= 1 else 1

    def _check_training_setup(self):
        """What the parameter constraints cannot say: the device exists, and a callback that
        monitors a validation score has a validation split."""
        check_device(self.device)
        if self.train_split is None:
            for name, cb in self.callbacks or []:
                if "valid" in str(getattr(cb, "monitor", "")):
                    raise ValueError(
                        f"callback {name!r} monitors {cb.monitor!r}, which needs a validation "
                        "split, but train_split=None: pass train_split=skorch.dataset."
                        "ValidSplit(0.2) (or monitor='train_loss')."
                    )

    # ------------------------------------------------------------------ skorch hooks
    def get_default_callbacks(self):
        """Skorch's default callbacks plus the cosine learning-rate schedule (``lr_schedule``).

        Returns
        -------
        list of (str, Callback)
        """
        callbacks = list(super().get_default_callbacks())
        if self.lr_schedule == "cosine" and self.max_epochs:
            from skorch.callbacks import LRScheduler

            callbacks.append(("lr_schedule", LRScheduler(
                policy=torch.optim.lr_scheduler.CosineAnnealingLR, T_max=int(self.max_epochs))))
        return callbacks

    def get_iterator(self, dataset, training=False):
        """Skorch's iterator, shuffling the training traces unless told otherwise.

        Parameters
        ----------
        dataset : torch.utils.data.Dataset
        training : bool, default=False

        Returns
        -------
        torch.utils.data.DataLoader
        """
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        kwargs.setdefault("batch_size", self.batch_size)
        if kwargs["batch_size"] == -1:
            kwargs["batch_size"] = len(dataset)
        if training:
            kwargs.setdefault("shuffle", True)
            return self.iterator_train(dataset, **kwargs)
        return self.iterator_valid(dataset, **kwargs)

    def initialize_module(self):
        """The seed's network (``module__*`` routed to it), wrapped in its fitted scalings.

        Returns
        -------
        self : ImpedanceCNN
        """
        kwargs = {
            "kernel_size": self.kernel_size,
            "n_filters": self.n_filters,
            "output_activation": "linear" if self.standardize else self.output_activation,
            "conv_mode": self.conv_mode,
            "n_outputs": getattr(self, "n_outputs_", None),
        }
        if self.architecture == "tcn":
            if not self.standardize:
                raise ValueError("architecture='tcn' learns in standardised units: use "
                                 "standardize=True or 'trace'.")
            core = TemporalConvNet(n_outputs=kwargs["n_outputs"],
                                   **self.get_params_for("module"))
        else:
            kwargs.update(self.get_params_for("module"))
            core = self.module(**kwargs)
        if self.standardize:
            self.module_ = StandardizedNetwork(
                core, x_scale=getattr(self, "x_scale_", 1.0), y_loc=getattr(self, "y_loc_", 0.0),
                y_scale=getattr(self, "y_scale_", 1.0),
                log_target=getattr(self, "domain_", "linear") == "log",
                prefilter=getattr(self, "_prefilter", None),
                per_trace=self.standardize == "trace", t_range=self._target_range())
        else:
            self.module_ = core
        return self

    def _target_range(self):
        """``y_range_`` in the network's target units (ln Z in the log domain), or None."""
        y_range = getattr(self, "y_range_", None)
        if y_range is None:
            return None
        low, high = (float(v) for v in y_range)
        return (np.log(low), np.log(high)) if getattr(self, "domain_", "linear") == "log" \
            else (low, high)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """The criterion, in the standardised units when the network is standardised.

        Parameters
        ----------
        y_pred, y_true : torch.Tensor
        X, training : optional

        Returns
        -------
        torch.Tensor
        """
        if isinstance(self.module_, StandardizedNetwork):
            y_true = torch.as_tensor(y_true, device=y_pred.device, dtype=y_pred.dtype)
            y_pred, y_true = self.module_.standardize(y_pred), self.module_.standardize(y_true)
        return super().get_loss(y_pred, y_true, X=X, training=training)

    def __sklearn_is_fitted__(self):
        return bool(self.initialized_) and hasattr(self, "n_features_in_")

    # ------------------------------------------------------------------ fit / predict
    def _seed_context(self):
        """``fork_rng`` seeded from ``random_state`` (or a no-op when it is None)."""
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

    def _fit_scalings(self, X, Y):
        """x_scale_, y_loc_, y_scale_, domain_ and the whitening filter from training traces."""
        X = np.asarray(X, dtype=np.float64)
        self._prefilter = None
        if self.whiten:
            n_fft = 1 << int(np.ceil(np.log2(max(2 * X.shape[1], 2))))
            self._prefilter = whitening_filter(X, float(self.whiten), n_fft)
            if self._prefilter is not None:
                X = np.fft.irfft(np.fft.rfft(X, n_fft, axis=1) * self._prefilter, n_fft,
                                 axis=1)[:, : X.shape[1]]
        if self.standardize == "trace":
            X = X / per_trace_rms(X)
        rms = float(np.sqrt(np.mean(X**2)))
        self.x_scale_ = rms if rms > 0 and np.isfinite(rms) else 1.0
        log = self.domain == "log" or (self.domain == "auto" and np.all(Y > 0))
        if log and np.any(Y <= 0):
            raise ValueError(
                "domain='log' needs strictly positive impedance y; got values <= 0 "
                f"(min {np.min(Y):.6g}). Use domain='linear' or 'auto'."
            )
        self.domain_ = "log" if log else "linear"
        T = np.log(Y) if log else np.asarray(Y, dtype=np.float64)
        std = float(T.std())
        self.y_loc_, self.y_scale_ = float(T.mean()), std if std > 0 else 1.0
        self.y_range_ = target_range(T, self.domain_, self.y_scale_)

    def _prepare(self, X, y, reset):
        self._check_training_setup()
        reject_sparse(X, "X")
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None; "
                "expected impedance traces of shape (n_traces, n_samples)."
            )
        reject_sparse(y, "y")
        if reset:
            X, Y = self._validate_fit_data(X, y)
        else:
            was_1d, n_out = self._y_was_1d, self.n_outputs_
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
        return _as_float32(X), _as_float32(Y, "y")

    def _train(self, X, y, fit_params, *, new_data, initialize):
        """Validate, (re)initialise when asked, and run skorch's training loop.

        ``new_data``: validate X and y as a new training set (and seed the run from
        ``random_state``); ``initialize``: fit the scalings and build a new network.
        """
        X, Y = self._prepare(X, y, reset=new_data)
        with self._seed_context() if new_data else contextlib.nullcontext():
            if initialize:
                if self.standardize:
                    self._fit_scalings(X, Y)
                self.initialize()
            elif new_data:  # warm start: keep the weights and scalings, follow y's length
                core = getattr(self.module_, "core", self.module_)
                if core.n_outputs is not None or self.n_outputs_ != X.shape[1]:
                    core.n_outputs = self.n_outputs_
            NeuralNetRegressor.partial_fit(self, X, Y, **fit_params)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, **fit_params):
        """Fit the scalings and (unless ``warm_start``) initialise, then train on (X, y).

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces, one per row; ``n_samples >= kernel_size``.
        y : array-like of shape (n_traces, n_outputs) or (n_traces,)
            Impedance traces (``n_outputs`` is usually ``n_samples``).
        **fit_params
            Passed to skorch.

        Returns
        -------
        self
        """
        return self._train(X, y, fit_params, new_data=True,
                           initialize=not (self.warm_start and self.initialized_))

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs without re-initialising (skorch's semantics).

        The first call on an unfitted estimator validates, fits the scalings and initialises
        like ``fit`` (seeded by ``random_state``); later calls need traces of the same length.

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
        return self._train(X, y, fit_params, new_data=first, initialize=first)

    def predict(self, X):
        """Impedance traces for the seismic traces in X.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_features_in_)

        Returns
        -------
        ndarray of float64, shape (n_traces, n_outputs_) (or (n_traces,) if y was 1-D)

        Warns
        -----
        DataMismatchWarning
            When the model records its training data (``training_info_``: shipped and saved
            models) and X is noisier, more band-limited or (unless ``standardize="trace"``)
            of another amplitude than it (:mod:`impedance_sklearn.estimators.compatibility`).
        """
        reject_sparse(X, "X")
        X = self._validate_predict_data(X)
        info = getattr(self, "training_info_", None)
        if info:  # a shipped or saved model knows its training data: say when X is unlike it
            warn_if_unlike(info, X, amplitude=self.standardize != "trace")
        Y = self.forward(_as_float32(X), training=False, device="cpu")
        return self._format_prediction(Y.numpy())

    @available_if(lambda self: False)
    def predict_proba(self, X):  # pragma: no cover - never available
        """Not available: a regressor has no class probabilities (use ``predict``)."""
        raise AttributeError("predict_proba")

    # ------------------------------------------------------------------ interop
    @classmethod
    def from_pretrained(cls, name="field", dt=None):
        """A network trained by the package and shipped inside it, ready to predict.

        Parameters
        ----------
        name : str, default="field"
            ``"field"``: trained for data as field surveys deliver it (band-limited down to what
            4 ms sampling holds, noisy, any amplitude); ``"das2019"``: full-band paper-like
            data; ``"field-4ms"`` / ``"field-2ms"``: field-like data at a survey's sampling
            (:data:`impedance_sklearn.estimators.pretrained.PRETRAINED` lists what is shipped, and where
            each should not be used).
        dt : float, optional
            The survey's sampling interval (s): the network of ``name``'s family trained at
            it (``from_pretrained("field", dt=0.004)`` is ``"field-4ms"``).

        Returns
        -------
        ImpedanceCNN
            Fitted for traces of its training length at its sampling (``training_info_`` says
            both). ``WindowedRegressor.from_fitted(net)`` predicts traces of any longer length.
        """
        from impedance_sklearn.estimators.pretrained import (
            SAMPLING,
            load_pretrained,
            pretrained_for,
        )

        if dt is not None:
            chosen = pretrained_for(name, dt)
            if chosen is None:
                have = ", ".join(f"{k} ({v * 1e3:.4g} ms)" for k, v in SAMPLING.items())
                raise ValueError(f"no shipped network of the {str(name).split('-')[0]!r} "
                                 f"family at dt = {float(dt) * 1e3:.4g} ms; shipped: {have}.")
            name = chosen
        return load_pretrained(cls, name)

    @classmethod
    def from_state_dict(cls, path_or_dict, n_samples=331, n_outputs=None, **params):
        """A ready-to-predict estimator from weights saved the seed's way.

        The seed saves ``torch.save(cnn.state_dict(), f)`` with keys ``layer1.0.weight``
        (n_filters, 1, k), ``layer1.0.bias``, ``layer2.0.weight`` (1, n_filters, k),
        ``layer2.0.bias``. ``kernel_size`` and ``n_filters`` are read from the weights; the
        estimator computes the seed's function exactly (``standardize=False``, ReLU output).

        Parameters
        ----------
        path_or_dict : str, path-like, file object or mapping
            A file written by ``torch.save(state_dict, f)`` (read with
            ``torch.load(f, weights_only=True, map_location="cpu")``) or the dict itself.
        n_samples : int, default=331
            Trace length the estimator accepts in ``predict`` (``n_features_in_``); 331 is the
            paper's; at least the kernel size.
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
        from impedance_sklearn.estimators.pretrained import estimator_from_state_dict

        return estimator_from_state_dict(cls, path_or_dict, n_samples, n_outputs, **params)
