"""``impedance-sklearn generate``: synthetic data sets of the paper's recipe, to a file."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from impedance_sklearn.cli._common import (
    UsageError,
    add_output_options,
    check_output,
    echo,
    file_kind,
    plural,
    require_input,
)


def register(sub, fmt):
    p = sub.add_parser("generate", help="write a synthetic data set (the paper's recipe)",
                       description="Generate seismic and impedance traces with the paper's "
                                   "recipe (make_impedance_dataset) and write them: .npz (X, y, "
                                   "metadata with dt), .mat (Seismic, Impedance in m/s x kg/m3, "
                                   "as the paper's files) or SEG-Y (seismic to OUT, impedance to "
                                   "OUT_impedance.sgy beside it).")
    p.add_argument("--out", required=True, metavar="FILE", help=".npz, .mat or .sgy")
    p.add_argument("--n-traces", type=int, default=1000)
    p.add_argument("--vertical-range", type=float, nargs="+", default=[10.0, 60.0],
                   metavar="M", help="facies variogram range (m): one value or LO HI "
                   "(default 10 60, the paper's training design)")
    p.add_argument("--noise", type=float, default=0.0, help="white noise, RMS relative to each "
                   "trace's (default 0)")
    p.add_argument("--no-multiples", action="store_true", help="primaries only")
    p.add_argument("--earth-models", nargs=3, metavar=("FACIES", "POROSITY", "CLAY"),
                   help="the paper's training earth models (das2019_train_*.mat) instead of "
                        "drawn ones")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    from impedance_sklearn.io import save_mat, save_npz
    from impedance_sklearn.synthetic.generator import (
        load_earth_models,
        make_impedance_dataset,
    )

    kind = file_kind(args.out, "output file")
    if kind == "npy":
        raise UsageError("generate writes .npz, .mat or .sgy (an .npy holds one array only).")
    out = check_output(args.out, args.force)
    extra = out.with_name(f"{out.stem}_impedance{out.suffix}") if kind == "segy" else None
    if extra is not None:
        check_output(extra, args.force)
    if args.n_traces < 1:
        raise UsageError(f"--n-traces must be >= 1, got {args.n_traces}.")
    vr = args.vertical_range
    if len(vr) not in (1, 2):
        raise UsageError("--vertical-range takes one value or two (LO HI).")
    em = None
    if args.earth_models:
        em = load_earth_models(*(require_input(f, "earth-model file") for f in args.earth_models))
    X, y, info = make_impedance_dataset(
        args.n_traces, vertical_range=vr[0] if len(vr) == 1 else tuple(vr), noise=args.noise,
        multiples=not args.no_multiples, random_state=args.random_state, return_info=True,
        earth_models=em)
    meta = {"dt": info.dt, "t0": info.lag * info.dt, "scale": 1e6,
            "generator": {"n_traces": args.n_traces, "vertical_range": vr, "noise": args.noise,
                          "multiples": not args.no_multiples,
                          "random_state": args.random_state,
                          "earth_models": args.earth_models}}
    if kind == "npz":
        save_npz(out, X, y, overwrite=args.force, **meta)
    elif kind == "mat":
        save_mat(out, X, y * 1e6, overwrite=args.force)
    else:
        _write_segy_pair(out, extra, X, y, info.dt, args.force)
    echo(args, f"wrote {plural(X.shape[0], 'trace')} x {plural(X.shape[1], 'sample')} to {out}"
               + (f" and {extra}" if extra else ""))
    return 0


def _write_segy_pair(out, extra, X, y, dt, force):
    """Seismic and impedance as two SEG-Y files with the same (2-D line) headers."""
    import segyio

    from impedance_sklearn.io._files import atomic_paths

    us = int(round(dt * 1e6))
    if abs(us - dt * 1e6) > 1e-6:
        warnings.warn(f"SEG-Y stores the sampling interval in whole microseconds: "
                      f"{dt * 1e6:g} us is written as {us} us.", UserWarning, stacklevel=2)
    with atomic_paths([out, extra], overwrite=force) as (tmp_x, tmp_y):
        for tmp, values in ((tmp_x, X), (tmp_y, y)):
            Path(tmp).unlink()  # segyio creates the file itself
            cube = np.ascontiguousarray(values, dtype=np.float32)[None]  # one inline
            segyio.tools.from_array(str(tmp), cube, format=5, dt=us)
