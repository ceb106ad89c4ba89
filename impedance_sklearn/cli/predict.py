"""``impedance-sklearn predict``: impedance for a file of seismic traces."""

from __future__ import annotations

import time

from impedance_sklearn.cli._common import (
    Scaled,
    UsageError,
    add_data_options,
    add_output_options,
    check_output,
    echo,
    file_kind,
    load_model,
    plural,
    predict_with_progress,
    read_data,
    require_input,
)


def register(sub, fmt):
    p = sub.add_parser("predict", help="predict impedance for a file of seismic traces",
                       description="Predict impedance. .mat/.npz/.npy in -> same kind out "
                                   "(.mat: Seismic and Impedance, stored (n_samples, n_traces)); "
                                   "SEG-Y in -> SEG-Y out with the input's headers, streamed.")
    p.add_argument("--model", required=True, metavar="MODEL")
    p.add_argument("--input", required=True, metavar="FILE")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--chunk-traces", type=int, default=8192, metavar="N",
                   help="traces per prediction chunk (default 8192)")
    p.add_argument("--resample", action="store_true", help="SEG-Y: resample traces whose "
                   "length differs from the model's (same time window, other sampling)")
    p.add_argument("--force", action="store_true", help="overwrite --out")
    add_data_options(p, impedance=False)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args):
    from impedance_sklearn.io import default_scale, write_traces

    src = require_input(args.input, "input file")
    kind_in, kind_out = file_kind(src, "input file"), file_kind(args.out, "output file")
    if kind_in != kind_out:
        raise UsageError(f"--out {args.out!r} must be of the input's kind (.{kind_in}): "
                         "predictions are written in the format they were read from.")
    out = check_output(args.out, args.force, sources=[src])
    if args.chunk_traces < 1:
        raise UsageError(f"--chunk-traces must be >= 1, got {args.chunk_traces}.")
    est = load_model(args.model)
    if kind_in == "segy":
        from impedance_sklearn.io import predict_segy

        scale = default_scale(kind_in, args.scale)
        model = est if scale == 1.0 else Scaled(est, scale)
        t0 = time.perf_counter()
        predict_segy(model, src, out, chunk_traces=args.chunk_traces, progress=not args.quiet,
                     overwrite=args.force, resample=args.resample)
        echo(args, f"wrote {out} ({time.perf_counter() - t0:.1f} s)")
        return 0
    data = read_data(args, src, need_y=False)
    t0 = time.perf_counter()
    pred = predict_with_progress(est, data.X, quiet=args.quiet, chunk=args.chunk_traces)
    dt = time.perf_counter() - t0
    write_traces(out, pred, like=data, overwrite=args.force)
    echo(args, f"predicted {plural(data.X.shape[0], 'trace')} in {dt:.2f} s; wrote {out}")
    return 0
