"""
The shipped networks on a survey, and their warnings
====================================================

Networks trained by the package ship inside it:
:meth:`ImpedanceCNN.from_pretrained <impedance_sklearn.ImpedanceCNN.from_pretrained>` loads
them ready to predict. ``"das2019"`` was trained on full-band paper-like data, ``"field"`` on
data as surveys deliver it (band-limited, noisy, any amplitude); ``"field-4ms"`` and
``"field-2ms"`` at a survey's own sampling. Each records what it was trained on and
``predict`` warns (:class:`~impedance_sklearn.estimators.compatibility.DataMismatchWarning`)
when the input is noisier, narrower-band or louder than that.

The first part runs on generated thin beds; the second on a real survey line, Penobscot
crossline 1155 (*needs ../shared/data*; skipped without it).
"""

import os
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from impedance_sklearn import ImpedanceCNN, WindowedRegressor, predict_segy, read_segy
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.metrics import trace_pcc
from impedance_sklearn.physics.transforms import add_noise, lowpass

QUICK = os.environ.get("IMPEDANCE_SKLEARN_GALLERY_QUICK") == "1"
N = 100 if QUICK else 500

# %%
# Generated data, clean and field-like
# ------------------------------------
# 3-8 m beds (thinner than the paper's training data), then the same traces low-passed to
# 125 Hz (what 4 ms sampling holds), with 10 % noise, five times louder.

X, y = make_impedance_dataset(N, vertical_range=(3, 8), random_state=7)
field_like = 5.0 * add_noise(lowpass(X, 125.0, dt=4.3875e-4), 0.1, random_state=0)
das, field = ImpedanceCNN.from_pretrained("das2019"), ImpedanceCNN.from_pretrained("field")

for name, net in (("das2019", das), ("field", field)):
    for label, data in (("clean", X), ("field-like", field_like)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pred = net.predict(data)
        print(f"{name} on {label} traces: PCC {trace_pcc(y, pred):.3f}")
        for w in caught:
            print(f"    {w.category.__name__}: {w.message}")

# %%
# The ``"das2019"`` network warns on the field-like traces and is wrong there; ``"field"``
# takes them without a warning and keeps its correlation:

k = 0
t = np.arange(X.shape[1]) * 4.3875e-4
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    curves = {f"{n}, {lab}": net.predict(d[k:k + 1])[0]
              for n, net in (("das2019", das), ("field", field))
              for lab, d in (("clean", X), ("field-like", field_like))}
fig, axes = plt.subplots(1, 2, figsize=(8, 5), sharey=True)
for ax, lab in zip(axes, ("clean", "field-like")):
    ax.plot(y[k], t, "k", lw=1.5, label="true")
    for n in ("das2019", "field"):
        ax.plot(curves[f"{n}, {lab}"], t, lw=1, label=n)
    ax.set_title(f"{lab} input")
    ax.set_xlabel("impedance (1e6 units)")
    ax.legend(fontsize="small")
axes[0].set_ylim(t[-1], t[0])
axes[0].set_ylabel("time (s)")
fig.tight_layout()
plt.show()

# %%
# A real survey: Penobscot crossline 1155
# ---------------------------------------
# 401 traces of 1,001 samples at 4 ms. ``from_pretrained("field", dt=0.004)`` picks the
# network of the ``"field"`` family trained at 4 ms (``"field-4ms"``, 128-sample windows);
# :meth:`WindowedRegressor.from_fitted <impedance_sklearn.WindowedRegressor.from_fitted>`
# makes it predict traces of any length, and
# :func:`~impedance_sklearn.predict_segy` streams the file through it and writes a SEG-Y with
# the input's headers. It gives relative impedance at best: its level is the generator's, not
# the rocks' (no well is used here; the Penobscot example ties one).

here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
shared = Path(os.environ.get("IMPEDANCE_SHARED_DATA", here.parent.parent / "shared" / "data"))
line = shared / "penobscot_xl1155.sgy"
if not line.exists():
    print(f"{line} not found: the survey part needs ../shared/data, skipped")
else:
    net = ImpedanceCNN.from_pretrained("field", dt=0.004)
    print(f"picked {net.training_info_['name']!r}: trained on "
          f"{net.n_features_in_}-sample traces")
    windowed = WindowedRegressor.from_fitted(net)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "xl1155_impedance.sgy"
        predict_segy(windowed, line, out)
        seismic, impedance = read_segy(line), read_segy(out)
    print(f"predicted {impedance.traces.shape[0]} traces x {impedance.traces.shape[1]} samples, "
          f"impedance {np.percentile(impedance.traces, 1):.2f}-"
          f"{np.percentile(impedance.traces, 99):.2f} (1st-99th percentile)")
    t_ms = np.arange(seismic.traces.shape[1]) * 4.0
    keep = (t_ms >= 800) & (t_ms <= 3000)
    fig, axes = plt.subplots(2, 1, figsize=(10, 8), sharex=True)
    s = np.percentile(np.abs(seismic.traces[:, keep]), 99)
    extent = (1100, 1500, t_ms[keep][-1], t_ms[keep][0])
    axes[0].imshow(seismic.traces[:, keep].T, cmap="gray", vmin=-s, vmax=s, aspect="auto",
                   extent=extent)
    axes[0].set_title("Penobscot crossline 1155: seismic")
    lo, hi = np.percentile(impedance.traces[:, keep], [1, 99])
    im = axes[1].imshow(impedance.traces[:, keep].T, cmap="viridis", vmin=lo, vmax=hi,
                        aspect="auto", extent=extent)
    axes[1].set_title('from_pretrained("field", dt=0.004): relative impedance, no well')
    axes[1].set_xlabel("inline")
    for ax in axes:
        ax.set_ylabel("TWT (ms)")
    fig.colorbar(im, ax=axes[1], label="impedance (generator's units)")
    fig.tight_layout()
    plt.show()
