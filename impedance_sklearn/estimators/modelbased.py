"""Model-based post-stack inversion: the convolutional model inverted by least squares (PyLops).

:class:`ModelBasedInversion` ties a wavelet at the training pairs and inverts every trace for
the log-impedance closest to a background that explains the seismic through the package's
linearised :class:`~impedance_sklearn.physics.forward.ConvolutionalModel`. Re-exported by
:mod:`impedance_sklearn.estimators.baselines`, whose shared conventions (model domain, sampling,
background) it follows.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from impedance_sklearn.estimators._base import _smooth, _TraceInversion

__all__ = ["ModelBasedInversion"]


class ModelBasedInversion(_TraceInversion):
    r"""Least-squares model-based post-stack inversion (PyLops), wavelet tied to the training pairs.

    Forward model: the linearised :class:`~impedance_sklearn.physics.forward.ConvolutionalModel` with
    PyLops' centred derivative (the discretisation of
    :func:`pylops.avo.poststack.PoststackLinearModelling`), :math:`\mathbf{d} =
    \mathbf{W}\mathbf{r}`, :math:`\mathbf{r} = \tfrac12 \mathbf{D}\mathbf{m}`, :math:`\mathbf{m}
    = \ln Z`, :math:`(\mathbf{Dm})_j = (m_{j+1} - m_{j-1}) / 2`. ``predict`` solves

    .. math:: \hat{\mathbf m} = \arg\min_{\mathbf m} \lVert \mathbf d - \mathbf{WDm}/2 \rVert^2
              + \epsilon_I \lVert \mathbf m - \mathbf m_0 \rVert^2
              \;[+\; \epsilon_R^2 \lVert \nabla^2 (\mathbf m - \mathbf m_0) \rVert^2],

    with :math:`\mathbf m_0` the background (``background_``). ``simultaneous=False``: each trace
    alone, exactly, through the damped normal equations (one dense solve for all traces).
    ``simultaneous=True``: all traces together with LSQR
    (:func:`pylops.optimization.leastsquares.regularized_inversion`, ``iter_lim`` iterations),
    adding the Laplacian over time and trace number weighted by ``eps_r`` (spatial
    regularisation; the rows of ``X`` must then be neighbouring traces of a line, in order, and a
    prediction depends on the other traces passed with it). ``eps_i`` and ``eps_r`` are
    scale-free: they multiply the mean diagonal of :math:`\mathbf{G}^T\mathbf{G}` (:math:`\mathbf
    G` the operator) and its square root.

    ``fit`` ties the wavelet with :func:`impedance_sklearn.welltie.tie_wavelet` (least
    squares over all training pairs, ``wavelet_length`` samples centred on time zero, so it may
    be causal, e.g. minimum phase, as long as it fits in half the length) on the reflectivity of
    the training log-impedance, and takes the background from the training impedance. Training
    impedance without contrast along the traces (e.g. a single sample per trace, or traces
    shorter than 3 samples, whose centred derivative is zero) ties no wavelet: ``wavelet_`` is
    then zero and ``predict`` returns the background.

    **Assumes** the convolutional model with one stationary wavelet for all traces (no
    multiples, no attenuation, no noise model beyond the damping), small contrasts (linearised
    in log-impedance) and a background that is right below the seismic band.

    Parameters
    ----------
    wavelet_length : int, default=301
        Samples of the estimated wavelet, clipped to ``2 n - 1`` for traces of ``n`` samples.
    wavelet_origin : int or None, default=None
        Index of time zero in the estimated wavelet; ``None`` centres it (``wavelet_length //
        2``), which suits zero-phase and, if long enough, causal wavelets; a small value
        estimates a causal (e.g. minimum-phase) wavelet with fewer unknowns. The wavelet is
        zero-padded to put time zero at its centre for PyLops.
    wavelet_damp : float, default=1e-3
        Relative damping of the wavelet estimate (see ``estimate_wavelet``).
    background_sigma : float, default=20.0
        Gaussian smoothing (samples) of the mean training log-impedance trace (the background).
    eps_i : float, default=1e-2
        Relative damping towards the background.
    simultaneous : bool, default=False
        Invert all traces together (LSQR, spatial regularisation) instead of trace by trace.
    eps_r : float, default=0.0
        Relative weight of the Laplacian regularisation (over trace and time); used when the
        traces are inverted together.
    regularization : {None, "laplacian", "blocky"}, default=None
        PyLops' two section inversions, for rows of ``X`` that are neighbouring traces of a
        line, in order. ``"laplacian"``: all traces together with the Laplacian (weight
        ``eps_r``, which must then be positive; the same as ``simultaneous=True``).
        ``"blocky"``: Split-Bregman (:func:`pylops.optimization.sparsity.splitbregman`) with an
        L1 penalty ``eps_l1`` on the time derivative of the log-impedance (blocky layers),
        the Laplacian ``eps_r`` and the damping ``eps_i`` towards the background as L2 terms.
        ``None``: trace by trace, or as ``simultaneous`` says.
    eps_l1 : float, default=0.1
        Relative weight of the L1 term with ``regularization="blocky"``.
    iter_lim : int, default=100
        LSQR iterations when ``simultaneous=True``.
    domain : {"auto", "log", "linear"}, default="auto"
        Invert log-impedance, impedance itself, or log when every training value is positive.

    Attributes
    ----------
    wavelet_ : ndarray of shape (n_wavelet,)
        Estimated wavelet, time zero at the centre sample, acting on the reflectivity
        :math:`\mathbf{r}`.
    forward_model_ : ConvolutionalModel
        The forward model with that wavelet (absent when no wavelet could be tied).
    background_ : ndarray of shape (n_features_in_,)
        Background model (log-impedance, or impedance in the linear domain).
    domain_ : {"log", "linear"}
        Domain used.
    n_features_in_ : int
        Samples per seismic trace.
    n_outputs_ : int
        Samples per impedance trace of the training ``y``.

    See Also
    --------
    impedance_sklearn.physics.forward.ConvolutionalModel, impedance_sklearn.physics.estimate_wavelet

    Examples
    --------
    >>> import numpy as np
    >>> from impedance_sklearn import ModelBasedInversion
    >>> from impedance_sklearn.physics import convolve_traces, reflectivity, ricker
    >>> rng = np.random.default_rng(0)
    >>> w = ricker(40.0, 0.002, 0.1)
    >>> p = convolve_traces(rng.normal(size=(40, 150)), w)  # impedance inside the seismic band
    >>> Z = np.exp(np.log(3.0) + 0.1 * p / p.std())
    >>> X = convolve_traces(np.pad(reflectivity(Z), ((0, 0), (1, 0))), w)
    >>> est = ModelBasedInversion(wavelet_length=51).fit(X[:30], Z[:30])
    >>> pcc = [np.corrcoef(a, b)[0, 1] for a, b in zip(est.predict(X[30:]), Z[30:])]
    >>> bool(min(pcc) > 0.99)
    True
    """

    _parameter_constraints: dict = {
        **_TraceInversion._parameter_constraints,
        "wavelet_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "wavelet_origin": [Interval(numbers.Integral, 0, None, closed="left"), None],
        "wavelet_damp": [Interval(numbers.Real, 0, None, closed="left")],
        "eps_i": [Interval(numbers.Real, 0, None, closed="left")],
        "simultaneous": ["boolean"],
        "eps_r": [Interval(numbers.Real, 0, None, closed="left")],
        "regularization": [None, StrOptions({"laplacian", "blocky"})],
        "eps_l1": [Interval(numbers.Real, 0, None, closed="neither")],
        "iter_lim": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self, wavelet_length=301, wavelet_origin=None, wavelet_damp=1e-3, background_sigma=20.0,
        eps_i=1e-2, simultaneous=False, eps_r=0.0, iter_lim=100, domain="auto",
        regularization=None, eps_l1=0.1,
    ):
        self.wavelet_length = wavelet_length
        self.wavelet_origin = wavelet_origin
        self.wavelet_damp = wavelet_damp
        self.background_sigma = background_sigma
        self.eps_i = eps_i
        self.simultaneous = simultaneous
        self.eps_r = eps_r
        self.iter_lim = iter_lim
        self.domain = domain
        self.regularization = regularization
        self.eps_l1 = eps_l1

    def _fit_model(self, X, M):
        from impedance_sklearn.physics.forward import ConvolutionalModel
        from impedance_sklearn.welltie import tie_wavelet

        if self.regularization == "laplacian" and self.eps_r <= 0:
            raise ValueError("regularization='laplacian' needs eps_r > 0 (the Laplacian's "
                             f"relative weight), got eps_r={self.eps_r}.")
        if self.wavelet_origin is not None and self.wavelet_origin >= self.wavelet_length:
            raise ValueError(
                f"wavelet_origin={self.wavelet_origin} must lie in [0, wavelet_length) = "
                f"[0, {self.wavelet_length})."
            )
        n = X.shape[1]
        length = min(int(self.wavelet_length), 2 * n - 1)
        origin = length // 2 if self.wavelet_origin is None else int(self.wavelet_origin)
        origin = min(origin, length - 1)
        # Time zero at the centre sample of wavelet_ (PyLops' convention): pad the estimate.
        half = max(origin, length - 1 - origin)
        self.wavelet_ = np.zeros(2 * half + 1)
        # PyLops' discretisation: r = (m[j+1] - m[j-1]) / 4, m = ln Z (zero at both ends)
        # (in the linear domain the same operator acts on the impedance itself)
        model = ConvolutionalModel(self.wavelet_, origin=half, derivative="centred")
        self._scale_ref = 1.0
        self._G = None
        w, _ = tie_wavelet(X, M, length, origin=origin, damp=self.wavelet_damp,
                           reflectivity="centred")
        if w is None:
            return
        self.wavelet_[half - origin : half - origin + length] = w
        self.forward_model_ = model
        G = np.asarray(model.operator(n).todense())
        self._scale_ref = float(np.trace(G.T @ G) / n)
        if self._scale_ref == 0:
            self.wavelet_[:] = 0.0
            self._scale_ref = 1.0
        else:
            self._G = G

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, well_positions=None):
        """Fit to training pairs; with ``well_positions``, to wells whose logs make the background.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
            Seismic traces, one per row (at the wells, with ``well_positions``).
        y : array-like of shape (n_traces, n_samples_y) or (n_traces,)
            Impedance traces on the same time span (resampled to ``n_samples``).
        well_positions : array-like of shape (n_traces,) or (n_traces, 2), optional
            Where each training trace is: trace indices or coordinates along a line, or map
            coordinates. The background of ``predict`` is then each well's smoothed log
            interpolated to the predicted traces' positions
            (:func:`~impedance_sklearn.estimators.section.interpolate_logs`): the low frequencies the
            seismic lacks, from the wells. Without it, one background for every trace (the
            mean training log, smoothed).

        Returns
        -------
        self : object
        """
        M = self._fit_pairs(X, y)
        self.well_positions_, self.well_backgrounds_ = None, None
        if well_positions is not None:
            pos = np.asarray(well_positions, dtype=np.float64)
            if pos.shape[0] != M.shape[0] or pos.ndim > 2:
                raise ValueError(f"well_positions has shape {pos.shape}; expected one position "
                                 f"per training trace ({M.shape[0]},) or (n, 2).")
            self.well_positions_ = pos
            self.well_backgrounds_ = _smooth(M, self.background_sigma)
        return self

    def predict(self, X, positions=None):
        """Invert seismic traces to impedance.

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
        positions : array-like of shape (n_traces,) or (n_traces, 2), optional
            With ``fit(..., well_positions=...)``: where each trace of ``X`` is, in the units of
            the well positions; default the row numbers (``X`` is the section, in order, and
            the well positions are its rows).

        Returns
        -------
        y_pred : ndarray of shape (n_traces, n_outputs_) or (n_traces,)
        """
        X = self._validate_predict_data(X)
        M0 = None
        if getattr(self, "well_backgrounds_", None) is not None:
            from impedance_sklearn.estimators.section import interpolate_logs

            if positions is None:
                if self.well_positions_.ndim > 1:
                    raise ValueError("the wells were placed by map coordinates: pass the "
                                     "traces' positions=(n_traces, 2).")
                positions = np.arange(X.shape[0])
            positions = np.asarray(positions, dtype=np.float64)
            if positions.shape[0] != X.shape[0]:
                raise ValueError(f"positions has {positions.shape[0]} entries for "
                                 f"{X.shape[0]} traces.")
            M0 = interpolate_logs(self.well_backgrounds_, self.well_positions_, positions)
        M = self._predict_model(np.asarray(X, dtype=np.float64), M0)
        return self._format_prediction(self._impedance_from_model(M))

    def _predict_model(self, X, M0=None):
        import pylops
        from pylops.optimization.leastsquares import regularized_inversion

        n_tr, n = X.shape
        if M0 is None:
            M0 = np.broadcast_to(self.background_, (n_tr, n))
        if self._G is None:
            return np.array(M0)
        eps_i = float(self.eps_i) * self._scale_ref
        G = self._G
        if self.regularization == "blocky":
            return self._predict_blocky(X, M0, eps_i)
        if not (self.simultaneous or self.regularization == "laplacian"):
            # every trace alone, exactly: (G^T G + eps_i I) m = G^T d + eps_i m0
            A = G.T @ G + eps_i * np.eye(n)
            B = G.T @ X.T + eps_i * M0.T
            return np.linalg.solve(A, B).T
        # all traces together (LSQR), Laplacian over (trace, time) on the update
        op = self.forward_model_.operator(n, n_tr)
        resid = (X - (M0 @ G.T)).ravel()
        eps_r = float(self.eps_r) * np.sqrt(self._scale_ref)
        regs = [pylops.Laplacian((n_tr, n), axes=(0, 1), dtype="float64")] if eps_r > 0 else None
        dm = regularized_inversion(
            op, resid, regs, epsRs=[eps_r] if regs else None, damp=np.sqrt(eps_i),
            iter_lim=int(self.iter_lim), show=False,
        )[0]
        return M0 + dm.reshape(n_tr, n)

    def _predict_blocky(self, X, M0, eps_i):
        """Split-Bregman: L1 on the time derivative, L2 Laplacian and damping to the background."""
        import pylops
        from pylops.optimization.sparsity import splitbregman

        n_tr, n = X.shape
        op = self.forward_model_.operator(n, n_tr)
        dt_op = pylops.FirstDerivative((n_tr, n), axis=1, kind="forward", dtype="float64")
        regs, eps, data = [pylops.Identity(n_tr * n, dtype="float64")], [eps_i], [M0.ravel()]
        if self.eps_r > 0:
            regs.append(pylops.Laplacian((n_tr, n), axes=(0, 1), dtype="float64"))
            eps.append(float(self.eps_r) ** 2 * self._scale_ref)  # as epsR in the LSQR path
            data.append(np.zeros(n_tr * n))
        m = splitbregman(
            op, X.ravel(), [dt_op], x0=np.ascontiguousarray(M0).ravel(), niter_outer=3,
            niter_inner=1, RegsL2=regs, dataregsL2=data, mu=1.0,
            epsRL1s=[float(self.eps_l1) * self._scale_ref], epsRL2s=eps,
            iter_lim=int(self.iter_lim), show=False)[0]
        return m.reshape(n_tr, n)
