"""The shell commands of README.md and docs/*.md run as written, from a folder outside the
repository, and print or write what their pages say.

Every command of a ```bash or ```console block (continuation lines joined, comments dropped) is
either run here, by its exact text, in a bash session in a temporary folder, or listed in
:data:`NOT_RUN` with the reason; a test fails when a page gains a command that is in neither
list, or when a listed command is no longer on any page. Commands that read
``../shared/data`` run only where it exists (the folder is linked in beside the temporary one,
as it lies beside the repository); the others skip with the reason.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))

_BLOCK = re.compile(r"^```(?P<lang>bash|console)[ \t]*\n(?P<body>.*?)^```", re.DOTALL | re.MULTILINE)


def _logical_lines(text):
    """Lines with their backslash continuations joined, whitespace normalised."""
    out, current = [], ""
    for line in text.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        out.append(" ".join((current + line).split()))
        current = ""
    return out


def _strip_comment(line):
    return re.sub(r"(^|\s+)#.*$", "", line).strip()


def _console(body):
    """[(command, the lines it prints)] of a console block: ``$ command`` (continued by
    backslashes), then its output, kept as printed (indentation included)."""
    out, pending = [], None
    for line in body.splitlines():
        if pending is None and line.startswith("$ "):
            pending = line[2:]
        elif pending is not None:
            pending += "\n" + line
        elif out and line.strip():
            out[-1][1].append(line.rstrip())
            continue
        else:
            continue
        if not pending.rstrip().endswith("\\"):
            out.append((_strip_comment(_logical_lines(pending)[0]), []))
            pending = None
    return out


def documented():
    """{command: [(page, expected output lines)]} for every command of every page, in order."""
    found = {}
    for page in PAGES:
        for m in _BLOCK.finditer(page.read_text()):
            where = f"{page.relative_to(ROOT)}:{page.read_text().count(chr(10), 0, m.start()) + 1}"
            if m.group("lang") == "bash":
                for line in _logical_lines(m.group("body")):
                    if _strip_comment(line):
                        found.setdefault(_strip_comment(line), []).append((where, []))
            else:
                for command, expected in _console(m.group("body")):
                    found.setdefault(command, []).append((where, expected))
    return found


# ------------------------------------------------------------------ what runs, what does not

D = "../shared/data"

#: Sessions: the commands run in one bash session each, in this order (exact page text).
CLI_SESSION = [
    "impedance-sklearn generate --out train.npz --n-traces 520 --random-state 0",
    "impedance-sklearn generate --out test.npz --n-traces 1000 --random-state 1",
    "impedance-sklearn generate --out hard.mat --n-traces 1000 --vertical-range 3 8",
    "impedance-sklearn train --data train.npz --model colored --out ci.pt",
    "impedance-sklearn train --data train.npz --model cnn --param max_epochs=50 --out cnn.pt",
    "impedance-sklearn predict --model ci.pt --input test.npz --out test_pred.npz",
    "impedance-sklearn evaluate --model ci.pt --data test.npz --figures figs",
]
#: Commands of the same page that need ../shared/data: run after CLI_SESSION where it exists
#: (F.mat, P.mat, C.mat are linked to the paper's earth models; tie.csv and line.sgy to the
#: Penobscot tie and line; the paper's weights beside them).
CLI_SHARED = [
    "impedance-sklearn generate --out paper.npz --n-traces 2100 --earth-models F.mat P.mat C.mat",
    "impedance-sklearn train --wells tie.csv --survey line.sgy --well-location 1182 1155 "
    "--model cnn --param kernel_size=31 --out well_cnn.pt",
    "impedance-sklearn predict --model das2019_cnn_k300_f60_state_dict.pkl --input test.npz "
    "--out p.npz",
]
#: The Penobscot walkthrough of README.md and docs/walkthrough.md (the same commands).
PENOBSCOT_SESSION = [
    f"D={D}",
    "impedance-sklearn tie --well $D/penobscot_L-30.las --survey $D/penobscot_xl1155.sgy "
    "--time-at-top 0.4106 --search --out L30_tie.csv --figure L30_tie.png",
    "grep -v '^#' L30_tie.csv | head -n 257 > L30_upper.csv",
    "impedance-sklearn train --wells L30_upper.csv --survey $D/penobscot_xl1155.sgy "
    "--well-location 1182 1155 --model few-wells-ridge --out L30.model",
    "impedance-sklearn predict --model L30.model --input $D/penobscot_xl1155.sgy --out "
    "L30_impedance.sgy",
]
#: docs/wells.md's console block: the tie with the files in the current folder.
WELLS_TIE = ("impedance-sklearn tie --well penobscot_L-30.las --survey penobscot_xl1155.sgy "
             "--time-at-top 0.4106 --search --out L30_tie.csv --figure L30_tie.png")

_SETUP = "installs into a new virtual environment: CI does this (.ci/run)"
_VOLVE = ("the Volve walkthrough writes to the fixed /tmp/volve and trains few-wells for about "
          "45 s; tests/test_walkthrough.py runs the same train and predict in process")
_F3 = ("the F3 walkthrough: tests/test_walkthrough_f3.py runs the same tie, blind (two models "
       "instead of four: the page's takes 3 minutes), train and predict in process")
NOT_RUN = {
    "impedance-sklearn tie --well $D/f3_F02-1.las $D/f3_F03-4.las $D/f3_F06-1.las --time-depth "
    "$D/f3_F02-1_checkshot.txt $D/f3_F03-4_checkshot.txt $D/f3_F06-1_checkshot.txt --survey "
    "$D/f3_arbline.sgy --out F02-1_tie.csv F03-4_tie.csv F06-1_tie.csv": _F3,
    "impedance-sklearn tie --well $D/f3_F02-1.las --time-depth $D/f3_F02-1_checkshot.txt "
    "--survey $D/f3_arbline.sgy --frequency 40 --polarity reversed --force --out F02-1_tie.csv":
        _F3,
    "impedance-sklearn blind --wells F02-1_tie.csv F03-4_tie.csv F06-1_tie.csv --survey "
    "$D/f3_arbline.sgy --figure f3_blind.png --out f3_blind.md": _F3,
    "impedance-sklearn train --wells F03-4_tie.csv F06-1_tie.csv --survey $D/f3_arbline.sgy "
    "--model colored --out f3.model": _F3,
    "impedance-sklearn predict --model f3.model --input $D/f3_arbline.sgy --out "
    "f3_impedance.sgy": _F3,
    "python3 -m venv .venv && . .venv/bin/activate && pip install torch==2.13.0 && pip install "
    "-e . && impedance-sklearn demo --out demo_out": _SETUP + "; .ci/wheel_check.sh installs "
    "the wheel and runs the quick demo outside the repository",
    "python3 -m venv .venv && . .venv/bin/activate && pip install torch==2.13.0 && pip install "
    '-e ".[test]" && python -m pytest -q': _SETUP + " (it is .ci/run's test line)",
    "impedance-sklearn demo": "the full demo trains for about a minute; tests/test_cli.py and "
    ".ci/wheel_check.sh run demo --quick",
    "impedance-sklearn tie --well W.las [W2.las ...] --survey S.sgy --time-depth TD.txt "
    "[TD2.txt ...] --out tie.csv [tie2.csv ...] [--figure tie.png ...] [--well-xy X Y | "
    "--well-location INLINE CROSSLINE | --search]":
        "a synopsis (placeholders, optional parts in brackets); the tie runs with real files "
        "in the Penobscot session",
    "impedance-sklearn blind --wells A_tie.csv B_tie.csv C_tie.csv --survey S.sgy [--models "
    "colored model-based few-wells-ridge few-wells] [--out blind.md] [--figure blind.png]":
        "a synopsis; tests/test_walkthrough_f3.py and tests/test_blind.py run blind",
    "impedance-sklearn train --wells well.csv --survey cube.sgy --model few-wells --out fw.pt":
        "placeholders for the user's well and cube; few-wells on Volve: " + _VOLVE,
    "impedance-sklearn benchmark --out benchmark_out": "the full comparison runs for minutes "
    "(benchmarks/compare.py, recorded in benchmarks/results/compare.md)",
    "impedance-sklearn benchmark --data seed.mat --test-size 0.5 --random-state 0":
        "seed.mat stands for the user's labelled file; tests/test_cli.py runs benchmark --data",
    "python examples/plot_volve.py": "the gallery's Volve example trains few-wells for about "
    "45 s; the site's build (.ci/run, sphinx-build -W) runs it, and tests/test_walkthrough.py "
    "its steps in process",
    "D=../shared/data; OUT=/tmp/volve; mkdir -p $OUT": _VOLVE,
    "TIE=$D/volve_well_15-9-F-15A_seismic_ip.csv; CUBE=$D/volve_psdm_time_cropped.sgy": _VOLVE,
    "python -m impedance_sklearn train --wells $TIE --survey $CUBE --model few-wells --param "
    "random_state=0 --out $OUT/few-wells.model": _VOLVE,
    "python -m impedance_sklearn train --wells $TIE --survey $CUBE --model model-based --out "
    "$OUT/model-based.model": _VOLVE,
    "python -m impedance_sklearn train --wells $TIE --survey $CUBE --model colored --out "
    "$OUT/colored.model": _VOLVE,
    "for m in few-wells model-based colored; do": _VOLVE,
    "python -m impedance_sklearn predict --model $OUT/$m.model --input $CUBE --out $OUT/$m.sgy":
        _VOLVE,
    "done": _VOLVE,
}
RUN = CLI_SESSION + CLI_SHARED + PENOBSCOT_SESSION + [WELLS_TIE]


def test_every_documented_command_is_run_or_excused():
    found = documented()
    assert len(found) >= 20, sorted(found)  # the collection itself works
    unlisted = sorted(set(found) - set(RUN) - set(NOT_RUN))
    assert not unlisted, ("documented commands that this test neither runs nor excuses "
                          f"(add them to a session or to NOT_RUN): {unlisted}")
    stale = sorted((set(RUN) | set(NOT_RUN)) - set(found))
    assert not stale, f"listed here but on no page any more: {stale}"
    assert not set(RUN) & set(NOT_RUN)
    assert all(NOT_RUN.values())


def test_command_parser():
    text = "```bash\n# a comment\nfoo --a 1 \\\n    --b 2   # note\n```\n"
    assert _logical_lines("a \\\n  b\nc") == ["a b", "c"]
    assert _strip_comment("foo --a 1 --b 2 # note") == "foo --a 1 --b 2"
    assert _strip_comment("# only a comment") == ""
    console = "$ foo --a 1 \\\n    --b 2\nfirst line\n  second, indented\n\n$ bar\n"
    assert _console(console) == [("foo --a 1 --b 2", ["first line", "  second, indented"]),
                                 ("bar", [])]
    body = _BLOCK.search(text).group("body")
    assert [_strip_comment(x) for x in _logical_lines(body) if _strip_comment(x)] == [
        "foo --a 1 --b 2"]


# ------------------------------------------------------------------ running them


def _bin_dir():
    """The folder of this Python's console scripts, which must hold impedance-sklearn."""
    folder = Path(sys.executable).parent
    if not (folder / "impedance-sklearn").exists():
        pytest.skip(f"no impedance-sklearn console script beside {sys.executable}: install the "
                    "package (pip install -e .) to run its documented commands")
    return folder


def _session(commands, cwd):
    """Run ``commands`` (exact page text) in one bash session in ``cwd``; stop at the first
    failure with its output."""
    assert not Path(cwd).resolve().is_relative_to(ROOT), "must run outside the repository"
    env = dict(os.environ, PATH=f"{_bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}",
               OMP_NUM_THREADS="1", NUMBA_NUM_THREADS="1", MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)  # the installed package, as a user has it
    script = "set -e\n" + "".join(f"echo '>>> {i}'\n{c}\n" for i, c in enumerate(commands))
    res = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=600, check=False)
    ran = re.findall(r"^>>> (\d+)$", res.stdout, re.MULTILINE)
    last = commands[int(ran[-1])] if ran else "(none)"
    assert res.returncode == 0, (f"exit {res.returncode} at: {last}\nstdout:\n{res.stdout[-3000:]}"
                                 f"\nstderr:\n{res.stderr[-3000:]}")
    return res.stdout


def _need_shared(*names):
    for name in names:
        if not (SHARED_DATA / name).exists():
            pytest.skip(f"{SHARED_DATA / name} not found: the real-data files live in "
                        "../shared/data beside the repo")


def _beside_shared(tmp_path):
    """tmp/work with tmp/shared/data linked to the real folder: ``../shared/data`` from the
    working folder is what it is from the repository root."""
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "data").symlink_to(SHARED_DATA.resolve(), target_is_directory=True)
    return work


@pytest.fixture(scope="module")
def penobscot(tmp_path_factory):
    """The Penobscot session of README.md (and docs/walkthrough.md): (folder, stdout)."""
    _need_shared("penobscot_L-30.las", "penobscot_xl1155.sgy")
    work = _beside_shared(tmp_path_factory.mktemp("penobscot"))
    return work, _session(PENOBSCOT_SESSION, work)


def test_penobscot_walkthrough_runs_and_says_what_readme_says(penobscot):
    from impedance_sklearn.io import read_traces

    work, out = penobscot
    # README: "The tie finds the well's trace (inline 1182) among 401, and a bulk shift of
    # +12 ms. Its correlation is 0.49 against at most 0.39 for a displaced synthetic (the null
    # test), 0.73 after the drift."
    assert "(inline 1182, crossline 1155; searched, 401 traces)" in out
    assert "bulk shift +12.0 ms" in out
    assert "0.49 after the bulk shift (null test: at most 0.39), 0.73 after the drift" in out
    # walkthrough: "keep the upper 55 % of the tied log (256 of 466 samples)"; the tie file's
    # '# key: value' lines say where the well is, and grep drops them
    lines = (work / "L30_tie.csv").read_text().splitlines()
    assert len([ln for ln in lines if not ln.startswith("#")]) == 1 + 466
    assert "# inline: 1182" in lines
    assert len((work / "L30_upper.csv").read_text().splitlines()) == 1 + 256
    assert (work / "L30.model").stat().st_size and (work / "L30.model.json").stat().st_size
    # "predict the whole line (traces of 1,001 samples)"
    pred = read_traces(work / "L30_impedance.sgy")
    assert pred.X.shape == (401, 1001) and np.all(np.isfinite(pred.X))


def test_wells_page_tie_prints_what_the_page_shows(tmp_path):
    _need_shared("penobscot_L-30.las", "penobscot_xl1155.sgy")
    (page, expected), = documented()[WELLS_TIE]
    assert len(expected) >= 4, page
    for name in ("penobscot_L-30.las", "penobscot_xl1155.sgy"):
        (tmp_path / name).symlink_to(SHARED_DATA.resolve() / name)
    lines = _session([WELLS_TIE], tmp_path).splitlines()
    # every line the page shows, in its order (the command prints more: the figure's name)
    at = 0
    for want in expected:
        assert want in lines[at:], f"{page}: the tie did not print {want!r}; it printed {lines}"
        at = lines.index(want, at) + 1
    assert (tmp_path / "L30_tie.png").stat().st_size > 10_000


@pytest.fixture(scope="module")
def cli_session(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli")
    return work, _session(CLI_SESSION, work)


def test_cli_page_commands_write_what_the_page_says(cli_session):
    import json

    from impedance_sklearn.datasets import load_mat
    from impedance_sklearn.io import load_npz

    work, out = cli_session
    X, y = load_npz(work / "train.npz")
    assert X.shape == y.shape == (520, 331)
    assert load_npz(work / "test.npz")[0].shape == (1000, 331)
    # ".mat (Seismic, Impedance in m/s x kg/m^3, as the paper's files)"
    import scipy.io

    raw = scipy.io.loadmat(work / "hard.mat")
    assert {"Seismic", "Impedance"} <= set(raw)
    assert 1e6 < np.median(raw["Impedance"]) < 2e7
    Xh, yh = load_mat(work / "hard.mat")
    assert Xh.shape == (1000, 331) and 1 < np.median(yh) < 20
    # "writes ci.pt (a safe model file) and ci.pt.json"
    for stem in ("ci.pt", "cnn.pt"):
        assert (work / stem).stat().st_size and (work / f"{stem}.json").stat().st_size
    assert json.loads((work / "ci.pt.json").read_text())["model"] == "colored"
    cnn = json.loads((work / "cnn.pt.json").read_text())
    assert cnn["model"] == "cnn" and cnn["params"]["max_epochs"] == 50
    # ".mat/.npz/.npy in -> same kind out"
    assert load_npz(work / "test_pred.npz")[0].shape == (1000, 331)
    # "the paper's metrics on a labelled file, and figures (traces.png, errors.png)"
    assert "Pearson" in out and "rel. L2" in out
    for name in ("traces.png", "errors.png"):
        assert (work / "figs" / name).read_bytes()[:4] == b"\x89PNG"


def test_cli_page_commands_on_the_shared_data(cli_session, penobscot):
    from impedance_sklearn.io import load_npz

    names = [f"das2019_train_{k}.mat" for k in ("facies", "porosity", "clay")]
    _need_shared(*names, "das2019_cnn_k300_f60_state_dict.pkl", "penobscot_xl1155.sgy")
    cli, _ = cli_session
    work = cli / "shared_run"
    work.mkdir()
    for link, name in zip(("F.mat", "P.mat", "C.mat"), names):
        (work / link).symlink_to(SHARED_DATA.resolve() / name)
    (work / "line.sgy").symlink_to(SHARED_DATA.resolve() / "penobscot_xl1155.sgy")
    (work / "das2019_cnn_k300_f60_state_dict.pkl").symlink_to(
        SHARED_DATA.resolve() / "das2019_cnn_k300_f60_state_dict.pkl")
    shutil.copy(penobscot[0] / "L30_tie.csv", work / "tie.csv")
    shutil.copy(cli / "test.npz", work / "test.npz")
    _session(CLI_SHARED, work)
    assert load_npz(work / "paper.npz")[0].shape == (2100, 331)
    assert (work / "well_cnn.pt").stat().st_size and (work / "well_cnn.pt.json").stat().st_size
    assert load_npz(work / "p.npz")[0].shape == (1000, 331)
