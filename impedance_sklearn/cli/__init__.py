"""The ``impedance-sklearn`` command: demo, generate, tie, train, predict, evaluate, benchmark.

Run ``impedance-sklearn --help`` (or ``python -m impedance_sklearn --help``) for the usage. One
module per command (``demo``, ``train``, ...), each registering its own parser with
``register(subparsers, formatter)`` and running it with ``run(args)``; what they share is in
:mod:`impedance_sklearn.cli._common`. A new command is one new module listed in ``COMMANDS``.

Units
-----
Impedance in a file equals the model's units times ``--scale``. The default scale is 1e6 for
MATLAB ``.mat`` files (the paper's convention: :func:`~impedance_sklearn.datasets.load_mat`
divides by 1e6) and 1 for ``.npz``, ``.npy`` and SEG-Y files. ``train`` and ``evaluate`` divide
the impedance they read by the scale; ``predict`` multiplies what it writes by it, so a ``.mat``
written by ``predict`` reads back with ``load_mat`` as the estimator's own predictions.

Exit status
-----------
0 on success; 2 for a usage error (bad option, unknown parameter, missing input file, an output
that exists without ``--force``, a file type that is not supported); 1 when the work itself fails
(a corrupt file, a missing key, bad data); 130 on Ctrl-C and 143 on SIGTERM. Errors are one line
on stderr; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from impedance_sklearn.cli._common import PROG, UsageError

__all__ = ["main", "COMMANDS", "UsageError"]

#: The commands, in the order ``--help`` lists them (module names in this package).
COMMANDS = ("demo", "generate", "tie", "train", "blind", "predict", "evaluate", "benchmark")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the line that matters and where to read more (argparse
    prints the whole usage first, 5-8 lines for the bigger commands)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser():
    """The argument parser with every command's sub-parser registered."""
    from impedance_sklearn import __version__

    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG, formatter_class=fmt,
        description="Seismic-to-impedance inversion: the Das et al. (2019) CNN and classical "
                    "baselines as scikit-learn estimators.",
        epilog="Start with:  impedance-sklearn demo\n"
               "Exit status: 0 ok, 1 failure, 2 usage error.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--quiet", "-q", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"impedance_sklearn.cli.{name}").register(sub, fmt)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status (0 ok, 1 failure, 2 usage error).

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    args.argv_tail = argv[argv.index(args.command) + 1:]
    with warnings.catch_warnings():
        if not args.debug:  # library deprecation chatter is not the user's business here
            warnings.filterwarnings("ignore", category=FutureWarning, module=r"pylops(\.|$)")
        from impedance_sklearn.estimators.compatibility import DataMismatchWarning

        # the commands compare the survey with the model once (check_survey), not per chunk
        warnings.filterwarnings("ignore", category=DataMismatchWarning)
        return _run(args)


def _run(args):
    from impedance_sklearn.io._files import sigterm_as_exit

    try:
        with sigterm_as_exit():
            return args.func(args)
    except UsageError as exc:
        if args.debug:  # the traceback, and still the usage error's exit status
            import traceback

            traceback.print_exc()
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:
        if exc.code != 143:
            raise
        print(f"{PROG}: terminated (SIGTERM)", file=sys.stderr)
        return 143
    except Exception as exc:
        if args.debug:
            raise
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"{PROG} {args.command}: error: {type(exc).__name__}: {msg}", file=sys.stderr)
        return 1
