#!/usr/bin/env bash
# CI: the release as a user gets it. Builds the sdist and the wheel, checks that both hold the
# LICENSE and the wheel the shipped networks, installs the WHEEL (not the checkout) into a new
# virtual environment, runs the quick demo from a folder outside the repository and loads every
# shipped network there. Run by .ci/run after the tests; `bash .ci/wheel_check.sh` alone works
# from any folder (it needs python3 with the `build` package, or installs it).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/impedance-wheel-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" NUMBA_NUM_THREADS="${NUMBA_NUM_THREADS:-1}"
start=$SECONDS

python3 -m build --version >/dev/null 2>&1 || python3 -m pip install -q build
python3 -m build --outdir "$WORK/dist" "$REPO" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
WHEEL="$(ls "$WORK"/dist/*.whl)"
SDIST="$(ls "$WORK"/dist/*.tar.gz)"
echo "wheel check: built $(basename "$SDIST") and $(basename "$WHEEL")"

# What the archives hold: the licence in both, the shipped networks (.pt + .json) in the wheel,
# exactly the files of the source folder.
python3 - "$REPO" "$WHEEL" "$SDIST" <<'PY'
import sys, tarfile, zipfile
from pathlib import Path
repo, wheel, sdist = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
names = zipfile.ZipFile(wheel).namelist()
assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), "no LICENSE in the wheel"
assert any(n.count("/") == 1 and n.endswith("/LICENSE") for n in tarfile.open(sdist).getnames()), \
    "no LICENSE in the sdist"
src = repo / "impedance_sklearn" / "estimators" / "pretrained"
shipped = sorted(p.name for p in src.iterdir() if p.suffix in (".pt", ".json"))
inside = sorted(n.rsplit("/", 1)[1] for n in names
                if n.startswith("impedance_sklearn/estimators/pretrained/")
                and n.endswith((".pt", ".json")))
assert shipped and inside == shipped, f"pretrained files: wheel {inside}, source {shipped}"
print(f"wheel check: LICENSE in both archives; {len(inside)} network files in the wheel")
PY

# A new environment with the wheel only; everything runs outside the repository.
python3 -m venv "$WORK/venv"
. "$WORK/venv/bin/activate"
pip install -q torch==2.13.0
pip install -q "$WHEEL"
mkdir "$WORK/run" && cd "$WORK/run"
impedance-sklearn demo --quick --out demo_out
test -s demo_out/results.md
python - "$REPO" <<'PY'
import sys
from pathlib import Path

import numpy as np

import impedance_sklearn
from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.estimators import pretrained

repo = Path(sys.argv[1]).resolve()
home = Path(impedance_sklearn.__file__).resolve()
assert not home.is_relative_to(repo), f"imported the checkout ({home}), not the wheel"
folder = Path(pretrained.__file__).parent
names = sorted(p.stem for p in folder.glob("*.pt"))
assert names == sorted(pretrained.PRETRAINED), (names, sorted(pretrained.PRETRAINED))
for name in names:
    cnn = ImpedanceCNN.from_pretrained(name)
    pred = cnn.predict(np.zeros((2, cnn.n_features_in_)))
    assert pred.shape == (2, cnn.n_features_in_) and np.isfinite(pred).all(), name
    print(f"wheel check: from_pretrained({name!r}) loads and predicts {pred.shape}")
from importlib.metadata import version

assert version("impedance-sklearn") == impedance_sklearn.__version__
print(f"wheel check: impedance-sklearn {impedance_sklearn.__version__} from {home.parent}")
PY
deactivate
echo "wheel check: passed in $((SECONDS - start)) s"
