"""Behaviours pinned before the code moves (issue 21): each test fails when its behaviour
breaks; benchmarks/mutations.py plants the bug each one guards against."""

import numpy as np
import pytest
import torch
from sklearn.utils import Bunch

from impedance_sklearn import ImpedanceCNN
from impedance_sklearn.datasets import make_impedance_dataset
from impedance_sklearn.estimators.compatibility import (
    check_compatibility,
    describe_training_data,
)
from impedance_sklearn.estimators.section import (
    bridge_factor,
    fit_section,
    interpolate_logs,
)
from impedance_sklearn.io import well_windows
from impedance_sklearn.physics.transforms import augment_field, lowpass

DT = 4.3875e-4


def test_well_windows_keep_the_last_full_window():
    from impedance_sklearn.io import well_on_time_axis

    t = 0.001 * np.arange(100)
    well = Bunch(time=t, impedance=1.0 + t, seismic=np.sin(40 * t))
    X, y, t0 = well_windows(well, 0.004, 10)
    grid = 0.004 * np.arange(25)
    on = well_on_time_axis(well, grid)
    valid = np.flatnonzero(on.mask)
    assert X.shape == (valid.size - 9, 10)  # every start: the last window ends on the last sample
    np.testing.assert_allclose(X[-1], on.seismic[valid[-10:]])
    np.testing.assert_allclose(t0[-1], grid[valid[-10]])


def test_compatibility_flags_a_much_quieter_survey():
    info = describe_training_data(np.ones((2, 50)), dt=0.004)
    kinds = [f.kind for f in check_compatibility(info, 0.1 * np.ones((3, 50)), dt=0.004)]
    assert "amplitude" in kinds
    assert "amplitude" not in [f.kind for f in check_compatibility(info, 0.5 * np.ones((3, 50)),
                                                                   dt=0.004)]


@pytest.fixture(scope="module")
def small():
    X, y = make_impedance_dataset(16, n_samples=80, random_state=0)
    est = ImpedanceCNN(kernel_size=15, n_filters=4, max_epochs=1, random_state=0).fit(X, y)
    return X, y, est


def test_log_target_is_standardised_by_the_spread_of_ln_y(small):
    _, y, est = small
    assert est.domain_ == "log"
    assert est.y_loc_ == pytest.approx(np.log(y).mean(), rel=1e-6)
    assert est.y_scale_ == pytest.approx(np.log(y).std(), rel=1e-6)
    assert abs(est.y_scale_ - y.std()) > 0.1  # the spread of y itself differs


def test_input_scale_is_the_rms_of_the_whitened_traces(small):
    X, _, est = small
    n_fft = 1 << int(np.ceil(np.log2(2 * X.shape[1])))
    W = np.fft.irfft(np.fft.rfft(X, n_fft, axis=1) * est._prefilter, n_fft, axis=1)[:, :X.shape[1]]
    assert est.x_scale_ == pytest.approx(np.sqrt(np.mean(W**2)), rel=1e-6)
    assert abs(est.x_scale_ / np.sqrt(np.mean(X**2)) - 1) > 0.2  # not the raw traces' RMS


def test_augment_noise_is_relative_to_the_filtered_trace():
    X = np.random.default_rng(0).normal(size=(200, 331))  # white: a low-pass keeps 1/10 of it
    A = augment_field(X, DT, random_state=1, lowpass_range=(100.0, 100.0), p_lowpass=1,
                      p_phase=0, noise_range=(0.1, 0.1), p_noise=1, gain=1.0)
    filtered = lowpass(X, 100.0, DT)
    ratio = np.sqrt(np.mean((A - filtered) ** 2, 1) / np.mean(filtered**2, 1))
    assert np.median(ratio) == pytest.approx(0.1, rel=0.02)


def test_interpolate_logs_holds_the_end_wells_beyond_them():
    logs = np.array([[1.0, 2.0], [3.0, 6.0]])
    out = interpolate_logs(logs, [2, 4], [0, 3, 4, 9])
    np.testing.assert_allclose(out, [[1, 2], [2, 4], [3, 6], [3, 6]])


def test_prior_std_grows_with_the_square_root_of_the_bridge_distance():
    rng = np.random.default_rng(0)
    section = rng.normal(size=(21, 60))
    wells = [0, 20]
    logs = np.exp(1.5 + 0.1 * rng.normal(size=(2, 60)))
    prior = fit_section(section, wells, logs, wavelet_length=21)
    h = bridge_factor(21, wells)
    inside = h > 0
    np.testing.assert_allclose(prior.prior_std[inside] ** 2 / h[inside],
                               prior.prior_scale, rtol=1e-9)
    assert np.all(prior.prior_std[~inside] == 0)


def test_save_model_round_trips_a_bunch_as_a_bunch(tmp_path):
    from sklearn.linear_model import Ridge

    from impedance_sklearn.estimators.persist import load_model, save_model

    est = Ridge().fit(np.ones((3, 2)), np.arange(3.0))
    est.extra_ = Bunch(a=1.5, b=np.arange(3))
    back = load_model(save_model(est, tmp_path / "m.skops", overwrite=True), trust=True)
    assert isinstance(back.extra_, Bunch) and back.extra_.a == 1.5
    np.testing.assert_array_equal(back.extra_.b, np.arange(3))


def test_closed_loop_draws_from_every_unlabelled_trace():
    from impedance_sklearn import physics
    from impedance_sklearn.estimators.closedloop import closed_loop_finetune

    _, y = make_impedance_dataset(44, n_samples=80, random_state=3)
    w = 0.2 * physics.ricker(60.0, DT, 0.04)
    X = physics.convolve_traces(physics.reflectivity(y, pad=True), w, w.size // 2)
    est = ImpedanceCNN(kernel_size=15, n_filters=4, max_epochs=1, random_state=0).fit(X[:4],
                                                                                     y[:4])
    seen = []
    hook = est.module_.register_forward_pre_hook(lambda m, a: seen.append(a[0].detach().clone()))
    closed_loop_finetune(est, X[:4], y[:4], X[4:], w, weight=1.0, n_steps=30, batch_size=16,
                         random_state=0)
    hook.remove()
    U = torch.as_tensor(X[4:], dtype=torch.float32)
    used = set()
    for batch in seen:
        rows = batch.reshape(batch.shape[0], -1)
        if rows.shape[0] != 16:
            continue  # the labelled traces
        match = torch.cdist(rows, U).argmin(dim=1)
        used.update(int(k) for k in match)
    assert len(used) == 40  # 480 draws: every one of the 40 unlabelled traces
