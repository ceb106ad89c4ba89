"""Mutation testing: plant one known bug at a time and check that the test suite catches it.

For every mutant: copy ``impedance_sklearn/``, ``tests/``, ``pyproject.toml``, ``README.md`` and
``docs/`` to a temporary folder, apply one exact-string replacement to one package file (the
original string must occur exactly once, so this script fails loudly when the code it targets
changes), and run ``python -m pytest -x -q -p no:cacheprovider <modules>`` there with
``PYTHONPATH=<tempdir>`` (the copy's package is the one imported) and
``IMPEDANCE_SHARED_DATA`` pointing at the real-data folder. A non-zero exit kills the mutant; a
zero exit means it survived (the tests did not see the bug). Each run has a time limit; a mutant
that runs past it counts as a timeout (neither killed nor survived).

Only modules under ``tests/`` are run, not the package's doctests: the point is that the test
modules themselves catch the bugs.

Writes benchmarks/results/mutations.md (the table and the kill rate); ``--only`` writes nothing
unless ``--out`` is given.

Run:  OMP_NUM_THREADS=1 python benchmarks/mutations.py [--only NAME ...] [--list] [--timeout S]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "results" / "mutations.md"
DEFAULT_SHARED = REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # relative to the repository root
    old: str
    new: str
    modules: tuple  # test modules (relative paths or node ids) that should kill it
    what: str  # the bug, in words


M = Mutant
MUTANTS = [
    M("kennett-multiple-sign", "impedance_sklearn/physics/_kernels.py",
      "                    Dr[b] = Dr[b] + rj * ar\n                    Di[b] = Di[b] + rj * ai\n",
      "                    Dr[b] = Dr[b] - rj * ar\n                    Di[b] = Di[b] - rj * ai\n",
      ("tests/test_synthetic.py", "tests/test_forward.py", "tests/test_physics.py"),
      "Kennett recursion: R = (r + PR) / (1 - rPR), the multiples' sign flipped"),
    M("kennett-transmission", "impedance_sklearn/physics/_kernels.py",
      "tt[j] = 1.0 - rj * rj if trans_loss else 1.0",
      "tt[j] = 1.0 + rj * rj if trans_loss else 1.0",
      ("tests/test_synthetic.py", "tests/test_forward.py", "tests/test_physics.py"),
      "primaries with transmission loss: 1 + r^2 instead of 1 - r^2"),
    M("kennett-default-band", "impedance_sklearn/physics/__init__.py",
      "f_max = _auto_f_max(W, freqs, 1e-6)",
      "f_max = _auto_f_max(W, freqs, 1e-2)",
      ("tests/test_synthetic.py", "tests/test_physics.py"),
      "Kennett's automatic band cut where the wavelet is 1e-2 (not 1e-6) of its peak"),
    M("depth-to-time-side", "impedance_sklearn/physics/__init__.py",
      'idx[i] = np.searchsorted(tt[i], t - tol, side="left")',
      'idx[i] = np.searchsorted(tt[i], t + tol, side="right")',
      ("tests/test_physics.py", "tests/test_synthetic.py"),
      "depth_to_time 'next': a sample on a layer top takes the layer below the next one"),
    M("predict-segy-last-chunk", "impedance_sklearn/io/survey.py",
      "rest = bounds[1:]",
      "rest = bounds[1:-1]",
      ("tests/test_segy.py", "tests/test_cli.py"),
      "predict_segy skips its last chunk (those traces keep the input seismic)"),
    M("pcc-as-covariance", "impedance_sklearn/metrics.py",
      "rho = np.sum(Yc * Pc, axis=1) / np.sqrt(np.sum(Yc**2, axis=1) * np.sum(Pc**2, axis=1))",
      "rho = np.mean(Yc * Pc, axis=1)",
      ("tests/test_metrics.py",),
      "trace_pcc returns a covariance (of max-scaled traces), not a correlation"),
    M("relative-l2-pred-mean", "impedance_sklearn/metrics.py",
      "return _reduce(np.sqrt(np.mean((P - Y) ** 2, axis=1)) / _mean_abs_true(Y), per_trace, w)",
      "return _reduce(np.sqrt(np.mean((P - Y) ** 2, axis=1)) / _mean_abs_true(P), per_trace, w)",
      ("tests/test_metrics.py",),
      "relative_l2 divides by the prediction's mean, not the true trace's"),
    M("resample-axis", "impedance_sklearn/physics/transforms.py",
      "np.cumsum(A, axis=-1)",
      "np.cumsum(A, axis=0)",
      ("tests/test_base.py", "tests/test_transforms.py"),
      "resample_traces (downsampling) sums along traces instead of along time"),
    M("mbi-wavelet-reversed", "impedance_sklearn/estimators/modelbased.py",
      "self.wavelet_[half - origin : half - origin + length] = w",
      "self.wavelet_[half - origin : half - origin + length] = w[::-1]",
      ("tests/test_baselines.py",),
      "ModelBasedInversion stores its tied wavelet time-reversed"),
    M("same-padding-swapped", "impedance_sklearn/estimators/nn.py",
      "return p1, k - 1 - p1",
      "return k - 1 - p1, p1",
      ("tests/test_cnn.py",),
      "same_padding swaps the two layers' paddings (even kernels: output one sample late)"),
    M("trace-integration-half", "impedance_sklearn/estimators/baselines.py",
      "return self.background_ + 2.0 * self.scale_ * self._integrate(X, self.lag_)",
      "return self.background_ + 1.0 * self.scale_ * self._integrate(X, self.lag_)",
      ("tests/test_baselines.py",),
      "TraceIntegration predicts half the fitted amplitude"),
    M("colored-ignores-gain", "impedance_sklearn/estimators/baselines.py",
      "self.gain_ * amp * np.exp(",
      "np.sign(self.gain_) * amp * np.exp(",
      ("tests/test_baselines.py",),
      "ColoredInversion ignores its gain's magnitude (keeps its sign)"),
    M("chunked-drops-last", "impedance_sklearn/evaluation/__init__.py",
      "starts = range(0, n, chunk_traces)",
      "starts = range(0, n - chunk_traces + 1, chunk_traces)",
      ("tests/test_cli.py",),
      "predict_chunked (CLI predict/evaluate) drops the trailing partial chunk"),
    M("atomic-overwrite", "impedance_sklearn/io/_files.py",
      "if path.exists() and not overwrite:",
      "if False:",
      ("tests/test_io.py", "tests/test_segy.py"),
      "writers replace an existing file without overwrite=True"),
    M("standardized-no-exp", "impedance_sklearn/estimators/scaling.py",
      "y = torch.exp(t) if self.log_target else t",
      "y = t",
      ("tests/test_cnn.py",),
      "StandardizedNetwork returns log-impedance (forgets exp of the log target)"),
    M("whitening-floor", "impedance_sklearn/estimators/scaling.py",
      "return 1.0 / np.maximum(S / S.max(), floor)",
      "return 1.0 / np.minimum(S / S.max(), floor)",
      ("tests/test_cnn.py",),
      "whitening filter: np.minimum instead of the floor np.maximum"),
    M("convolutional-origin", "impedance_sklearn/physics/forward.py",
      "return physics.convolve_traces(self.reflectivity_series(Z), w, o)",
      "return physics.convolve_traces(self.reflectivity_series(Z), w, o + 1)",
      ("tests/test_forward.py",),
      "ConvolutionalModel.seismic: wavelet origin off by one sample"),
    M("soft-sand-pressure", "impedance_sklearn/physics/rockphysics.py",
      'P, C, pc = r["pressure"] / 1000.0',
      'P, C, pc = r["pressure"]',
      ("tests/test_synthetic.py",),
      "soft_sand takes the pressure in MPa as GPa"),
    M("well-bins", "impedance_sklearn/io/wells.py",
      "lo, hi = time - dt / 2 - 1e-6 * dt, time + dt / 2 - 1e-6 * dt",
      "lo, hi = time - 1e-6 * dt, time + dt - 1e-6 * dt",
      ("tests/test_wells.py",),
      "well_on_time_axis: bins start at each sample instead of being centred on it"),
    M("load-model-trust", "impedance_sklearn/estimators/persist.py",
      "        if not trust:\n",
      "        if False:\n",
      ("tests/test_reliability.py",),
      "load_model opens pickle/joblib files without trust=True"),
    M("per-trace-ignored", "impedance_sklearn/estimators/scaling.py",
      "        if self.per_trace:\n",
      "        if False:\n",
      ("tests/test_pretrained.py",),
      "StandardizedNetwork ignores per-trace standardisation (the field network's amplitude)"),
    M("closed-loop-no-physics", "impedance_sklearn/estimators/closedloop.py",
      "        if self.weight > 0:\n",
      "        if False:\n",
      ("tests/test_closedloop.py",),
      "closed-loop fine-tuning drops its physics term"),
    M("augment-noise-dropped", "impedance_sklearn/physics/transforms.py",
      "    out[nz] += (levels[nz, None] * rms[nz]) * noise[nz]",
      "    out[nz] += 0.0 * noise[nz]",
      ("tests/test_pretrained.py",),
      "augment_field adds no noise"),
    M("mbi-blocky-no-l1", "impedance_sklearn/estimators/modelbased.py",
      "epsRL1s=[float(self.eps_l1) * self._scale_ref]",
      "epsRL1s=[0.0]",
      ("tests/test_baselines.py",),
      "ModelBasedInversion(regularization='blocky') without its L1 term"),
    # behaviours pinned before the architecture step (issue 21), each with its test
    M("well-windows-last", "impedance_sklearn/io/wells.py",
      "starts = np.arange(run[0], run[-1] - n_samples + 2, int(stride))",
      "starts = np.arange(run[0], run[-1] - n_samples + 1, int(stride))",
      ("tests/test_pinned.py",), "well_windows drops the last full window of a logged run"),
    M("compat-quieter", "impedance_sklearn/estimators/compatibility.py",
      "if ratio > AMPLITUDE_TOLERANCE or ratio < 1 / AMPLITUDE_TOLERANCE:",
      "if ratio > AMPLITUDE_TOLERANCE:",
      ("tests/test_pinned.py",), "compatibility flags only louder surveys, not quieter ones"),
    M("cnn-log-spread", "impedance_sklearn/estimators/cnn.py",
      "        std = float(T.std())", "        std = float(np.std(Y))",
      ("tests/test_pinned.py",), "the log-domain target is scaled by the spread of y, not ln y"),
    M("cnn-input-scale-raw", "impedance_sklearn/estimators/cnn.py",
      "X = np.fft.irfft(np.fft.rfft(X, n_fft, axis=1) * self._prefilter, n_fft,",
      "_ = np.fft.irfft(np.fft.rfft(X, n_fft, axis=1) * self._prefilter, n_fft,",
      ("tests/test_pinned.py",), "the CNN's input scale measured on the raw, not whitened, traces"),
    M("augment-noise-input", "impedance_sklearn/physics/transforms.py",
      "rms = np.sqrt(np.mean(out**2, axis=-1, keepdims=True))",
      "rms = np.sqrt(np.mean(X**2, axis=-1, keepdims=True))",
      ("tests/test_pinned.py",), "augment_field scales its noise by the input, not the filtered trace"),
    M("interpolate-extrapolates", "impedance_sklearn/estimators/section.py",
      "f = np.clip((pos - a) / (b - a), 0.0, 1.0)[:, None]", "f = ((pos - a) / (b - a))[:, None]",
      ("tests/test_pinned.py",), "interpolate_logs extrapolates linearly beyond the end wells"),
    M("prior-std-linear", "impedance_sklearn/estimators/section.py",
      "prior_std=np.sqrt(scale * bridge_factor(n_traces, wells))",
      "prior_std=scale * bridge_factor(n_traces, wells)",
      ("tests/test_pinned.py",), "fit_section's prior std grows linearly with the distance"),
    M("persist-bunch-dict", "impedance_sklearn/estimators/persist.py",
      'return Bunch(**d) if v.get("__bunch__") else d', "return d",
      ("tests/test_pinned.py",), "load_model returns a saved Bunch as a plain dict"),
    M("closedloop-first-traces", "impedance_sklearn/estimators/closedloop.py",
      "j = torch.randint(len(self._Xu), (self.n_draw,), generator=self._gen)",
      "j = torch.randint(min(len(self._Xu), 4), (self.n_draw,), generator=self._gen)",
      ("tests/test_pinned.py",), "closed-loop physics batches drawn from the first 4 traces only"),
    # the bound, the spectral checks, the tie and LAS time (this release)
    M("soft-clip-off", "impedance_sklearn/estimators/scaling.py",
      "            t = soft_clip(t, *self.t_range)", "            t = t",
      ("tests/test_bounded.py",), "StandardizedNetwork ignores its output range"),
    M("noise-check-off", "impedance_sklearn/estimators/compatibility.py",
      "if share > NOISE_TOLERANCE * ref:", "if share > 1e9 * ref:",
      ("tests/test_bounded.py",), "the noise check never fires"),
    M("tie-shift-sign", "impedance_sklearn/welltie.py",
      "bulk_r, shift = float(sign * cc[il, it]), float(lags[il] * dt)",
      "bulk_r, shift = float(sign * cc[il, it]), float(-lags[il] * dt)",
      ("tests/test_welltie.py",), "tie_well applies its bulk shift with the wrong sign"),
    M("sonic-top-anchor", "impedance_sklearn/io/las.py",
      "time, t_notes = log_time(depth, slowness, time_at_top=float(time_at_top))",
      "time, t_notes = log_time(depth, np.where(ok, slowness, np.nan), "
      "time_at_top=float(time_at_top))",
      ("tests/test_wells.py",), "LAS time_at_top anchored at the density's top, not the sonic's"),
    # the moved code of the architecture step (0.3)
    M("mixin-skips-constraints", "impedance_sklearn/estimators/_base.py",
      "        BaseEstimator._validate_params(self)\n", "        pass\n",
      ("tests/test_cnn.py", "tests/test_reliability.py"),
      "SklearnNeuralNetMixin skips scikit-learn's parameter constraints"),
    M("closed-loop-no-synthetics", "impedance_sklearn/estimators/closedloop.py",
      "        if self._syn is not None:\n", "        if False:\n",
      ("tests/test_closedloop.py",), "ClosedLoopTrainer drops the synthetics from its loss"),
    M("section-positions-ignored", "impedance_sklearn/estimators/section.py",
      "mean, std = section_posterior(self.section_, X, positions)",
      "mean, std = section_posterior(self.section_, X, np.arange(X.shape[0]))",
      ("tests/test_section.py",), "SectionInversion.predict ignores the traces' positions"),
    M("fewwells-noise-floor-off", "impedance_sklearn/estimators/fewwells.py",
      "                    psd = np.maximum(psd, floor)\n", "                    psd = psd\n",
      ("tests/test_fewwells.py",), "FewWellsRegressor ignores the survey's white-noise floor"),
    M("persist-0-2-names", "impedance_sklearn/estimators/persist.py",
      "    module = MOVED_IN_0_3.get(module, module)\n", "    module = module\n",
      ("tests/test_persist.py",), "model files written by 0.2 no longer open"),
    M("fewwells-deprecated-section-params", "impedance_sklearn/estimators/fewwells.py",
      '            params["slope_sigma"] = self.slope_sigma\n', "            pass\n",
      ("tests/test_section.py",), "the deprecated section path drops the user's slope_sigma"),
    # --- the tie, the windows, the pairs and the low-frequency model (the real-wells step) ---
    M("lfm-no-neff", "impedance_sklearn/estimators/lowfreq.py",
      "inflate = max(L, 1.0)", "inflate = 1.0",
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel: the coefficients' covariance not inflated by n / n_eff"),
    M("lfm-mad-scale", "impedance_sklearn/estimators/lowfreq.py",
      "sig = 1.4826 * float(", "sig = float(",
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel: the Huber scatter is the plain median absolute residual (no 1.4826)"),
    M("lfm-unsorted", "impedance_sklearn/estimators/lowfreq.py",
      "t, lz = t[order], np.log(z[order])", "t, lz = t[order], np.log(z)",
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel sorts the times but not the impedance with them"),
    M("lfm-var-weights-squared", "impedance_sklearn/estimators/lowfreq.py",
      "var += W[:, k:k + 1] * (self.sigma_[k] ** 2 + q)",
      "var += W[:, k:k + 1] ** 2 * (self.sigma_[k] ** 2 + q)",
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel blends the wells' variances with squared weights"),
    M("lfm-std-no-scatter", "impedance_sklearn/estimators/lowfreq.py",
      "var += W[:, k:k + 1] * (self.sigma_[k] ** 2 + q)", "var += W[:, k:k + 1] * q",
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel's std leaves out the log's scatter about the trend"),
    M("lfm-corr-threshold", "impedance_sklearn/estimators/lowfreq.py",
      "acf / acf[0] < np.exp(-1.0)", "acf / acf[0] < 0.5",
      ("tests/test_lowfreq.py",),
      "correlation length where the autocorrelation falls below 1/2, not 1/e"),
    M("lfm-huber-ignored", "impedance_sklearn/estimators/lowfreq.py",
      'if self.loss == "huber":', 'if self.loss != "huber":',
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel's loss option swapped (least squares by default)"),
    M("lfm-idw-on-line", "impedance_sklearn/estimators/lowfreq.py",
      "interpolate_logs(np.eye(k), self.well_positions_, positions, method=self.method)",
      'interpolate_logs(np.eye(k), self.well_positions_, positions, method="idw")',
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel interpolates along a line by inverse distance"),
    M("lfm-log-no-hold", "impedance_sklearn/estimators/lowfreq.py",
      'Tk = T if self.time_axis == "linear" else np.maximum(T, self.interval_[k, 0])',
      "Tk = T",
      ("tests/test_lowfreq.py",),
      "LowFrequencyModel(time_axis='log') no longer holds its trend above the log (fails at t <= 0)"),
    M("windowed-predict-t0", "impedance_sklearn/estimators/windowed.py",
      "out *= self.background_.predict(self._times(t0, n, m)",
      "out *= self.background_.predict(self._times(None, n, m)",
      ("tests/test_windowed.py",),
      "WindowedRegressor.predict ignores its t0 (the background at the wrong times)"),
    M("windowed-fit-t0", "impedance_sklearn/estimators/windowed.py",
      "T = self._times(t0, n, m)", "T = self._times(None, n, m)",
      ("tests/test_windowed.py",),
      "WindowedRegressor.fit ignores the windows' start times (the trend fitted at t0 = 0)"),
    M("windowed-one-trend", "impedance_sklearn/estimators/windowed.py",
      "return bg.fit(times, logs, positions=well_pos)",
      "return bg.fit(np.concatenate(times), np.concatenate(logs))",
      ("tests/test_windowed.py",),
      "WindowedRegressor fits one background to all wells together"),
    M("windowed-taper-ignored", "impedance_sklearn/estimators/windowed.py",
      "out[:, s:s + self.window] += self.taper_ * P[:, k]",
      "out[:, s:s + self.window] += P[:, k]",
      ("tests/test_windowed.py",),
      "overlap-add sums the windows untapered but divides by the taper's sum"),
    M("windowed-fit-stride-ignored", "impedance_sklearn/estimators/windowed.py",
      "starts = window_starts(m, self.window, self.fit_stride_)",
      "starts = window_starts(m, self.window, self.stride_)",
      ("tests/test_windowed.py",),
      "WindowedRegressor.fit cuts its training windows at the overlap-add's stride, not fit_stride"),
    M("pairs-rms", "impedance_sklearn/io/pairs.py",
      "X = X * rms / max(", "X = X / max(",
      ("tests/test_pairs.py",),
      "a tie's own seismic scaled to unit RMS, not the survey's"),
    M("pairs-scale", "impedance_sklearn/io/pairs.py",
      'np.concatenate(ys) / float(getattr(survey, "scale", 1.0))',
      'np.concatenate(ys) * float(getattr(survey, "scale", 1.0))',
      ("tests/test_pairs.py",),
      "survey_well_windows multiplies the impedance by the survey's scale"),
    M("pairs-lateral-swap", "impedance_sklearn/io/pairs.py",
      '{"inline": il, "crossline": xl}', '{"inline": xl, "crossline": il}',
      ("tests/test_pairs.py",),
      "trace_positions takes crossline numbers along a crossline (inline varies)"),
    M("pairs-default-window-cap", "impedance_sklearn/io/pairs.py",
      "return min(max(1, int(round(DEFAULT_WINDOW_S / dt))), count, n)",
      "return min(max(1, int(round(DEFAULT_WINDOW_S / dt))), n)",
      ("tests/test_pairs.py",),
      "the default window is not capped by the shortest log"),
    M("tie-strain-per-time", "impedance_sklearn/welltie.py",
      "d = max_strain * (times[k] - times[k - 1])", "d = max_strain",
      ("tests/test_welltie.py",),
      "the drift's strain limit is per sample step, not per unit time"),
    M("tie-drift-not-accumulated", "impedance_sklearn/welltie.py",
      "np.interp(dt2, d_time, d_shift) + ds2", "ds2",
      ("tests/test_welltie.py",),
      "each drift iteration replaces the drift instead of adding to it"),
    M("tie-subsample-sign", "impedance_sklearn/welltie.py",
      "shift += 0.5 * (a - c3) / den", "shift -= 0.5 * (a - c3) / den",
      ("tests/test_welltie.py",),
      "the drift's parabolic sub-sample peak moved the wrong way"),
    M("tie-velocity-change", "impedance_sklearn/welltie.py",
      "np.max(np.abs(strain / (1 + strain)))", "np.max(np.abs(strain))",
      ("tests/test_welltie.py",),
      "the implied interval-velocity change reported as the strain itself"),
    M("tie-dtw-strain", "impedance_sklearn/welltie.py",
      "b = max(int(np.ceil(1.0 / max_strain)), 1)", "b = 1",
      ("tests/test_welltie.py",),
      "dynamic warping lets the lag change by a sample at every sample"),
    M("tie-wavelet-origin", "impedance_sklearn/welltie.py",
      "origin = n_w // 2", "origin = 0",
      ("tests/test_welltie.py",),
      "the tie's wavelet estimated as causal (time zero at its first sample)"),
    M("tie-sdw-strain-units", "impedance_sklearn/welltie.py",
      "m = int(np.floor(max_strain * (b - a) * q + 1e-9))",
      "m = int(np.floor(max_strain * (b - a) + 1e-9))",
      ("tests/test_welltie.py",),
      "smooth dynamic warping counts its strain limit in samples, not in its quarter-sample lags"),
    M("tie-sdw-first-knot", "impedance_sklearn/welltie.py",
      "    path = [k]\n    for arg in reversed(back):", "    path = [k]\n    for arg in back:",
      ("tests/test_welltie.py",),
      "smooth dynamic warping backtracks through its knots in the wrong order"),
    M("sonic-one-way", "impedance_sklearn/io/timedepth.py",
      "return 2.0 * np.concatenate", "return 1.0 * np.concatenate",
      ("tests/test_wells.py",),
      "the sonic integrated to one-way, not two-way, time"),
    M("checkshot-columns", "impedance_sklearn/io/las.py",
      "time_depth = clean_time_depth(td[:, 0], td[:, 1], where=\"time_depth\")",
      "time_depth = clean_time_depth(td[:, 1], td[:, 0], where=\"time_depth\")",
      ("tests/test_wells.py",),
      "a time-depth table read with its columns swapped"),
    M("checkshot-held-correction", "impedance_sklearn/io/timedepth.py",
      "t[inside] = ts + np.interp(zs, tz, tt - ts_rows)",
      "t[inside] = ts + (tt - ts_rows)[0]",
      ("tests/test_wells.py",),
      "the checkshot's correction of the sonic held from its first row, not interpolated"),
    M("checkshot-no-sort", "impedance_sklearn/io/timedepth.py",
      "    order = np.argsort(z, kind=\"stable\")\n", "    order = np.arange(z.size)\n",
      ("tests/test_welltie.py",), "a time-depth table's rows out of order are not sorted"),
    M("fill-kept", "impedance_sklearn/io/las.py",
      "        if b - a >= min_samples:\n", "        if b - a >= 10 ** 9:\n",
      ("tests/test_wells.py",), "a LAS curve's smooth fill counted as measured"),
    M("lfm-beyond-held", "impedance_sklearn/estimators/lowfreq.py",
      "            var += self._beyond_variance(positions, trends)\n",
      "            var += 0.0\n", ("tests/test_lowfreq.py",),
      "LowFrequencyModel's std beyond the end wells held, not growing with the distance"),
    M("windows-trace-averaged", "impedance_sklearn/io/wells.py",
      "        on = well_on_time_axis(Bunch(time=t, impedance=well.impedance, seismic=None), grid)\n"
      "        on.seismic = np.where(on.mask, np.interp(grid, seismic_time, np.asarray(\n"
      "            seismic, dtype=np.float64), left=np.nan, right=np.nan), np.nan)\n",
      "        on = well_on_time_axis(Bunch(time=t, impedance=well.impedance, seismic=np.interp(\n"
      "            t, seismic_time, np.asarray(seismic, dtype=np.float64))), grid)\n",
      ("tests/test_pairs.py",), "a survey trace under a finer log averaged into the log's bins"),
    M("tie-polarity-plus-only", "impedance_sklearn/welltie.py",
      '    signs = (1, -1) if polarity == "auto" else (int(polarity),)\n',
      '    signs = (1,)\n', ("tests/test_welltie.py",), "the tie searches one polarity only"),
    M("blind-trains-on-all", "impedance_sklearn/evaluation/blind.py",
      "        train = pairs.groups != b\n", "        train = pairs.groups >= 0\n",
      ("tests/test_blind.py",), "the blind well's own windows in its training set"),
    # --- issue 32, item 9: behaviours pinned by tests/test_pinned_wells.py ---
    M("tie-null-all-traces", "impedance_sklearn/welltie.py",
      "c = _search(_shifted(syn, int(o)), m, cands, lags)",
      "c = _search(_shifted(syn, int(o)), m, traces, lags)",
      ("tests/test_pinned_wells.py",),
      "at a given position the null test searches every trace, not only the tie's own"),
    M("tie-dtw-window-samples", "impedance_sklearn/welltie.py",
      'e = uniform_filter1d(e, size=max(int(round(window / dt)), 1), axis=0, mode="nearest")',
      'e = uniform_filter1d(e, size=max(int(round(window)), 1), axis=0, mode="nearest")',
      ("tests/test_pinned_wells.py",),
      "the DTW drift's error window read in samples, not seconds (no averaging)"),
    M("tie-sdw-blend-swapped", "impedance_sklearn/welltie.py",
      "idx = np.rint(start[None, ok] + dl * frac[:, None]).astype(int)",
      "idx = np.rint(start[None, ok] + dl * (1 - frac[:, None])).astype(int)",
      ("tests/test_pinned_wells.py",),
      "smooth dynamic warping between knots weights each knot by its distance, not nearness"),
    M("lfm-circular-acf", "impedance_sklearn/estimators/lowfreq.py",
      "f = np.fft.rfft(g, 2 * n)", "f = np.fft.rfft(g, n)",
      ("tests/test_pinned_wells.py",),
      "LowFrequencyModel's correlation length from a circular (unpadded) autocorrelation"),
    M("las-us-m-as-us-ft", "impedance_sklearn/io/las.py",
      'return values * 1e-6, "us/m"', 'return values * 1e-6 / _FT, "us/m"',
      ("tests/test_pinned_wells.py",), "a LAS sonic in us/m converted as us/ft"),
    M("las-us-ft-as-us-m", "impedance_sklearn/io/las.py",
      'return values * 1e-6 / _FT, "us/ft"', 'return values * 1e-6, "us/ft"',
      ("tests/test_pinned_wells.py",), "a LAS sonic in us/ft converted as us/m"),
    M("tie-refused-writes-figure", "impedance_sklearn/cli/tie.py",
      "        if not tie.confident and not args.force:\n",
      "        if figs[i] is not None and not tie.confident:\n"
      "            from impedance_sklearn.plotting import save_figure\n"
      "            from impedance_sklearn.plotting.tie import plot_tie\n\n"
      "            save_figure(plot_tie(tie, survey.time), figs[i], overwrite=args.force)\n"
      "        if not tie.confident and not args.force:\n",
      ("tests/test_pinned_wells.py",),
      "tie writes its QC figure before refusing a tie no better than chance"),
    M("train-scores-survey-t0", "impedance_sklearn/cli/train.py",
      'pred = est.predict(X, t0=fit_kw["t0"], positions=fit_kw["positions"])',
      'pred = est.predict(X, positions=fit_kw["positions"])',
      ("tests/test_pinned_wells.py",),
      "train --wells scores its windows on the background at the survey's start, not their own"),
]


def _copy_tree(dst):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in ("impedance_sklearn", "tests", "docs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dst / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dst / name)


def apply(mutant, root):
    """Apply ``mutant`` to the copy in ``root`` (the original must occur exactly once)."""
    path = root / mutant.path
    text = path.read_text()
    count = text.count(mutant.old)
    if count != 1:
        raise SystemExit(f"mutant {mutant.name}: {mutant.old!r} occurs {count} times in "
                         f"{mutant.path} (expected exactly once): update this script.")
    path.write_text(text.replace(mutant.old, mutant.new))


def check_all():
    """Every mutant's original string occurs exactly once in the repository's own files."""
    for m in MUTANTS:
        count = (REPO / m.path).read_text().count(m.old)
        if count != 1:
            raise SystemExit(f"mutant {m.name}: {m.old!r} occurs {count} times in {m.path} "
                             "(expected exactly once): update this script.")


def run_mutant(mutant, *, timeout, shared, python, select=None):
    """Run ``mutant``'s modules on a mutated copy (``mutant.old`` None: the unmutated code)."""
    with tempfile.TemporaryDirectory(prefix=f"mut-{mutant.name}-") as tmp:
        root = Path(tmp)
        _copy_tree(root)
        if mutant.old is not None:
            apply(mutant, root)
        env = dict(os.environ, PYTHONPATH=str(root), IMPEDANCE_SHARED_DATA=str(shared),
                   OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", NUMBA_NUM_THREADS="1",
                   PYTHONDONTWRITEBYTECODE="1")
        env.pop("NUMBA_CACHE_DIR", None)  # the copy's own __pycache__: no stale kernels
        cmd = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutant.modules]
        if select:
            cmd += ["-k", select]
        t0 = time.perf_counter()
        try:
            res = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - t0, ""
        seconds = time.perf_counter() - t0
        lines = [ln for ln in res.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
        detail = lines[0] if lines else (res.stdout.strip().splitlines() or [""])[-1]
        if res.returncode == 0:
            return "survived", seconds, detail
        if res.returncode in (2, 3, 4) and "error" in (res.stdout + res.stderr).lower() \
                and not lines:
            # interrupted / internal / usage error of pytest: a broken run, not a kill
            return f"error (pytest exit {res.returncode})", seconds, \
                (res.stdout + res.stderr).strip().splitlines()[-1]
        return "killed", seconds, detail


def _md_escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def write_results(rows, path, *, notes, elapsed, baseline_s=None, select=None):
    from impedance_sklearn.io import write_text

    killed = sum(r["status"] == "killed" for r in rows)
    base = ("The unmutated code passed the union of the modules first "
            f"({baseline_s:.0f} s)." if baseline_s is not None else
            "(No run of the unmutated code: --no-baseline.)")
    lines = [
        "# Mutation testing (`benchmarks/mutations.py`)",
        "",
        "One planted bug at a time in a temporary copy of the package; the listed test modules "
        "run against it (`pytest -x`). Killed: the tests failed. Survived: they passed. " + base,
        "",
        f"Command: `python benchmarks/mutations.py{' -k ' + repr(select) if select else ''}`",
        "",
        f"**Kill rate: {killed} / {len(rows)} ({100.0 * killed / max(len(rows), 1):.0f} %)**, "
        f"{elapsed / 60:.1f} min in all (1 thread, shared 2-core machine).",
        "",
        "| mutant | file | bug | test modules | result | seconds | first failure |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        m = r["mutant"]
        mods = ", ".join(Path(x).name for x in m.modules)
        lines.append(f"| {m.name} | {m.path.removeprefix('impedance_sklearn/')} | "
                     f"{_md_escape(m.what)} | {mods} | {r['status']} | {r['seconds']:.0f} | "
                     f"{_md_escape(r['detail'])[:160]} |")
    if notes:
        lines += ["", notes.strip()]
    write_text("\n".join(lines) + "\n", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", action="append", metavar="NAME", help="run only this mutant "
                    "(repeatable)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per mutant "
                    "(default 900)")
    ap.add_argument("--shared", default=os.environ.get("IMPEDANCE_SHARED_DATA", DEFAULT_SHARED),
                    help="real-data folder (default $IMPEDANCE_SHARED_DATA or ../shared/data)")
    ap.add_argument("--out", type=Path, default=None,
                    help=f"results file (default {OUT.relative_to(REPO)}; none with --only)")
    ap.add_argument("-k", dest="select", metavar="EXPR", help="pytest -k expression (a quick "
                    "check of some tests; the results file then says so)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the run of the "
                    "unmutated code (which must pass the same modules)")
    ap.add_argument("--notes", type=Path, default=None,
                    help="a Markdown file appended to the results (e.g. why a survivor is "
                         "equivalent)")
    args = ap.parse_args()
    check_all()
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:26s} {m.path:34s} {m.what}")
        return 0
    names = {m.name for m in MUTANTS}
    unknown = set(args.only or ()) - names
    if unknown:
        ap.error(f"unknown mutant(s): {', '.join(sorted(unknown))}; see --list")
    chosen = [m for m in MUTANTS if not args.only or m.name in args.only]
    rows = []
    t0 = time.perf_counter()
    if not args.no_baseline:
        # the same modules on the unmutated copy must pass, or no kill below means anything
        modules = tuple(dict.fromkeys(x for m in chosen for x in m.modules))
        base = Mutant("(none: unmutated)", "", None, None, modules, "the code as it is")
        status, seconds, detail = run_mutant(base, timeout=args.timeout * 2, shared=args.shared,
                                             python=sys.executable, select=args.select)
        print(f"{'unmutated':26s} {status:10s} {seconds:7.1f} s  {detail[:100]}", flush=True)
        if status != "survived":
            raise SystemExit(f"the unmutated code does not pass {' '.join(modules)}: {detail}")
        baseline_s = seconds
    else:
        baseline_s = None
    for m in chosen:
        status, seconds, detail = run_mutant(m, timeout=args.timeout, shared=args.shared,
                                             python=sys.executable, select=args.select)
        rows.append({"mutant": m, "status": status, "seconds": seconds, "detail": detail})
        print(f"{m.name:26s} {status:10s} {seconds:7.1f} s  {detail[:100]}", flush=True)
    elapsed = time.perf_counter() - t0
    killed = sum(r["status"] == "killed" for r in rows)
    print(f"killed {killed} / {len(rows)}")
    out = args.out if args.out is not None else (None if args.only else OUT)
    if out is not None:
        notes = args.notes.read_text() if args.notes else ""
        write_results(rows, out, notes=notes, elapsed=elapsed, baseline_s=baseline_s,
                      select=args.select)
        print(f"wrote {out}")
    return 0 if killed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
