"""From a few wells to a whole survey: train on synthetics matched to the user's data.

:class:`FewWellsRegressor` is a meta-estimator that turns a handful of labelled traces (seismic
at the wells, impedance logs on the same time samples) into a large training set:

1. **Well tie.** A wavelet is estimated from the labelled pairs by least squares
   (:func:`impedance_sklearn.welltie.tie_wavelet`) and split into its shape ``wavelet_``
   (peak absolute value 1) and the seismic amplitude scale ``amplitude_scale_``, so that
   ``X ~ amplitude_scale_ * convolve_traces(r, wavelet_, wavelet_origin_)``.
2. **Impedance statistics.** A stochastic layered model of log-impedance is fitted to the logs
   (``stats_``): a polynomial background trend in time, a per-trace (lateral) offset, two facies
   (a 1-D Gaussian mixture: facies means, i.e. the facies contrast, proportions and within-facies
   spread), and the vertical correlation: facies switch as a Markov chain (mean layer thickness
   in samples) and the within-facies fluctuation is an AR(1) process; both correlation rates are
   fitted so that the model's autocorrelation matches the logs' empirical autocorrelation.
3. **Synthetics.** ``n_synthetic`` impedance traces are drawn from that model and turned into
   seismic with the package's forward model (Kennett's method with internal multiples, or the
   convolutional model) and the tied wavelet, plus noise matched to the field: coloured noise with
   the power spectrum of the well-tie residual, floored, when unlabelled survey traces are given,
   at the survey's white-noise level (its power outside the wavelet's band).
4. **Training.** The inner estimator (a clone of ``estimator``, by default an
   :class:`~impedance_sklearn.ImpedanceCNN`) is fitted on the synthetics plus the real pairs,
   which are repeated (oversampled) so that they make up a fraction ``well_weight`` of the
   training traces.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, _fit_context, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from impedance_sklearn.estimators._base import TraceRegressorMixin
from impedance_sklearn.estimators.section import SectionInversion
from impedance_sklearn.physics.forward import ForwardModel, get_forward_model
from impedance_sklearn.physics.transforms import resample_traces
from impedance_sklearn.synthetic.wellstats import (
    _coloured_noise,
    _mean_power,
    _moving_average,
    _power_spectrum,
    fit_generator_range,
    fit_impedance_statistics,
    paper_likeness,
    sample_impedance,
)
from impedance_sklearn.welltie import tie_wavelet

#: Tied wavelets that correlate above this with the paper's make the data "paper-like".
PAPER_LIKENESS = 0.9


def _forward(Z, wavelet, origin, forward):
    """Seismic of impedance traces Z (time grid) with the tied wavelet (amplitude included)."""
    return get_forward_model(forward, wavelet, origin).seismic(Z)


__all__ = ["FewWellsRegressor"]

# --------------------------------------------------------------------------------------------
# the meta-estimator
# --------------------------------------------------------------------------------------------
class FewWellsRegressor(MetaEstimatorMixin, TraceRegressorMixin, BaseEstimator):
    """Impedance everywhere from a few wells, for independent traces: matched synthetics.

    A wavelet and amplitude scale are tied at the wells, a stochastic layered model of the logs
    is fitted, ``n_synthetic`` matched synthetic pairs are generated (forward model plus
    field-matched noise) and ``n_estimators`` clones of ``estimator`` are fitted on the
    synthetics plus the real pairs (different seeds; in parallel with ``n_jobs``); their mean is
    the prediction and their spread ``return_std``. See the module docstring for the equations.
    For a seismic section with its wells in it, use
    :class:`~impedance_sklearn.estimators.section.SectionInversion` (it follows the layers between them).

    Parameters
    ----------
    estimator : estimator object, default=None
        Trace-to-trace regressor trained on the synthetics (cloned). ``None`` means
        ``ImpedanceCNN(max_epochs=30)`` (its kernel shortened for traces under 300 samples).
    n_synthetic : int, default=5000
        Number of synthetic pairs generated in ``fit``.
    prior : {"auto", "statistics", "generator"}, default="auto"
        Where the synthetics' impedance comes from. ``"statistics"``: the stochastic layered
        model fitted to the logs, seismic by ``forward`` with the tied wavelet.
        ``"generator"``: the package's own recipe (:func:`~impedance_sklearn.datasets.\
make_impedance_dataset`: rock physics, Kennett over the whole band, the paper's wavelet) with
        the facies range fitted to the logs' vertical correlation, scaled to the survey's
        amplitude; right for data made with the paper's physics. ``"auto"``: the generator
        when the wavelet tied at the wells is the paper's (correlation above 0.9) and the logs
        are in its units, else the statistics.
    physics_weight : float, default=0.0
        With an :class:`~impedance_sklearn.ImpedanceCNN` inside: after the
        synthetic training, fine-tune the network for ``physics_steps`` steps with the
        closed-loop loss on the survey (``X_unlabeled``, else the wells' seismic) with this
        weight (:func:`~impedance_sklearn.estimators.closedloop.closed_loop_finetune`: predicted impedance
        -> the tied wavelet's convolutional model -> compared with the observed seismic, next
        to the wells and the synthetics). Off by default: measured, it adds at most 0.006 PCC
        on top of the synthetics (``docs/fewwells.md``).
    physics_steps : int, default=200
        Adam steps of the closed-loop fine-tuning.
    forward : {"kennett", "convolutional"} or ForwardModel, default="kennett"
        Forward model of the synthetics (:mod:`impedance_sklearn.physics.forward`), with the tied
        wavelet put in: Kennett's invariant imbedding with all internal multiples
        (:class:`~impedance_sklearn.physics.forward.KennettModel`) or the primaries-only convolutional
        model (:class:`~impedance_sklearn.physics.forward.ConvolutionalModel`), by name or as an object
        (its wavelet is replaced by the tied one).
    wavelet_length : int, default=None
        Samples of the estimated wavelet, time zero at its centre sample (``length // 2``), so
        that any phase and a bulk shift of the logs are absorbed. ``None`` means
        ``2 * (n_samples // 4) + 1`` (about half the trace), at most 201; never more than
        ``n_samples``.
    well_weight : float in [0, 1], default=0.1
        Fraction of the training traces that are real pairs: the wells are repeated
        ``round(well_weight / (1 - well_weight) * n_synthetic / n_wells)`` times (at least once
        when ``well_weight > 0``). ``0`` trains on synthetics only, ``1`` on the wells only.
    noise : "auto" or float >= 0, default="auto"
        ``"auto"``: coloured noise with the power spectrum of the well-tie residual (corrected
        for the wavelet's degrees of freedom); when ``X_unlabeled`` is given, raised at every
        frequency to at least the survey's white-noise floor, its mean power at frequencies
        where the tied wavelet's amplitude is below 5 % of its peak (used when such frequencies
        make up at least 5 % of the spectrum). A float is the RMS of white noise relative to
        the RMS of the modelled (noise-free) seismic at the wells; ``0`` adds no noise.
    trend_degree : int, default=1
        Degree of the polynomial background trend of log-impedance.
    n_estimators : int, default=1
        Inner estimators fitted (seeds drawn from ``random_state``); the
        prediction is their mean, ``return_std`` their standard deviation.
    n_jobs : int or None, default=None
        Inner estimators fitted in parallel (joblib threads).
    slope_sigma : float, default="deprecated"
        Deprecated in 0.3 (removed in 0.4): a parameter of
        :class:`~impedance_sklearn.estimators.section.SectionInversion`.
    random_state : int, RandomState instance or None, default=None
        Seeds the synthetic data, and the inner estimators' ``random_state`` when it is None.

    Attributes
    ----------
    mode_ : {"traces", "section"}
        ``"section"`` only on the deprecated ``fit(..., well_positions=)`` path.
    prior_ : {"statistics", "generator"}
        Where the synthetics came from (see ``prior``).
    paper_likeness_ : float or None
        Correlation of the tied wavelet with the paper's recipe.
    generator_range_ : (float, float) or None
        The generator prior's facies range (m), fitted to the logs.
    generator_gain_ : float
        Amplitude of the survey over the generator's.
    section_ : Bunch or None
        The deprecated section path's :attr:`SectionInversion.section_` (else None).
    estimators_ : list of estimators
        The fitted clones of ``estimator``.
    estimator_ : estimator or None
        The first of ``estimators_``.
    wavelet_ : ndarray of shape (wavelet_length,)
        Estimated wavelet shape, peak absolute value 1 (``None`` if the tie was impossible).
    wavelet_origin_ : int
        Index of time zero in ``wavelet_`` (its centre sample).
    amplitude_scale_ : float
        Seismic amplitude of a unit-peak wavelet: ``X ~ amplitude_scale_ * (r * wavelet_)``.
    stats_ : Bunch
        Fitted impedance statistics (see :func:`fit_impedance_statistics`; ``mean`` and ``std``
        in the units of ``y``, the rest in log-impedance and samples); ``None`` when the physics
        could not be applied.
    noise_psd_ : ndarray of shape (n_features_in_ + 1,) or None
        Power spectrum of the noise added to the synthetics (one-sided, FFT length
        ``2 * n_features_in_``; power per sample).
    noise_level_ : float
        RMS of that noise over the RMS of the modelled (noise-free) seismic at the wells.
    n_repeats_ : int
        Times each real pair appears in the training set.
    fallback_ : str or None
        Why no synthetics were generated (non-positive impedance, too few samples, no
        contrast), in which case the inner estimator was trained on the wells alone.
    n_features_in_ : int
    n_outputs_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from impedance_sklearn.physics import convolve_traces, reflectivity, ricker
    >>> rng = np.random.default_rng(0)
    >>> y = np.exp(1.5 + np.cumsum(rng.normal(0, 0.02, (40, 64)), axis=1))
    >>> r = np.concatenate([np.zeros((40, 1)), reflectivity(y)], axis=1)
    >>> X = 3.7 * convolve_traces(r, ricker(60.0, 0.002, 0.04))
    >>> reg = FewWellsRegressor(Ridge(1e-3), n_synthetic=200, forward="convolutional",
    ...                         noise=0.0, random_state=0).fit(X[:5], y[:5])
    >>> reg.predict(X[5:]).shape
    (35, 64)
    >>> round(reg.amplitude_scale_, 1)
    3.7
    """

    _parameter_constraints = {
        "estimator": [None, HasMethods(["fit", "predict"])],
        "n_synthetic": [Interval(numbers.Integral, 0, None, closed="left")],
        "prior": [StrOptions({"auto", "statistics", "generator"})],
        "forward": [StrOptions({"kennett", "convolutional"}), ForwardModel],
        "wavelet_length": [None, Interval(numbers.Integral, 1, None, closed="left")],
        "well_weight": [Interval(numbers.Real, 0, 1, closed="both")],
        "physics_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "physics_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "noise": [StrOptions({"auto"}), Interval(numbers.Real, 0, None, closed="left")],
        "trend_degree": [Interval(numbers.Integral, 0, None, closed="left")],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": [None, numbers.Integral],
        "slope_sigma": [Interval(numbers.Real, 0, None, closed="neither"),
                        StrOptions({"deprecated"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        n_synthetic=5000,
        prior="auto",
        forward="kennett",
        wavelet_length=None,
        well_weight=0.1,
        physics_weight=0.0,
        physics_steps=200,
        noise="auto",
        trend_degree=1,
        n_estimators=1,
        n_jobs=None,
        slope_sigma="deprecated",
        random_state=None,
    ):
        self.estimator = estimator
        self.n_synthetic = n_synthetic
        self.prior = prior
        self.forward = forward
        self.wavelet_length = wavelet_length
        self.well_weight = well_weight
        self.physics_weight = physics_weight
        self.physics_steps = physics_steps
        self.noise = noise
        self.trend_degree = trend_degree
        self.n_estimators = n_estimators
        self.n_jobs = n_jobs
        self.slope_sigma = slope_sigma
        self.random_state = random_state

    @property
    def _min_trace_length(self):
        """A given inner estimator's shortest trace (e.g. an ImpedanceCNN's kernel size); the
        default one adapts its kernel to the traces."""
        if self.estimator is None:
            return 1
        try:
            return max(1, int(getattr(self.estimator, "_min_trace_length", 1)))
        except (TypeError, ValueError):
            return 1

    def _make_estimator(self, rng):
        if self.estimator is None:
            from impedance_sklearn.estimators.cnn import ImpedanceCNN

            # the seed's kernel, or the longest that fits shorter traces; 30 epochs of the
            # (many) synthetics are about four times the steps of the default fit on 520 traces
            est = ImpedanceCNN(kernel_size=int(min(300, self.n_features_in_)), max_epochs=30)
        else:
            est = clone(self.estimator)
        params = est.get_params(deep=False)
        if "random_state" in params and params["random_state"] is None:
            if self.random_state is not None:
                est.set_params(random_state=int(rng.randint(np.iinfo(np.int32).max)))
        return est

    def _tie(self, X, Y):
        """Wavelet (with amplitude), origin, and why the physics cannot be used (or None)."""
        n = X.shape[1]
        if n < 4:
            return None, None, f"traces of {n} samples are too short to tie a wavelet (need 4)"
        if np.any(Y <= 0):
            return None, None, "y has non-positive values: not an impedance, no reflectivity"
        if np.all(np.ptp(Y, axis=1) == 0):
            return None, None, "y has no impedance contrast: no reflectivity to tie"
        length = self.wavelet_length
        if length is None:
            length = min(2 * (n // 4) + 1, 201)
        length = int(min(length, n))
        origin = length // 2
        try:
            w, _ = tie_wavelet(X, Y, length, origin=origin, damp=1e-2)
        except (ValueError, np.linalg.LinAlgError) as exc:
            return None, None, f"wavelet estimation failed: {exc}"
        if w is None or not np.all(np.isfinite(w)) or not np.any(w):
            return None, None, "the estimated wavelet is zero or not finite"
        return w, origin, None

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, X_unlabeled=None, well_positions=None):
        """Fit to the wells: tie, model the logs, synthesise, train.

        Parameters
        ----------
        X : array-like of shape (n_wells, n_samples)
            Seismic traces at the wells.
        y : array-like of shape (n_wells, n_samples_y) or (n_wells,)
            Impedance at the wells, on the seismic time axis (resampled to ``n_samples`` when
            its length differs).
        X_unlabeled : array-like of shape (n_traces, n_samples), default=None
            Unlabelled survey traces. With ``noise="auto"`` their power outside the wavelet's
            band sets a floor under the synthetics' noise spectrum; the closed loop
            (``physics_weight``) is trained on them.
        well_positions : array-like of int, shape (n_wells,), default=None
            Deprecated: a section with its wells is :class:`~impedance_sklearn.SectionInversion`
            (this path fits one and predicts with it; it will be removed in 0.4).

        Returns
        -------
        self : FewWellsRegressor
        """
        X, Y = self._validate_fit_data(X, y, dtype=(np.float64,))
        Yg = resample_traces(Y, X.shape[1])
        if X_unlabeled is not None:
            X_unlabeled = SectionInversion._check_section(X, X_unlabeled)
        if well_positions is not None:
            return self._fit_section(X, y, X_unlabeled, well_positions)
        self._warn_section_params()
        self.mode_, self.section_ = "traces", None
        rng = check_random_state(self.random_state)
        self.fallback_ = self._fit_synthetic_model(X, Yg, X_unlabeled)
        X_syn, Y_syn = self._synthesize(rng)
        X_tr, Y_tr = self._training_set(X, Yg, X_syn, Y_syn)
        self.estimators_ = self._fit_members(X_tr, Y_tr, rng)
        if self.physics_weight > 0:
            self._closed_loop(X, Yg, X_unlabeled, X_syn, Y_syn, rng)
        self.estimator_ = self.estimators_[0]
        return self

    # ---------------------------------------------------------------- the steps of fit
    def _fit_synthetic_model(self, X, Yg, X_unlabeled):
        """Tie, impedance statistics, prior and noise; returns why no physics (or None)."""
        self.prior_, self.paper_likeness_ = "statistics", None
        self.generator_range_, self.generator_gain_ = None, 1.0
        self.wavelet_, self.wavelet_origin_, self.amplitude_scale_ = None, None, 1.0
        self.stats_, self.noise_psd_, self.noise_level_ = None, None, 0.0
        w, origin, reason = self._tie(X, Yg)
        if reason is not None:
            return reason
        try:
            self.amplitude_scale_ = float(np.max(np.abs(w)))
            self.wavelet_, self.wavelet_origin_ = w / self.amplitude_scale_, origin
            self.stats_ = fit_impedance_statistics(Yg, trend_degree=self.trend_degree)
            sample = self._choose_prior(X, Yg, w, origin, X_unlabeled)
            self._fit_noise(X, Yg, w, origin, X_unlabeled, sample)
        except (ValueError, FloatingPointError) as exc:  # e.g. absurd fitted statistics
            self.stats_ = None
            return f"the synthetic model could not be fitted ({exc})"
        return None

    def _synthesize(self, rng):
        """``n_synthetic`` pairs from the fitted model (None, None when there are none)."""
        n_syn = self.n_synthetic if self.well_weight < 1 else 0
        X_syn = Y_syn = None
        if self.fallback_ is None and n_syn > 0:
            X_syn, Y_syn = self._generate(n_syn, rng)
            if not (np.all(np.isfinite(X_syn)) and np.all(np.isfinite(Y_syn))):
                self.fallback_ = "the synthetic traces were not finite"
        if self.fallback_ is not None:
            warnings.warn(f"FewWellsRegressor: {self.fallback_}; training the inner estimator "
                          "on the wells alone.", UserWarning)
            return None, None
        return X_syn, Y_syn

    def _training_set(self, X, Yg, X_syn, Y_syn):
        """The synthetics plus the wells repeated to ``well_weight`` of the traces."""
        if X_syn is None:
            self.n_repeats_ = 1
            return X, Yg
        reps = 0
        if self.well_weight > 0:
            ratio = self.well_weight / (1.0 - self.well_weight)
            reps = max(1, int(round(ratio * len(X_syn) / X.shape[0])))
        self.n_repeats_ = reps
        return (np.concatenate([X_syn, np.tile(X, (reps, 1))]),
                np.concatenate([Y_syn, np.tile(Yg, (reps, 1))]))

    def _fit_members(self, X_tr, Y_tr, rng):
        """``n_estimators`` clones of ``estimator`` fitted on the training set."""
        members = [self._make_estimator(rng) for _ in range(int(self.n_estimators))]
        if len(members) > 1 and self.n_jobs not in (None, 1):
            from joblib import Parallel, delayed

            return Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(est.fit)(X_tr, Y_tr) for est in members)
        return [est.fit(X_tr, Y_tr) for est in members]

    def _closed_loop(self, X, Yg, X_unlabeled, X_syn, Y_syn, rng):
        """physics_weight > 0: fine-tune each network with the closed-loop loss."""
        from impedance_sklearn.estimators.closedloop import closed_loop_finetune

        if self.wavelet_ is None:
            warnings.warn("FewWellsRegressor: no tied wavelet, so no closed-loop training "
                          f"(physics_weight ignored): {self.fallback_}.", UserWarning)
            return
        survey = X if X_unlabeled is None else X_unlabeled
        keep = None if X_syn is None else rng.permutation(len(X_syn))[:2000]
        for est in self.estimators_:
            if not hasattr(est, "module_"):
                raise ValueError("physics_weight > 0 needs a network as the inner estimator "
                                 f"(an ImpedanceCNN), got {type(est).__name__}.")
            closed_loop_finetune(
                est, X, Yg, survey, self.amplitude_scale_ * self.wavelet_, self.wavelet_origin_,
                weight=float(self.physics_weight), n_steps=int(self.physics_steps),
                X_synthetic=None if keep is None else X_syn[keep],
                y_synthetic=None if keep is None else Y_syn[keep], random_state=rng)

    def _choose_prior(self, X, Yg, w, origin, X_unlabeled):
        """prior_ and paper_likeness_ (and, for the generator, generator_range_ and _gain_);
        returns the generator's seismic the gain was measured on (None for the statistics)."""
        self.paper_likeness_ = paper_likeness(w, origin)
        use = self.prior == "generator"
        if self.prior == "auto" and self.paper_likeness_ > PAPER_LIKENESS:
            use = 2.0 <= float(np.mean(Yg)) <= 12.0  # impedance / 1e6, as the generator's
        self.prior_ = "generator" if use else "statistics"
        if not use:
            return None
        from impedance_sklearn.synthetic.generator import make_impedance_dataset

        self.generator_range_, _ = fit_generator_range(Yg)
        sample, _ = make_impedance_dataset(
            300, n_samples=X.shape[1], random_state=0, vertical_range=self.generator_range_)
        ref = X if X_unlabeled is None else X_unlabeled
        self.generator_gain_ = float(np.sqrt(np.mean(ref**2))
                                     / np.sqrt(np.mean(sample**2)))
        return sample

    def _fit_noise(self, X, Yg, w, origin, X_unlabeled, sample):
        """noise_psd_ and noise_level_ of the chosen prior."""
        n_fft = 2 * X.shape[1]
        S_wells = _forward(Yg, w, origin, self.forward)
        signal = float(np.mean(S_wells**2))
        if self.noise != "auto":
            psd = np.full(n_fft // 2 + 1, self.noise**2 * signal)
        elif self.prior_ == "statistics":
            # well-tie residual, inflated for the wavelet's degrees of freedom
            dof = X.size / max(X.size - w.size, 1)
            psd = _moving_average(_power_spectrum(X - S_wells, n_fft)) * dof
            if X_unlabeled is not None:
                # the survey's white-noise floor: its mean power where the wavelet has none
                W = np.abs(np.fft.rfft(w, n_fft))
                out = W < 0.05 * W.max()
                if out.mean() >= 0.05:
                    floor = float(np.mean(_power_spectrum(X_unlabeled, n_fft)[out]))
                    psd = np.maximum(psd, floor)
        else:
            # the generator: white, at the level the survey holds beyond the generator's own
            # spectrum in the top quarter of the band, where the signal is weakest (the tie
            # residual would count the time-grid model's error as noise); none when the two
            # agree within 2x
            ref = X if X_unlabeled is None else X_unlabeled
            P_ref = _power_spectrum(ref, n_fft)
            P_gen = _power_spectrum(self.generator_gain_ * sample, n_fft)
            top = slice(3 * P_ref.size // 4, None)
            ratio = float(np.median(P_ref[top]) / max(np.median(P_gen[top]), 1e-300))
            level = float(np.median(np.clip(P_ref[top] - P_gen[top], 0, None)))
            psd = np.full_like(P_ref, level if ratio > 2.0 else 0.0)
        if self.prior_ == "generator":
            signal = float(np.mean((self.generator_gain_ * sample) ** 2))
        self.noise_psd_ = psd
        self.noise_level_ = float(np.sqrt(_mean_power(psd) / signal)) if signal > 0 else 0.0

    # ---------------------------------------------------------------- deprecated: a section
    def _warn_section_params(self):
        if self.slope_sigma != "deprecated":
            warnings.warn("FewWellsRegressor(slope_sigma=) is deprecated in 0.3 and will be "
                          "removed in 0.4: it is a parameter of SectionInversion.",
                          FutureWarning, stacklevel=3)

    def _section_estimator(self):
        """The fitted SectionInversion (rebuilt from ``section_`` for a model saved by 0.2)."""
        if not hasattr(self, "_section"):
            check_is_fitted(self)
            sec = SectionInversion()
            for name in ("section_", "n_section_traces_", "n_features_in_", "n_outputs_",
                         "_y_was_1d"):
                setattr(sec, name, getattr(self, name))
            self._section = sec
        return self._section

    def _fit_section(self, X, y, X_unlabeled, well_positions):
        warnings.warn(
            "FewWellsRegressor.fit(..., well_positions=) is deprecated in 0.3 and will be "
            "removed in 0.4: a section with its wells is SectionInversion(wavelet_length, "
            "slope_sigma).fit(X, y, X_unlabeled=section, well_positions=rows).",
            FutureWarning, stacklevel=3)
        params = {"wavelet_length": self.wavelet_length or 81}
        if self.slope_sigma != "deprecated":
            params["slope_sigma"] = self.slope_sigma
        self._section = SectionInversion(**params).fit(X, y, X_unlabeled, well_positions)
        self.mode_, self.section_ = "section", self._section.section_
        self.n_section_traces_ = self._section.n_section_traces_
        self.estimators_, self.estimator_, self.fallback_ = [], None, None
        return self

    def _generate(self, n_traces, rng):
        n = self.n_features_in_
        if getattr(self, "prior_", "statistics") == "generator":
            from impedance_sklearn.synthetic.generator import make_impedance_dataset

            S, Y = make_impedance_dataset(n_traces, n_samples=n, random_state=rng,
                                          vertical_range=self.generator_range_)
            S = S * self.generator_gain_
            if _mean_power(self.noise_psd_) > 0:
                S += _coloured_noise(self.noise_psd_, n_traces, n, rng)
            return S, Y
        Y = sample_impedance(self.stats_, n_traces, n, rng)
        S = _forward(Y, self.amplitude_scale_ * self.wavelet_, self.wavelet_origin_, self.forward)
        if _mean_power(self.noise_psd_) > 0:
            S += _coloured_noise(self.noise_psd_, n_traces, n, rng)
        return S, Y

    def generate(self, n_traces, random_state=None):
        """Draw synthetic (seismic, impedance) pairs from the fitted model, as used in ``fit``.

        Parameters
        ----------
        n_traces : int
        random_state : int, RandomState instance or None, default=None

        Returns
        -------
        X : ndarray of shape (n_traces, n_features_in_)
            Seismic: forward model with the tied wavelet and amplitude, plus the fitted noise.
        y : ndarray of shape (n_traces, n_features_in_)
            Impedance on the seismic time axis.
        """
        check_is_fitted(self)
        if self.stats_ is None:
            raise ValueError(f"no synthetic model was fitted: {self.fallback_}.")
        if not isinstance(n_traces, numbers.Integral) or n_traces < 1:
            raise ValueError(f"n_traces must be a positive integer, got {n_traces!r}.")
        return self._generate(int(n_traces), check_random_state(random_state))

    def predict(self, X, positions=None, return_std=False):
        """Impedance traces (and their standard deviation).

        Parameters
        ----------
        X : array-like of shape (n_traces, n_samples)
        positions : array-like of int, shape (n_traces,), optional
            Only for the deprecated section path (see :meth:`SectionInversion.predict`).
        return_std : bool, default=False
            Also return the spread of the ``n_estimators`` inner estimators (zero with one).

        Returns
        -------
        y : ndarray of shape (n_traces, n_outputs_) or (n_traces,) if y was 1-D
        std : ndarray of the same shape, only with ``return_std``
        """
        if getattr(self, "mode_", "traces") == "section":  # deprecated
            return self._section_estimator().predict(X, positions=positions,
                                                     return_std=return_std)
        X = self._validate_predict_data(X, dtype=(np.float64,))
        preds = np.stack([np.asarray(e.predict(X), dtype=np.float64).reshape(X.shape[0], -1)
                          for e in self.estimators_])
        Y, S = preds.mean(axis=0), preds.std(axis=0)
        if return_std:
            return self._format_prediction(Y), self._format_prediction(S)
        return self._format_prediction(Y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
