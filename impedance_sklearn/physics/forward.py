"""Forward models of post-stack seismic as composable objects: impedance in, seismic out.

Every model has one interface:

* ``seismic(Z)`` -- seismic traces (n_traces, n_samples) of impedance traces on the same time
  samples (one trace per row);
* ``from_layers(vp, rho, thickness, n_samples)`` -- seismic traces of layered earth models (depth
  cells), sampled from time zero at the model's ``dt``;
* ``with_wavelet(wavelet, origin)`` -- the same model with another wavelet (e.g. one tied at
  wells).

Two models:

* :class:`ConvolutionalModel` -- primaries only, :math:`d = w * r`. Its linearisation in
  :math:`m = \\ln Z` is a PyLops ``LinearOperator`` (:meth:`ConvolutionalModel.operator`,
  :math:`d = W \\tfrac12 D m`), tested against its adjoint, and has a torch twin for training
  losses (:class:`impedance_sklearn.estimators.nn.ConvolutionalForward`);
* :class:`KennettModel` -- normal incidence with all internal multiples (Kennett's invariant
  imbedding, :func:`impedance_sklearn.physics.kennett`), the paper's physics.

They are used by the generator (:func:`impedance_sklearn.datasets.seismic_from_layers`),
:class:`~impedance_sklearn.FewWellsRegressor` and
:class:`~impedance_sklearn.ModelBasedInversion`. Pure numpy/scipy/PyLops.
"""

from __future__ import annotations

import copy

import numpy as np

import impedance_sklearn.physics as physics
from impedance_sklearn._validation import (
    check_origin,
    check_positive_float,
    finite_array,
)
from impedance_sklearn.physics.wavelets import DAS_DT, das2019_wavelet

__all__ = ["ForwardModel", "ConvolutionalModel", "KennettModel", "get_forward_model"]


class ForwardModel:
    """Base class: a wavelet (time zero at sample ``origin``) and a sampling interval ``dt``."""

    def __init__(self, wavelet=None, origin=None, dt=DAS_DT):
        self.wavelet = wavelet
        self.origin = origin
        self.dt = dt

    # ------------------------------------------------------------------ helpers
    def _wavelet(self):
        """(wavelet array, origin) with defaults resolved."""
        if self.wavelet is None:
            return das2019_wavelet(self.dt), 0
        w = finite_array(self.wavelet, "wavelet")
        if w.ndim != 1:
            raise ValueError(f"wavelet must be 1-D, got shape {w.shape}.")
        return w, check_origin(self.origin, w.size)

    def with_wavelet(self, wavelet, origin=None):
        """A copy of this model with another wavelet (time zero at ``origin``)."""
        other = copy.copy(self)
        other.wavelet, other.origin = np.asarray(wavelet, dtype=np.float64), origin
        return other

    def __repr__(self):
        w = "None" if self.wavelet is None else f"<{np.size(self.wavelet)} samples>"
        extra = "".join(f", {k}={v!r}" for k, v in self._repr_params().items())
        return f"{type(self).__name__}(wavelet={w}, origin={self.origin!r}, dt={self.dt!r}{extra})"

    def _repr_params(self):
        return {}

    def seismic(self, Z):  # pragma: no cover - abstract
        raise NotImplementedError

    def from_layers(self, vp, rho, thickness, n_samples):  # pragma: no cover - abstract
        raise NotImplementedError


class ConvolutionalModel(ForwardModel):
    r"""Convolutional model: seismic = wavelet convolved with the reflectivity on the time grid.

    .. math:: d[j] = \sum_k w[k]\, r[j - k + o], \qquad
              r[j] = \frac{Z_j - Z_{j-1}}{Z_j + Z_{j-1}} \;(j \ge 1), \quad r[0] = 0,

    (``reflectivity="exact"``) or :math:`r[j] = \tfrac12(\ln Z_j - \ln Z_{j-1})` (``"log"``, the
    small-contrast form, linear in :math:`m = \ln Z`), with :math:`o` = ``origin``, the index of
    time zero in the wavelet. ``derivative="centred"`` uses PyLops' centred difference
    :math:`r[j] = \tfrac14(\ln Z_{j+1} - \ln Z_{j-1})` instead (zero at both ends), the
    discretisation of :func:`pylops.avo.poststack.PoststackLinearModelling` with the wavelet
    halved.

    Parameters
    ----------
    wavelet : array-like of shape (n_w,), optional
        Default: the paper's minimum-phase Ormsby wavelet at ``dt`` (origin 0).
    origin : int, optional
        Index of time zero in ``wavelet``; default its centre sample (``n_w // 2``).
    dt : float, default=4.3875e-4
        Sampling interval (s), used by :meth:`from_layers`.
    reflectivity : {"exact", "log"}, default="exact"
        Reflection coefficients of :meth:`seismic` (the operator is always the log form).
    derivative : {"backward", "centred"}, default="backward"

    Examples
    --------
    >>> import numpy as np
    >>> from impedance_sklearn.physics import ricker
    >>> model = ConvolutionalModel(ricker(30.0, 0.002, 0.1), dt=0.002)
    >>> Z = np.array([[2.0] * 40 + [3.0] * 40])
    >>> d = model.seismic(Z)
    >>> int(np.argmax(d)), round(float(d.max()), 3)  # r = 0.2 at sample 40, the wavelet's peak 1
    (40, 0.2)
    """

    def __init__(self, wavelet=None, origin=None, dt=DAS_DT, reflectivity="exact",
                 derivative="backward"):
        super().__init__(wavelet, origin, dt)
        self.reflectivity = reflectivity
        self.derivative = derivative

    def _repr_params(self):
        return {"reflectivity": self.reflectivity, "derivative": self.derivative}

    def _check(self):
        if self.reflectivity not in ("exact", "log"):
            raise ValueError(f"reflectivity must be 'exact' or 'log', got {self.reflectivity!r}.")
        if self.derivative not in ("backward", "centred"):
            raise ValueError(f"derivative must be 'backward' or 'centred', got {self.derivative!r}.")

    def reflectivity_series(self, Z):
        """Reflectivity of impedance traces on their own time grid (same shape as ``Z``)."""
        self._check()
        if self.derivative == "backward":
            return physics.reflectivity(Z, self.reflectivity, pad=True)
        Z = finite_array(Z, "Z")
        if np.any(Z <= 0):
            raise ValueError("Z must be strictly positive (impedance).")
        m = np.log(Z)
        r = np.zeros_like(m)
        r[..., 1:-1] = 0.25 * (m[..., 2:] - m[..., :-2])
        return r

    def seismic(self, Z):
        """Seismic of impedance traces ``Z`` (..., n_samples) on the same time samples."""
        w, o = self._wavelet()
        return physics.convolve_traces(self.reflectivity_series(Z), w, o)

    def from_layers(self, vp, rho, thickness, n_samples):
        """Seismic of layered models: the impedance on the time grid (``'previous'``), convolved.

        The convolutional model of the exact reflection coefficients put at the sample on or
        after each layer top's two-way time.
        """
        Z = physics.depth_to_time(vp, rho, thickness, check_positive_float(self.dt, "dt"),
                                  n_samples, kind="previous")
        return self.seismic(Z)

    def operator(self, n_samples, n_traces=1):
        """The linearised model :math:`d = W\\,\\tfrac12 D\\,m` as a PyLops ``LinearOperator``.

        Acts on log-impedance ``m`` of shape (n_traces, n_samples), flattened (row-major), and
        returns the seismic flattened the same way. ``W`` is
        :class:`pylops.signalprocessing.Convolve1D` with ``offset=origin`` (the convolution of
        :func:`impedance_sklearn.physics.convolve_traces`), ``D`` PyLops' backward (or centred)
        first derivative along time.

        Examples
        --------
        >>> import numpy as np
        >>> from pylops.utils import dottest
        >>> from impedance_sklearn.physics import ricker
        >>> op = ConvolutionalModel(ricker(30.0, 0.002, 0.1), dt=0.002).operator(60, 3)
        >>> op.shape, bool(dottest(op, 180, 180, rtol=1e-10))
        ((180, 180), True)
        """
        import pylops

        self._check()
        n = int(n_samples)
        dims = (int(n_traces), n)
        w, o = self._wavelet()
        kind = "backward" if self.derivative == "backward" else "centered"
        # backward: D m = m[j] - m[j-1]; centred: D m = (m[j+1] - m[j-1]) / 2; r = D m / 2
        D = pylops.FirstDerivative(dims, axis=-1, kind=kind, edge=False, dtype="float64")
        if w.size > n:  # PyLops' offset must lie inside the kernel; crop far tails
            lo = max(0, o - n // 2)
            w, o = w[lo : lo + n], o - lo
        W = pylops.signalprocessing.Convolve1D(dims, h=w, offset=o, axis=-1, dtype="float64")
        return (W * D) * 0.5


class KennettModel(ForwardModel):
    r"""Normal-incidence seismograms with all internal multiples (Kennett's invariant imbedding).

    :meth:`from_layers` models layered earth models (the paper's recipe; see
    :func:`impedance_sklearn.physics.kennett` for the recursion); :meth:`seismic` models
    impedance traces on a time grid as a stack of one-sample layers (each sample a layer of one
    sample's two-way time).

    Parameters
    ----------
    wavelet : array-like of shape (n_w,), optional
        Default: the paper's minimum-phase Ormsby 4-10-50-70 Hz wavelet at ``dt`` (origin 0).
    origin : int, optional
        Index of time zero in ``wavelet``; default 0 (causal) for the default wavelet, the centre
        sample for a given one.
    dt : float, default=4.3875e-4
        Sampling interval (s).
    multiples : bool, default=True
        All internal multiples; ``False``: primaries with transmission losses.
    polarity : {"pressure", "displacement"}, default="pressure"
        ``"pressure"``: an impedance increase reflects ``+r`` times the wavelet (the convention
        of :func:`~impedance_sklearn.physics.reflectivity`); ``"displacement"``: ``-r``, the
        particle-displacement seismogram of the paper's ``kennet.m``.
    f_max : float, optional
        Highest frequency modelled (Hz); default: every frequency where the wavelet's amplitude
        exceeds 1e-6 of its peak (:func:`~impedance_sklearn.physics.kennett`'s default).
    n_fft : int, optional
        FFT length (default: physics.kennett's rule).

    Examples
    --------
    >>> import numpy as np
    >>> model = KennettModel([1.0], origin=0, dt=0.001)
    >>> s = model.from_layers([2000.0, 3000.0], [1000.0, 2000.0], [10.0, 1.0], 20)
    >>> int(np.argmax(s)), round(float(s.max()), 6)  # r = 0.5 at 10 ms two-way time
    (10, 0.5)
    """

    def __init__(self, wavelet=None, origin=None, dt=DAS_DT, multiples=True, polarity="pressure",
                 f_max=None, n_fft=None):
        super().__init__(wavelet, origin, dt)
        self.multiples = multiples
        self.polarity = polarity
        self.f_max = f_max
        self.n_fft = n_fft

    def _repr_params(self):
        return {"multiples": self.multiples, "polarity": self.polarity}

    def _sign(self):
        if self.polarity not in ("pressure", "displacement"):
            raise ValueError(
                f"polarity must be 'pressure' or 'displacement', got {self.polarity!r}."
            )
        return 1.0 if self.polarity == "pressure" else -1.0

    def from_layers(self, vp, rho, thickness, n_samples, chunk_size=1000):
        """Seismograms (n_traces, n_samples) from time zero of layered models."""
        w, o = self._wavelet()
        return self._sign() * physics.kennett(
            vp, rho, thickness, w, check_positive_float(self.dt, "dt"), n_samples=n_samples,
            multiples=self.multiples, origin=o, f_max=self.f_max, n_fft=self.n_fft,
            chunk_size=chunk_size,
        )

    def seismic(self, Z):
        """Seismic of impedance traces on a time grid: one layer per sample.

        Each sample is a layer of two-way time ``dt`` (velocity 2 and thickness 1 in sample
        units; only the impedance matters at normal incidence), so that the reflection of the
        contrast between samples ``j - 1`` and ``j`` arrives at sample ``j``, as in
        :class:`ConvolutionalModel`.
        """
        Z = finite_array(Z, "Z")
        single = Z.ndim == 1
        Z = np.atleast_2d(Z)
        w, o = self._wavelet()
        v = 2.0
        s = self._sign() * physics.kennett(
            np.full_like(Z, v), Z / v, v / 2.0, w, 1.0, n_samples=Z.shape[1],
            multiples=self.multiples, origin=o, n_fft=self.n_fft,
            f_max=None if self.f_max is None else self.f_max * self.dt,
        )
        return s[0] if single else s


_MODELS = {"convolutional": ConvolutionalModel, "kennett": KennettModel}


def get_forward_model(forward, wavelet=None, origin=None, dt=DAS_DT):
    """A forward model from a name (``"kennett"``, ``"convolutional"``) or a model object.

    A model object is returned with ``wavelet`` (when given) put in; a name builds the model.

    Examples
    --------
    >>> get_forward_model("convolutional", [0.0, 1.0, 0.0])
    ConvolutionalModel(wavelet=<3 samples>, origin=None, dt=0.00043875, reflectivity='exact', \
derivative='backward')
    """
    if isinstance(forward, ForwardModel):
        return forward if wavelet is None else forward.with_wavelet(wavelet, origin)
    if forward not in _MODELS:
        raise ValueError(
            f"forward must be one of {sorted(_MODELS)} or a ForwardModel, got {forward!r}."
        )
    return _MODELS[forward](wavelet=wavelet, origin=origin, dt=dt)
