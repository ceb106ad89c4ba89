"""Train the networks shipped in ``impedance_sklearn/pretrained`` reproducibly.

* ``field``: a dilated residual network (``architecture="tcn"``) trained on full-band synthetics
  of the package's generator (the paper's recipe, the training facies ranges 10-60 m) made with
  the paper's wavelet and with wavelets of other frequencies (the paper's Ormsby corners scaled
  by 0.75-1.25), each trace degraded at random as field data are
  (:func:`impedance_sklearn.physics.transforms.augment_field`: low-pass 100-300 Hz, phase +-30 degrees,
  white noise 0-20 %, gain x 1/3-3), whitened and standardised per trace
  (``standardize="trace"``: the prediction does not depend on the survey's amplitude).
* ``das2019``: the default ``ImpedanceCNN`` trained on more clean full-band synthetics of the
  paper's recipe (its wavelet, its ranges): for paper-like data.

Each run writes ``<name>.pt`` (the module's ``state_dict``) and ``<name>.json`` (parameters,
scalings, what it was trained on and its scores on a fixed check set, which
``tests/test_pretrained.py`` re-computes) with :func:`impedance_sklearn.estimators.pretrained.save_pretrained`.
Everything is seeded (the data, the augmentation, the network).

Usage::

    python benchmarks/train_pretrained.py field [--n-traces 50000] [--epochs 3] [--out DIR]
    python benchmarks/train_pretrained.py das2019
    python benchmarks/train_pretrained.py field --rescore  # re-record a shipped network's JSON

``--rescore`` keeps the shipped weights and re-records what later versions of the package add
to the JSON: the output range (``y_range_``, from the recorded impedance range), the training
spectrum (from the first 2,000 training traces of the recipe, regenerated from the seed) and the
check-set scores.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

import impedance_sklearn
from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.compatibility import spectrum_summary
from impedance_sklearn.estimators.pretrained import HERE, save_pretrained
from impedance_sklearn.evaluation import machine_description, scores
from impedance_sklearn.physics.transforms import augment_field, field_variants
from impedance_sklearn.physics.wavelets import DAS_DT, das2019_wavelet

#: The check set: 200 traces of the hard 3-8 m facies ranges, never trained on.
CHECK = dict(n_traces=200, vertical_range=(3.0, 8.0), random_state=777)
CHUNK = 1000


def field_training_set(n_traces, seed, vertical_range=(10.0, 60.0)):
    """Augmented full-band synthetics; half with the paper's wavelet, half with other corners."""
    rng = np.random.default_rng(seed)
    Xs, ys, scales = [], [], []
    for i in range(0, n_traces, CHUNK):
        scale = 1.0 if (i // CHUNK) % 2 == 0 else float(rng.uniform(0.75, 1.25))
        w = das2019_wavelet(f=tuple(scale * np.array([4.0, 10.0, 50.0, 70.0])))
        # lag 24: the paper's time axis (the first extremum of its wavelet at time zero)
        X, y = make_impedance_dataset(min(CHUNK, n_traces - i), wavelet=w, lag=24,
                                      vertical_range=vertical_range,
                                      random_state=seed + 1 + i // CHUNK)
        Xs.append(augment_field(X, DAS_DT, random_state=seed + 10_000 + i // CHUNK))
        ys.append(y)
        scales.append(round(scale, 4))
    return np.concatenate(Xs), np.concatenate(ys), scales


#: das2019's augmentation: white noise only (the paper's wavelet, full band, its amplitude), so
#: that the network does not amplify noise above 100 Hz into absurd impedances.
DAS2019_NOISE = dict(p_lowpass=0.0, p_phase=0.0, p_noise=0.15, noise_range=(0.0, 0.1), gain=1.0)


def das2019_training_set(n_traces, seed):
    Xs, ys = [], []
    for i in range(0, n_traces, CHUNK):
        X, y = make_impedance_dataset(min(CHUNK, n_traces - i), random_state=seed + 1 + i // CHUNK)
        Xs.append(augment_field(X, DAS_DT, random_state=seed + 10_000 + i // CHUNK,
                                **DAS2019_NOISE))
        ys.append(y)
    return np.concatenate(Xs), np.concatenate(ys), None


#: Survey samplings: (dt, samples per training window). Windows of 512 ms.
SURVEY = {"field-4ms": (0.004, 128), "field-2ms": (0.002, 256)}


def survey_training_set(n_traces, seed, dt, n_samples):
    """Field-like synthetics at a survey's sampling: the generator's earth (3 m cells, 300 of
    them: 900 m), zero-phase Ricker wavelets of 15-40 Hz peak (one per chunk of 500), pressure
    polarity (SEG normal: an impedance increase is a peak), then augment_field (low-pass
    40-125 Hz p 0.3, phase +-30 deg p 0.7, noise 0-20 % p 0.8, gain x 1/3-3)."""
    from impedance_sklearn.physics.wavelets import ricker

    rng = np.random.default_rng(seed)
    Xs, ys, freqs = [], [], []
    for i in range(0, n_traces, CHUNK // 2):
        f = float(rng.uniform(15.0, 40.0))
        w = ricker(f, dt, 0.2)
        X, y = make_impedance_dataset(min(CHUNK // 2, n_traces - i), n_samples=n_samples, dt=dt,
                                      wavelet=w, wavelet_origin=len(w) // 2, lag=0,
                                      layer_thickness=3.0, n_layers=300,
                                      random_state=seed + 1 + i // (CHUNK // 2))
        # the generator's default polarity is the paper's (particle displacement): negated,
        # pressure polarity, as processed field data
        Xs.append(augment_field(-X, dt, random_state=seed + 10_000 + i // (CHUNK // 2),
                                lowpass_range=(40.0, 125.0), p_lowpass=0.3))
        ys.append(y)
        freqs.append(round(f, 2))
    return np.concatenate(Xs), np.concatenate(ys), freqs


RECIPES = {
    "field": dict(data=field_training_set, n_traces=50_000, epochs=3,
                  params=dict(architecture="tcn", standardize="trace", whiten=0.01, lr=3e-3,
                              batch_size=16)),
    "das2019": dict(data=das2019_training_set, n_traces=5_000, epochs=40,
                    params=dict(standardize=True, whiten=0.01, lr=3e-3, batch_size=16)),
}
for _name, (_dt, _n) in SURVEY.items():
    RECIPES[_name] = dict(
        data=lambda n, seed, _dt=_dt, _n=_n: survey_training_set(n, seed, _dt, _n),
        n_traces=20_000, epochs=6, dt=_dt,
        params=dict(architecture="tcn", kernel_size=31, standardize="trace", whiten=0.01,
                    lr=3e-3, batch_size=16))


def recipe_dt(name):
    return RECIPES[name].get("dt", DAS_DT)


def check_set(name):
    """The check set of a recipe: the paper's axis, or the survey sampling's (25 Hz Ricker,
    pressure polarity, facies ranges 10-60 m)."""
    if name not in SURVEY:
        return make_impedance_dataset(CHECK["n_traces"], vertical_range=CHECK["vertical_range"],
                                      random_state=CHECK["random_state"])
    from impedance_sklearn.physics.wavelets import ricker

    dt, n = SURVEY[name]
    w = ricker(25.0, dt, 0.2)
    X, y = make_impedance_dataset(CHECK["n_traces"], n_samples=n, dt=dt, wavelet=w,
                                  wavelet_origin=len(w) // 2, lag=0, layer_thickness=3.0,
                                  n_layers=300, random_state=CHECK["random_state"])
    return -X, y


def check_scores(est, recipe="das2019"):
    """Scores on the check set: clean and its field-like variants (impedance / 1e6)."""
    X, y = check_set(recipe)
    out = {}
    for name, Xv in field_variants(X, recipe_dt(recipe), random_state=0).items():
        s = scores(y, est.predict(Xv))
        out[name] = {k: round(float(s[k]), 6) for k in ("pcc", "rel_l2", "r2")}
    return out


def rescore(name, seed, out):
    """Re-record a shipped network's JSON without retraining (see the module docstring)."""
    from impedance_sklearn.estimators.pretrained import load_pretrained

    # a file without y_range_ gets it from its recorded impedance range (load_pretrained)
    est = load_pretrained(ImpedanceCNN, name, folder=out)
    info = dict(est.training_info_)
    X = RECIPES[name]["data"](2000, seed)[0]
    info["spectrum"] = spectrum_summary(X, recipe_dt(name))
    info["check_scores"] = check_scores(est, name)
    info["rescored_with"] = (f"benchmarks/train_pretrained.py {name} --rescore --seed {seed} "
                             f"(package {impedance_sklearn.__version__})")
    return save_pretrained(est, Path(out) / name, info, overwrite=True), info


def augmentation(name, scales):
    """What the training data's augmentation was, in words."""
    if name == "das2019":
        return "augment_field " + json.dumps(DAS2019_NOISE)
    if name in SURVEY:
        return ("zero-phase Ricker 15-40 Hz per chunk of 500 (peaks " + str(scales) + "), "
                "pressure polarity; augment_field (low-pass 40-125 Hz p 0.3, phase +-30 deg "
                "p 0.7, noise 0-20 % p 0.8, gain x 1/3-3)")
    return ("augment_field defaults (low-pass 100-300 Hz p 0.7, phase +-30 deg p 0.7, noise "
            f"0-20 % p 0.8, gain x 1/3-3); wavelet corner scales per chunk {scales}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("name", choices=sorted(RECIPES))
    ap.add_argument("--n-traces", type=int)
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default=str(HERE), help="folder (default: the package's)")
    ap.add_argument("--force", action="store_true", help="overwrite existing files")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    ap.add_argument("--rescore", action="store_true",
                    help="keep the weights in --out; re-record range, spectrum and scores")
    args = ap.parse_args(argv)
    import torch

    if args.rescore:
        paths, info = rescore(args.name, args.seed, args.out)
        print(json.dumps(info["check_scores"], indent=1))
        print(f"rewrote {', '.join(map(str, paths))}")
        return

    torch.set_num_threads(args.threads)
    recipe = RECIPES[args.name]
    n = args.n_traces or recipe["n_traces"]
    epochs = args.epochs or recipe["epochs"]
    t0, c0 = time.perf_counter(), time.process_time()
    X, y, scales = recipe["data"](n, args.seed)
    dt = recipe_dt(args.name)
    t_data = time.process_time() - c0
    est = ImpedanceCNN(max_epochs=epochs, random_state=args.seed, **recipe["params"])
    est.fit(X, y)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    info = {
        "name": args.name,
        "trained_with": f"benchmarks/train_pretrained.py {args.name} --n-traces {n} "
                        f"--epochs {epochs} --seed {args.seed}",
        "package_version": impedance_sklearn.__version__,
        "torch": torch.__version__, "python": platform.python_version(),
        "data": (f"make_impedance_dataset at dt = {dt * 1e3:g} ms, {X.shape[1]} samples (3 m "
                 "cells x 300, facies ranges 10-60 m), "
                 f"{n} traces in chunks of {CHUNK // 2}, random_state {args.seed}+1+chunk")
        if args.name in SURVEY else
        ("make_impedance_dataset (full band, facies ranges 10-60 m), "
         f"{n} traces in chunks of {CHUNK}, random_state {args.seed}+1+chunk"),
        "augmentation": augmentation(args.name, scales),
        "dt": dt, "n_samples": int(X.shape[1]), "t0": 24 * DAS_DT if args.name not in SURVEY
        else 0.0,
        "spectrum": spectrum_summary(X, dt),
        "seismic": {"rms": float(np.sqrt(np.mean(X**2))),
                    "note": "standardised per trace: any amplitude"
                    if recipe["params"].get("standardize") == "trace"
                    else "full-band Kennett synthetics, 15 % of them with white noise of "
                         "0-10 % of the RMS"},
        "impedance_unit": "impedance (m/s x kg/m^3) / 1e6",
        "impedance_range": [float(y.min()), float(y.max())],
        "fit_cpu_s": round(cpu, 1), "fit_wall_s": round(wall, 1), "torch_threads": args.threads,
        "data_cpu_s": round(t_data, 1), "machine": machine_description(),
        "check_set": {k: (list(v) if isinstance(v, tuple) else v) for k, v in CHECK.items()}
        if args.name not in SURVEY else {"n_traces": CHECK["n_traces"], "random_state":
                                         CHECK["random_state"], "ricker_hz": 25.0,
                                         "n_samples": int(X.shape[1]), "dt": dt,
                                         "layer_thickness": 3.0, "n_layers": 300,
                                         "polarity": "pressure"},
    }
    info["check_scores"] = check_scores(est, args.name)
    paths = save_pretrained(est, Path(args.out) / args.name, info, overwrite=args.force)
    print(json.dumps(info["check_scores"], indent=1))
    print(f"wrote {', '.join(map(str, paths))} ({cpu:.0f} CPU-s, {wall:.0f} s wall)")


if __name__ == "__main__":
    main()
