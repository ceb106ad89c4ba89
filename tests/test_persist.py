"""Model files (impedance_sklearn.estimators.persist): exact round trips of every kind of
estimator, files written by 0.2 (whose classes lived in modules that moved), and refusals."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge

from impedance_sklearn import (
    ColoredInversion,
    FewWellsRegressor,
    ImpedanceCNN,
    ModelBasedInversion,
    SectionInversion,
    WindowedRegressor,
)
from impedance_sklearn.datasets import make_section
from impedance_sklearn.estimators.persist import (
    MOVED_IN_0_3,
    ModelFileError,
    load_model,
    save_model,
)


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 48))
    return X, np.exp(1.5 + 0.05 * np.cumsum(X, axis=1))


def _as_0_2(obj):
    """The payload as 0.2 wrote it: every moved module under its old name."""
    back = {v: k for k, v in MOVED_IN_0_3.items()}
    if isinstance(obj, dict):
        return {k: _as_0_2(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_as_0_2(v) for v in obj]
    if isinstance(obj, str) and obj.startswith("impedance_sklearn."):
        module, _, attr = obj.rpartition(".")
        return f"{back.get(module, module)}.{attr}"
    return obj


@pytest.mark.parametrize("make", [
    lambda: ColoredInversion(),
    lambda: ModelBasedInversion(wavelet_length=11),
    lambda: ImpedanceCNN(kernel_size=5, n_filters=3, max_epochs=2, random_state=0),
    lambda: WindowedRegressor(Ridge(), window=16),
    lambda: FewWellsRegressor(Ridge(), n_synthetic=30, forward="convolutional", noise=0.0,
                              random_state=0),
], ids=["colored", "model-based", "cnn", "windowed", "few-wells"])
def test_round_trip_is_exact_and_reads_0_2_files(make, pairs, tmp_path):
    X, y = pairs
    est = make().fit(X, y)
    path = save_model(est, tmp_path / "m.pt")
    np.testing.assert_array_equal(load_model(path).predict(X), est.predict(X))
    # the same file as 0.2 wrote it (impedance_sklearn.cnn.ImpedanceCNN, ...) still opens
    payload = torch.load(path, weights_only=True)
    old = _as_0_2(payload)
    assert old != payload or type(est).__module__ not in MOVED_IN_0_3.values()
    torch.save(old, tmp_path / "old.pt")
    np.testing.assert_array_equal(load_model(tmp_path / "old.pt").predict(X), est.predict(X))


def test_section_models_round_trip_including_the_0_2_kind(tmp_path):
    X, y = make_section(60, 120, random_state=1)
    wells = [5, 30, 55]
    est = SectionInversion().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
    back = load_model(save_model(est, tmp_path / "s.pt"))
    np.testing.assert_array_equal(back.predict(X, return_std=True)[1],
                                  est.predict(X, return_std=True)[1])
    # a 0.2 FewWellsRegressor fitted on a section (no SectionInversion inside) still predicts
    with pytest.warns(FutureWarning):
        old = FewWellsRegressor().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
    del old._section
    back = load_model(save_model(old, tmp_path / "o.pt"))
    np.testing.assert_array_equal(back.predict(X), est.predict(X))


def test_refuses_what_it_cannot_trust(pairs, tmp_path):
    X, y = pairs
    path = save_model(ColoredInversion().fit(X, y), tmp_path / "c.pt")
    payload = torch.load(path, weights_only=True)
    payload["estimator"]["__estimator__"] = "os.system"
    torch.save(payload, tmp_path / "bad.pt")
    with pytest.raises(ModelFileError, match="not allowed"):
        load_model(tmp_path / "bad.pt")
    with pytest.raises(FileExistsError):
        save_model(ColoredInversion().fit(X, y), path)
