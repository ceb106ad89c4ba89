"""Blind wells: leave each well out in turn, train on the others, score at the one left out.

A number from a well nothing was trained on is the one a geophysicist trusts. For each blind
well :func:`leave_one_well_out` trains every estimator on the windows of the other wells
(:class:`~impedance_sklearn.estimators.windowed.WindowedRegressor`, with a
:class:`~impedance_sklearn.estimators.lowfreq.LowFrequencyModel` interpolated between the
training wells), predicts the blind well's trace and scores it over the blind log's measured
interval (:func:`blind_scores`), beside two references on the same background:

* ``background alone`` -- the low-frequency model from the other wells, at the blind well;
* ``bound`` -- the blind log's own 8-60 Hz band on that background (what a perfect inversion of
  the band the seismic holds would give: the low frequencies still come from the other wells).

In the scikit-learn API the wells are groups: ``survey_well_windows(...).groups`` with
:class:`~sklearn.model_selection.LeaveOneGroupOut` makes ``cross_validate`` and
``GridSearchCV`` score blind wells (windows, their times and positions routed as metadata:
docs/wells.md shows it).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt
from sklearn.base import clone
from sklearn.utils import Bunch

__all__ = ["band_pass", "blind_scores", "leave_one_well_out", "BAND"]

#: The band (Hz) in which blind predictions are correlated: what 4 ms seismic holds well.
BAND = (8.0, 60.0)


def band_pass(a, dt, low=BAND[0], high=BAND[1]):
    """A zero-phase 4th-order Butterworth band-pass (forward and back) along the last axis.

    Parameters
    ----------
    a : array-like
    dt : float
        Sampling interval (s).
    low, high : float
        Corners (Hz).

    Returns
    -------
    ndarray, the shape of ``a``

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(0, 1, 0.004)
    >>> out = band_pass(np.sin(2 * np.pi * 2 * t) + np.sin(2 * np.pi * 30 * t), 0.004)
    >>> round(float(np.corrcoef(out[50:-50], np.sin(2 * np.pi * 30 * t[50:-50]))[0, 1]), 3)
    1.0
    """
    sos = butter(4, [low, high], btype="band", fs=1.0 / float(dt), output="sos")
    return sosfiltfilt(sos, np.asarray(a, dtype=np.float64), axis=-1)


def blind_scores(pred, true, dt):
    """The blind-well figures of one prediction against its log on the same samples.

    Parameters
    ----------
    pred, true : array-like of shape (n,)
        The prediction and the log, on the same samples.
    dt : float
        Sampling interval (s), for the band-pass.

    Returns
    -------
    dict
        ``band_pcc`` (Pearson correlation of both after :func:`band_pass`: does the inversion
        get the seismic's band right), ``raw_pcc`` (of the impedance itself, background
        included) and ``rel_l2`` (``||pred - true|| / ||true||``).

    Examples
    --------
    >>> import numpy as np
    >>> z = 5 + np.sin(np.arange(200) / 3.0)
    >>> s = blind_scores(z, z, 0.004)
    >>> round(s["band_pcc"], 6), round(s["raw_pcc"], 6), s["rel_l2"]
    (1.0, 1.0, 0.0)
    """
    pred, true = np.asarray(pred, dtype=np.float64), np.asarray(true, dtype=np.float64)
    if pred.shape != true.shape or pred.ndim != 1:
        raise ValueError(f"pred and true must be 1-D of one shape, got {pred.shape} and "
                         f"{true.shape}.")
    bp, bt = band_pass(pred, dt), band_pass(true, dt)
    return {"band_pcc": float(np.corrcoef(bp, bt)[0, 1]),
            "raw_pcc": float(np.corrcoef(pred, true)[0, 1]),
            "rel_l2": float(np.linalg.norm(pred - true) / np.linalg.norm(true))}


def _blind_log(well, survey):
    """The well's log on the survey's samples over its longest covered run."""
    from impedance_sklearn.io.wells import well_on_time_axis

    a = well_on_time_axis(well, survey.time)
    m = a.mask & np.isfinite(a.impedance)
    idx = np.flatnonzero(m)
    return idx[0], idx[-1] + 1, a.impedance[idx[0]:idx[-1] + 1]


def leave_one_well_out(estimators, wells, survey, locations, *, window=None, background=None,
                       names=None, fit_params=None):
    """Train on all wells but one, score at that one; every well, every estimator.

    Parameters
    ----------
    estimators : dict of str -> estimator
        Trace regressors (unfitted); each is wrapped in a
        :class:`~impedance_sklearn.estimators.windowed.WindowedRegressor` on ``window``-sample
        windows with ``background``.
    wells : list of Bunch
        Tied wells (:func:`~impedance_sklearn.io.load_well`), at least 2.
    survey : TraceData
        The SEG-Y survey (:func:`~impedance_sklearn.io.read_traces`).
    locations : list
        Each well's trace: index or (inline, crossline)
        (:func:`~impedance_sklearn.io.pairs.survey_well_windows`).
    window : int, optional
        Window length (samples); default that of ``survey_well_windows``.
    background : estimator, optional
        The low-frequency model (default ``LowFrequencyModel()``), interpolated between the
        training wells along the line (by map distance on a cube).
    names : list of str, optional
    fit_params : dict of str -> dict, optional
        Extra ``fit`` keywords per estimator name (e.g. ``X_unlabeled`` for ``FewWellsRegressor``).

    Returns
    -------
    Bunch
        ``rows`` (one dict per blind well and model: ``well``, ``model``, ``band_pcc``,
        ``raw_pcc``, ``rel_l2``, with the ``background alone`` and ``bound`` rows first for each
        well), ``predictions`` (dict (well, model) -> (time, predicted, true) on the blind
        interval), ``pairs`` (the windows of all wells).
    """
    from impedance_sklearn.estimators.lowfreq import LowFrequencyModel
    from impedance_sklearn.estimators.windowed import WindowedRegressor
    from impedance_sklearn.io.pairs import survey_well_windows

    wells = list(wells)
    if len(wells) < 2:
        raise ValueError(f"leaving one well out needs at least 2 wells, got {len(wells)}.")
    names = list(names) if names is not None else [str(w.get("name", i))
                                                   for i, w in enumerate(wells)]
    background = LowFrequencyModel() if background is None else background
    pairs = survey_well_windows(wells, survey, locations=locations, window=window, names=names)
    dt, t0 = float(survey.dt), float(survey.t0 or 0.0)
    fit_params = fit_params or {}
    rows, predictions = [], {}
    for b, name in enumerate(names):
        train = pairs.groups != b
        pos = pairs.well_positions[b]
        i0, i1, truth = _blind_log(wells[b], survey)
        time = survey.time[i0:i1]
        trace = np.asarray(survey.X, dtype=np.float64)[pairs.well_traces[b]]
        bg_fit = None
        for model, est in estimators.items():
            w = WindowedRegressor(clone(est), window=pairs.window, dt=dt, t0=t0,
                                  background=clone(background))
            w.fit(pairs.X[train], pairs.y[train], t0=pairs.t0[train],
                  positions=None if pairs.positions is None else pairs.positions[train],
                  **fit_params.get(model, {}))
            pred = w.predict(trace[None], t0=t0, positions=None if pos is None else
                             np.asarray([pos]))[0, i0:i1]
            if bg_fit is None:
                bg_fit = w.background_
                trend = bg_fit.predict(time[None], None if pos is None else np.asarray([pos]))[0]
                bound = np.exp(np.log(trend) + band_pass(np.log(truth), dt))
                for ref, values in (("background alone", trend), ("bound: the log's "
                                    f"{BAND[0]:g}-{BAND[1]:g} Hz on the background", bound)):
                    rows.append({"well": name, "model": ref, **blind_scores(values, truth, dt)})
                    predictions[(name, ref)] = (time, values, truth)
            rows.append({"well": name, "model": model, **blind_scores(pred, truth, dt)})
            predictions[(name, model)] = (time, pred, truth)
    return Bunch(rows=rows, predictions=predictions, pairs=pairs)
