"""The well-tie QC figure: the log, synthetic against trace before and after, drift, wavelet."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_tie"]


def _norm(a, m):
    a = np.where(m, a, np.nan)
    s = np.nanstd(a)
    return a / s if s > 0 else a


def plot_tie(tie, time, *, title=None):
    """Four panels from :func:`impedance_sklearn.welltie.tie_well`'s result on the axis ``time``
    (s): the tied impedance log; the synthetic against the trace before (sonic time, Ricker)
    and after (bulk shift, drift, estimated wavelet); the time shift; the wavelet; its
    amplitude spectrum. Returns the Figure."""
    import matplotlib.pyplot as plt

    time = np.asarray(time, dtype=np.float64)
    fig, ax = plt.subplots(1, 6, figsize=(15, 6),
                           gridspec_kw={"width_ratios": [1, 1, 1, 0.7, 1, 1]})
    a = tie.on_axis
    t_ms = time * 1e3
    ax[0].plot(a.impedance, t_ms, "k", lw=0.7)
    ax[0].set(xlabel="impedance / 1e6", ylabel="two-way time (ms)", title="tied log")
    syn = tie.synthetic
    c = tie.correlation
    for k, (s, m, label) in enumerate(((syn.before, syn.mask_before, f"before, r = {c['before']:.2f}"),
                                       (syn.after, syn.mask_after,
                                        f"after, r = {c['after_wavelet']:.2f}"))):
        ax[1 + k].plot(_norm(tie.trace, m), t_ms, color="0.5", lw=0.8, label="trace")
        ax[1 + k].plot(_norm(s, m), t_ms, "r", lw=0.8, label="synthetic")
        ax[1 + k].set(title=label, xlabel="amplitude / std")
        ax[1 + k].legend(loc="lower right", fontsize=7)
    ax[3].plot((tie.shift + tie.drift.shift) * 1e3, tie.drift.time * 1e3, "b.-")
    ax[3].set(title=f"shift (bulk {tie.shift * 1e3:+.0f} ms)", xlabel="ms")
    lo, hi = tie.window
    for axis in ax[:4]:
        axis.set_ylim(hi * 1e3 + 20, lo * 1e3 - 20)
    w = tie.wavelet
    ax[4].plot(w.time * 1e3, w.amplitude, "k")
    ax[4].set(title="wavelet (estimated)", xlabel="time (ms)")
    dt = float(w.time[1] - w.time[0])
    f = np.fft.rfftfreq(1024, dt)
    ax[5].plot(f, np.abs(np.fft.rfft(w.amplitude, 1024)), "k", lw=0.8)
    ax[5].set(xlim=(0, min(f[-1], 150)), xlabel="frequency (Hz)", title="its amplitude spectrum")
    if title:
        fig.suptitle(title)
    return fig
