"""Bounded outputs (scaling.soft_clip, ImpedanceCNN.y_range_) and the warnings of predict when the
input is unlike the training data (compatibility: noise, spectrum, amplitude)."""

import json
import shutil
import warnings

import numpy as np
import pytest
import torch

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.compatibility import (
    DataMismatchWarning,
    check_compatibility,
    describe_training_data,
    target_range,
)
from impedance_sklearn.estimators.persist import load_model, save_model
from impedance_sklearn.estimators.pretrained import HERE, load_pretrained
from impedance_sklearn.estimators.scaling import soft_clip
from impedance_sklearn.physics.transforms import add_noise, lowpass
from impedance_sklearn.physics.wavelets import DAS_DT, das2019_wavelet


def test_soft_clip_is_the_identity_inside_and_bounded_outside():
    low, high = 1.0, 3.0
    t = torch.linspace(low + (high - low) / 6, high - (high - low) / 6, 101, dtype=torch.float64)
    assert float((soft_clip(t, low, high) - t).abs().max()) < 1e-3 * (high - low)
    far = torch.tensor([-1e6, -50.0, 50.0, 1e6], dtype=torch.float64)
    np.testing.assert_allclose(soft_clip(far, low, high).numpy(), [low, low, high, high],
                               atol=1e-9)
    s = soft_clip(torch.linspace(-20, 20, 2001, dtype=torch.float64), low, high)
    assert torch.all(torch.diff(s) >= 0) and float(s.min()) >= low and float(s.max()) <= high
    x = torch.tensor([2.0], requires_grad=True)
    soft_clip(x, low, high).sum().backward()
    assert float(x.grad) == pytest.approx(1.0, abs=1e-6)  # gradients pass unchanged inside


def test_target_range_widens_the_training_range_by_a_quarter_of_its_span():
    T = np.log([2.0, 8.0])
    span = T[1] - T[0]
    low, high = target_range(T, "log", 0.1)
    assert (np.log(low), np.log(high)) == pytest.approx((T[0] - span / 4, T[1] + span / 4))
    assert target_range(np.array([5.0, 5.0]), "linear", 2.0) == (3.0, 7.0)  # at least a scale


def inside(p, low, high):
    """Within [low, high] to the network's float32 precision."""
    return bool(np.all((p >= low * (1 - 1e-6)) & (p <= high * (1 + 1e-6))))


@pytest.fixture(scope="module")
def fitted():
    X, y = make_impedance_dataset(40, n_samples=120, random_state=0)
    return X, y, ImpedanceCNN(kernel_size=31, n_filters=4, max_epochs=2, random_state=0).fit(X, y)


def test_fit_records_the_range_and_predict_stays_inside(fitted, tmp_path):
    X, y, est = fitted
    low, high = est.y_range_
    assert low < y.min() and high > y.max()
    T = np.log(y)
    assert np.log(low) == pytest.approx(T.min() - 0.25 * np.ptp(T), rel=1e-6)
    for Xv in (1e4 * X, add_noise(X, 3.0, random_state=0), -X):
        p = est.predict(Xv)
        assert inside(p, low, high)
    again = load_model(save_model(est, tmp_path / "m.skops"), trust=True)
    assert again.y_range_ == est.y_range_
    np.testing.assert_array_equal(again.predict(1e4 * X), est.predict(1e4 * X))


def test_a_fitted_estimator_without_a_training_record_does_not_warn(fitted):
    X, _, est = fitted
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataMismatchWarning)
        est.predict(add_noise(X, 1.0, random_state=0))


@pytest.fixture(scope="module")
def check_set():
    return make_impedance_dataset(40, vertical_range=(3.0, 8.0), random_state=5)


def _predict(est, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = est.predict(X)
    kinds = [str(w.message) for w in caught if issubclass(w.category, DataMismatchWarning)]
    return p, kinds


@pytest.mark.parametrize("name", ["das2019", "field"])
def test_shipped_networks_stay_in_range_on_input_unlike_their_training(name, check_set):
    est = ImpedanceCNN.from_pretrained(name)
    X, _ = check_set
    low, high = est.y_range_
    assert low < 2.6 and high > 10.0  # the generator's impedances, 2.6-10.0, fit inside
    for Xv in (add_noise(X, 0.1, random_state=0), add_noise(X, 1.0, random_state=1),
               lowpass(X, 125.0, DAS_DT), add_noise(lowpass(X, 125.0, DAS_DT), 0.1, 2),
               100.0 * X, np.zeros_like(X)):
        p, _ = _predict(est, Xv)
        assert np.all(np.isfinite(p)) and inside(p, low, high), Xv.std()


@pytest.fixture(scope="module")
def low_frequency_set():
    """The check set's earth models, made with the paper's wavelet at half its frequencies."""
    w = das2019_wavelet(f=(2.0, 5.0, 25.0, 35.0))
    return make_impedance_dataset(40, vertical_range=(3.0, 8.0), wavelet=w, lag=24,
                                  random_state=5)


@pytest.mark.parametrize("name", ["das2019", "field"])
def test_shipped_networks_warn_where_the_input_is_unlike_their_training(
        name, check_set, low_frequency_set):
    est = ImpedanceCNN.from_pretrained(name)
    X, _ = check_set
    assert _predict(est, X)[1] == []  # data like the training data: no warning
    _, noisy = _predict(est, add_noise(X, 1.0, random_state=1))  # as much noise as signal
    assert len(noisy) == 1 and "noisier" in noisy[0] and "lowpass" in noisy[0]
    _, louder = _predict(est, 100.0 * X)
    if name == "field":  # standardised per trace: any amplitude
        assert louder == []
    else:
        assert len(louder) == 1 and "RMS amplitude" in louder[0]
    _, banded = _predict(est, low_frequency_set[0])
    assert len(banded) == 1 and "band-limited" in banded[0] and "wavelet" in banded[0]


def kinds(info, X):
    return [f.kind for f in check_compatibility(info, X, dt=DAS_DT)]


def test_spectral_checks_compare_with_the_training_spectrum(check_set, low_frequency_set):
    X, _ = check_set
    info = describe_training_data(X, dt=DAS_DT)
    spec = info["spectrum"]
    assert 40 < spec["f95"] < 70 and spec["f95"] <= spec["f999"]  # the wavelet's 50-70 Hz taper
    assert 0 < spec["share_above_f999"] <= 1e-3
    assert kinds(info, X) == []
    assert kinds(info, add_noise(X, 0.02, random_state=0)) == []
    assert kinds(info, add_noise(X, 0.1, random_state=0)) == ["noise"]
    (low,) = check_compatibility(info, low_frequency_set[0], dt=DAS_DT)
    assert low.kind == "spectrum" and not low.blocking
    # trained on noisy data, clean data are not "band-limited" and 10 % noise is not noisy
    noisy_info = describe_training_data(add_noise(X, 0.2, random_state=3), dt=DAS_DT)
    assert kinds(noisy_info, X) == []
    assert kinds(noisy_info, add_noise(X, 0.1, random_state=0)) == []


def test_a_file_without_a_range_gets_one_from_its_impedance_range(tmp_path):
    for ext in ("pt", "json"):
        shutil.copy(HERE / f"das2019.{ext}", tmp_path / f"old.{ext}")
    spec = json.loads((tmp_path / "old.json").read_text())
    del spec["fitted"]["y_range_"]
    (tmp_path / "old.json").write_text(json.dumps(spec))
    old = load_pretrained(ImpedanceCNN, "old", folder=tmp_path)
    low, high = spec["training_info"]["impedance_range"]
    T = np.log([low, high])
    assert old.y_range_ == pytest.approx(target_range(T, "log", old.y_scale_))
    assert ImpedanceCNN.from_pretrained("das2019").y_range_ == pytest.approx(old.y_range_)


def test_predict_command_warns_once_on_noisy_input(tmp_path, check_set, capsys):
    from impedance_sklearn import cli
    from impedance_sklearn.io.npz import save_npz

    X, _ = check_set
    save_npz(tmp_path / "noisy.npz", add_noise(X, 1.0, random_state=1), dt=DAS_DT)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataMismatchWarning)  # not raised per chunk
        assert cli.main(["predict", "--model", "das2019", "--input", str(tmp_path / "noisy.npz"),
                         "--out", str(tmp_path / "pred.npz")]) == 0
    err = capsys.readouterr().err
    assert err.count("noisier") == 1 and "from_pretrained('field')" in err
