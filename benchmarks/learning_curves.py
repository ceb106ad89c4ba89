"""Learning curves of the field network's recipe: PCC on field-like thin beds against the number
of training traces and against the epochs.

The recipe of ``train_pretrained.py field`` (a dilated residual network, ``architecture="tcn"``,
standardised per trace, on augmented full-band synthetics), trained on ``--traces`` traces for
``--epochs`` epochs (every pair of the two lists is one network, seeded), scored on a hard 3-8 m
test set (``--n-test`` traces, ``random_state`` 12) clean, low-passed to 125 Hz, with 10 % noise
and with both. Beside each variant: the true impedance low-passed to 125 Hz (the yardstick of
``docs/cnn.md``: not a bound, a network's prior can beat it).

Writes ``benchmarks/results/learning_curves.md`` and ``.csv`` (``--out`` elsewhere).

Usage::

    python benchmarks/learning_curves.py [--traces 2500 5000 10000 20000] [--epochs 4]
        [--vertical-range 10 60] [--channels 32] [--ensemble 1] [--stem NAME]
"""

import argparse
import time
from pathlib import Path

from train_pretrained import RECIPES, field_training_set  # benchmarks/ is on sys.path

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.evaluation import (
    format_table,
    machine_description,
    scores,
    write_results,
)
from impedance_sklearn.physics.transforms import field_variants, lowpass
from impedance_sklearn.physics.wavelets import DAS_DT

RESULTS = Path(__file__).resolve().parent / "results"
VARIANTS = ("clean", "lowpass125", "noise10", "lowpass125+noise10")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--traces", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    ap.add_argument("--epochs", type=int, nargs="+", default=[4])
    ap.add_argument("--n-test", type=int, default=700)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--stem", default="learning_curves")
    ap.add_argument("--channels", type=int, default=32, help="TCN channels (default 32)")
    ap.add_argument("--ensemble", type=int, default=1,
                    help="networks averaged (seeds seed, seed+1, ...; default 1)")
    ap.add_argument("--vertical-range", type=float, nargs=2, default=(10.0, 60.0),
                    metavar=("LOW", "HIGH"), help="facies ranges of the training data, m "
                    "(default the field network's 10-60)")
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    X, y = make_impedance_dataset(args.n_test, vertical_range=(3.0, 8.0), random_state=12)
    variants = {k: v for k, v in field_variants(X, DAS_DT, random_state=0).items()
                if k in VARIANTS}
    truth_lp = scores(y, lowpass(y, 125.0, DAS_DT))["pcc"]
    rows = []
    data = {}
    for n in args.traces:
        for epochs in args.epochs:
            if n not in data:
                data[n] = field_training_set(n, args.seed, tuple(args.vertical_range))[:2]
            c0 = time.process_time()
            preds = dict.fromkeys(variants, 0.0)
            for m in range(args.ensemble):
                est = ImpedanceCNN(max_epochs=epochs, random_state=args.seed + m,
                                   module__channels=args.channels,
                                   **RECIPES["field"]["params"]).fit(*data[n])
                for k, Xv in variants.items():
                    preds[k] = preds[k] + est.predict(Xv) / args.ensemble
            cpu = time.process_time() - c0
            row = {"n_traces": n, "epochs": epochs,
                   "facies_m": "-".join(f"{v:g}" for v in args.vertical_range),
                   "net": f"{args.ensemble} x TCN{args.channels}", "fit_cpu_s": round(cpu, 1)}
            for k in variants:
                row[k] = scores(y, preds[k])["pcc"]
            rows.append(row)
            print(format_table([row]), flush=True)
    columns = [("n_traces", "training traces", "{}"), ("epochs", "epochs", "{}"),
               ("facies_m", "training facies (m)", "{}"), ("net", "networks", "{}")] + \
        [(k, f"PCC {k}", "{:.3f}") for k in VARIANTS] + [("fit_cpu_s", "fit (CPU s)", "{}")]
    pre = (f"Machine: {machine_description()}.  \nTest: 3-8 m beds, {args.n_test} traces "
           f"(random_state 12), variants of `transforms.field_variants`. The true impedance "
           f"low-passed to 125 Hz scores PCC {truth_lp:.3f} on this set.")
    write_results(args.out, args.stem, rows, title="Learning curves of the field recipe",
                  preamble=pre, columns=columns)
    print(format_table(rows, columns))


if __name__ == "__main__":
    main()
