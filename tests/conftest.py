"""Shared fixtures. Tests that read ../shared/data skip with a reason when it is absent."""

import os
from pathlib import Path

import numpy as np
import pytest

# Keep tests deterministic and polite on a 2-core CI machine.
os.environ.setdefault("OMP_NUM_THREADS", "1")
try:  # torch is a dependency, but keep physics-only test runs importable without it
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    pass

import matplotlib

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("IMPEDANCE_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_file(name):
    """Path to a file in ../shared/data, or skip the test with the reason."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} not found: the real-data files live in ../shared/data beside the repo")
    return path


@pytest.fixture
def das_state_dict_path():
    return shared_file("das2019_cnn_k300_f60_state_dict.pkl")


@pytest.fixture
def volve_segy_path():
    return shared_file("volve_psdm_time_cropped.sgy")


@pytest.fixture
def volve_well_csv_path():
    return shared_file("volve_well_15-9-F-15A_seismic_ip.csv")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def paper_earth_models():
    """The paper's 2,100 training earth models (facies, porosity, clay), or skip."""
    from impedance_sklearn.datasets import load_earth_models

    return load_earth_models(*(shared_file(f"das2019_train_{k}.mat")
                               for k in ("facies", "porosity", "clay")))


@pytest.fixture
def f3_data():
    """The F3 folder (../shared/data with the arbitrary line), or skip."""
    shared_file("f3_arbline.sgy")
    return SHARED_DATA
