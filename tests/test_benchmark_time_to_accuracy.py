"""benchmarks/time_to_accuracy.py: scoring every epoch leaves the training as it is, and the
epochs it reports are the right ones."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.metrics import trace_pcc

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def tta():
    sys.path.insert(0, str(BENCH))  # it imports throughput.seed_train
    try:
        spec = importlib.util.spec_from_file_location("time_to_accuracy",
                                                      BENCH / "time_to_accuracy.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(BENCH))
    return mod


def test_scoring_each_epoch_changes_no_weight(tta):
    X, y = make_impedance_dataset(24, random_state=0)
    Xt, yt = make_impedance_dataset(8, vertical_range=(3, 8), random_state=1)
    small = dict(kernel_size=5, n_filters=3, max_epochs=4, batch_size=4, random_state=0)
    scorer, clock = tta.EpochScore(Xt, yt), tta.EpochClock()
    scored = ImpedanceCNN(callbacks=[("score", scorer)], **small).fit(X, y)
    clock.start = 0.0
    timed = ImpedanceCNN(callbacks=[("clock", clock)], **small).fit(X, y)
    plain = ImpedanceCNN(**small).fit(X, y)
    # the scored fit's predictions each epoch draw from torch's generator: restored, so the
    # shuffles and the weights are those of the plain fit (without the restore they differ)
    np.testing.assert_array_equal(scored.predict(Xt), plain.predict(Xt))
    np.testing.assert_array_equal(timed.predict(Xt), plain.predict(Xt))
    assert len(scorer.pcc) == len(clock.cpu_s) == 4
    assert scorer.pcc[-1] == pytest.approx(trace_pcc(yt, plain.predict(Xt)), abs=1e-12)
    assert np.all(np.diff(clock.cpu_s) >= 0)


def test_first_and_from_on(tta):
    epochs = [{"epoch": k + 1, "pcc": p} for k, p in enumerate([0.5, 0.8, 0.7, 0.8, 0.9])]
    assert tta._first(epochs, 0.79)["epoch"] == 2
    assert tta._from_on(epochs, 0.79)["epoch"] == 4
    assert tta._first(epochs, 0.95) is None and tta._from_on(epochs, 0.95) is None
    assert tta._from_on(epochs, 0.4)["epoch"] == 1
