"""Reliability: no lost data, no silent NaN, clean kills, safe model files, clear errors.

One test (or more) per finding of the reliability review (issue 15), named after it. Fault
injection (signals, full disks, read-only folders) skips where the machine does not permit it.
"""

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.io

from impedance_sklearn import ColoredInversion, ImpedanceCNN, ModelBasedInversion
from impedance_sklearn.estimators.persist import ModelFileError, load_model, save_model
from impedance_sklearn.io import load_mat, load_npz, read_segy, save_npz, write_segy

CLI = [sys.executable, "-m", "impedance_sklearn"]


def run(*args, **kw):
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, **kw)


@pytest.fixture
def small_npz(tmp_path, rng):
    X = rng.normal(size=(12, 64))
    y = 3.0 * np.exp(0.05 * np.cumsum(rng.normal(size=(12, 64)), axis=1))
    path = save_npz(tmp_path / "data.npz", X, y, dt=0.002)
    return path, X, y


@pytest.fixture
def small_segy(tmp_path, rng):
    import segyio

    path = tmp_path / "small.sgy"
    cube = rng.normal(size=(3, 4, 50)).astype(np.float32)
    segyio.tools.from_array(str(path), cube, format=5, dt=4000)
    return path


def _leftovers(folder):
    return sorted(p.name for p in Path(folder).iterdir() if ".isk-" in p.name)


# ------------------------------------------------------------------ data lost or corrupted


def test_1_train_never_overwrites_its_data(small_npz):
    path, _, _ = small_npz
    before = path.read_bytes()
    res = run("train", "--data", path, "--model", "colored", "--out", path, "--force")
    assert res.returncode == 2 and "is the source file" in res.stderr
    assert path.read_bytes() == before


def test_2_write_segy_refuses_values_the_format_cannot_hold(tmp_path, small_segy):
    data = read_segy(small_segy)
    for value in (1e39, 1e80, np.nan):
        with pytest.raises(ValueError, match="nothing was written"):
            write_segy(tmp_path / "out.sgy", np.full(data.shape, value), like=data)
    assert not (tmp_path / "out.sgy").exists() and _leftovers(tmp_path) == []


def test_3_model_and_sidecar_are_written_together(tmp_path, small_npz, monkeypatch):
    """A failure while writing the sidecar leaves neither file (and a rerun is not refused)."""
    from impedance_sklearn.cli import _common

    path, _, _ = small_npz
    out = tmp_path / "m.pt"

    class Boom(Exception):
        pass

    real = Path.write_text

    def failing(self, *a, **k):
        if self.name.startswith(".m.pt.json"):
            raise Boom("disk full")
        return real(self, *a, **k)

    from impedance_sklearn.estimators import make_estimator

    est = make_estimator("colored").fit(*load_npz(path))
    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(Boom):
        _common.save_model(est, out, Path(str(out) + ".json"), {"a": 1}, force=False,
                           sources=[path])
    monkeypatch.setattr(Path, "write_text", real)
    assert not out.exists() and not Path(str(out) + ".json").exists()
    assert _leftovers(tmp_path) == []


# ------------------------------------------------------------------ silent wrong results


class _Diverged:
    """A 'model' whose predictions are NaN (a diverged network)."""

    n_features_in_ = 50

    def predict(self, X):
        return np.full(np.shape(X), np.nan)


def test_4_nan_predictions_are_refused(tmp_path, small_segy):
    from impedance_sklearn.io import predict_segy

    with pytest.raises(ValueError, match="NaN or infinite"):
        predict_segy(_Diverged(), small_segy, tmp_path / "out.sgy")
    assert not (tmp_path / "out.sgy").exists() and _leftovers(tmp_path) == []


def test_4_inputs_beyond_float32_are_refused(rng):
    X = rng.normal(size=(6, 40))
    y = 3.0 + np.cumsum(X, axis=1) * 0.01
    est = ImpedanceCNN(kernel_size=5, n_filters=2, max_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="float32's range"):
        est.predict(X * 1e39)
    with pytest.raises(ValueError, match="magnitude"):
        est.predict(X * 1e200)


def test_4_cli_predict_refuses_nan_outputs(tmp_path, small_npz, monkeypatch):
    """The CLI's .npy/.mat/.npz writers validate before writing."""
    from impedance_sklearn.io import read_traces, write_traces

    path, X, _ = small_npz
    like = read_traces(path)
    for suffix in (".npz",):
        with pytest.raises(ValueError, match="NaN or infinite"):
            write_traces(tmp_path / f"p{suffix}", np.full(X.shape, np.nan), like=like)
    np.save(tmp_path / "x.npy", X)
    like = read_traces(tmp_path / "x.npy")
    with pytest.raises(ValueError, match="NaN or infinite"):
        write_traces(tmp_path / "p.npy", np.full(X.shape, np.inf), like=like)
    assert not (tmp_path / "p.npy").exists()


def test_5_ctrl_c_during_train_saves_nothing(tmp_path, small_npz):
    path, _, _ = small_npz
    out = tmp_path / "m.pt"
    proc = subprocess.Popen(CLI + ["train", "--data", str(path), "--model", "cnn", "--param",
                                   "kernel_size=5", "--param", "max_epochs=100000", "--out",
                                   str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().startswith("training ImpedanceCNN")  # printed before fit
    time.sleep(3.0)  # inside skorch's epoch loop, which swallows KeyboardInterrupt
    proc.send_signal(signal.SIGINT)
    out_text, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert not out.exists() and not Path(str(out) + ".json").exists()


def test_6_truncated_segy_warns(tmp_path, volve_segy_path):
    raw = Path(volve_segy_path).read_bytes()
    trace_bytes = 240 + 38 * 4
    cut = tmp_path / "cut.sgy"
    cut.write_bytes(raw[: len(raw) - trace_bytes])  # exactly one trace short
    with pytest.warns(UserWarning, match="may be truncated"):
        data = read_segy(cut)
    assert data.traces.shape[0] == 1532 and data.ilines is None


def test_7_from_state_dict_validates(tmp_path, das_state_dict_path):
    import torch

    with pytest.raises(ValueError, match="shorter than the network's kernel"):
        ImpedanceCNN.from_state_dict(das_state_dict_path, n_samples=100)
    with pytest.raises(ValueError, match="n_samples must be an integer"):
        ImpedanceCNN.from_state_dict(das_state_dict_path, n_samples="abc")
    with pytest.raises(ValueError, match="n_outputs must be an integer >= 1"):
        ImpedanceCNN.from_state_dict(das_state_dict_path, n_outputs=0)
    sd = torch.load(das_state_dict_path, weights_only=True, map_location="cpu")
    sd["layer2.0.bias"] = torch.tensor([float("nan")])
    with pytest.raises(ValueError, match="NaN or infinite weights"):
        ImpedanceCNN.from_state_dict(sd)


@pytest.mark.parametrize("X, y, match", [
    (np.ones(5), None, "2-D"),
    (np.ones((2, 3, 4)), None, "2-D"),
    (np.full((3, 4), np.nan), None, "NaN"),
    (np.array([["a", "b"]]), None, "numeric"),
    (np.ones((5, 4)), np.ones((3, 4)), "5 traces but y has 3"),
])
def test_8_load_npz_validates(tmp_path, X, y, match):
    path = tmp_path / "bad.npz"
    arrays = {"X": X} if y is None else {"X": X, "y": y}
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=match):
        load_npz(path)


def test_9_metrics_any_unit_and_no_complex():
    from impedance_sklearn import metrics

    y = np.array([[1.0, 2.0, 4.0, 3.0]])
    p = y * 1.1 + 0.1
    for scale in (1.0, 1e200, 1e-200):
        assert metrics.relative_l2(y * scale, p * scale) == pytest.approx(
            metrics.relative_l2(y, p), rel=1e-12)
        assert metrics.r2(y * scale, p * scale) == pytest.approx(metrics.r2(y, p), rel=1e-12)
        assert metrics.trace_rmse(y * scale, p * scale) == pytest.approx(
            metrics.trace_rmse(y, p) * scale, rel=1e-12)
    with pytest.raises(TypeError, match="complex"):
        metrics.relative_l2(y + 1j, p)


# ------------------------------------------------------------------ faults


def _big_segy(tmp_path, n_traces=40000):
    import segyio

    path = tmp_path / "big.sgy"
    cube = np.zeros((n_traces // 200, 200, 200), dtype=np.float32)
    segyio.tools.from_array(str(path), cube, format=5, dt=4000)
    return path


_SLOW_PREDICT = """
import sys, time, numpy as np
from impedance_sklearn.io import predict_segy
class Slow:
    n_features_in_ = 200
    def predict(self, X):
        time.sleep(0.05)
        return np.asarray(X) + 1.0
print("started", flush=True)
predict_segy(Slow(), sys.argv[1], sys.argv[2], chunk_traces=200)
"""


@pytest.mark.parametrize("sig, rc", [(signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_10_killed_writes_leave_nothing_after_the_next_run(tmp_path, sig, rc):
    src = _big_segy(tmp_path)
    dst = tmp_path / "out.sgy"
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_PREDICT, str(src), str(dst)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(2.0)  # the temporary copy exists and is being filled
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode == rc
    assert not dst.exists()
    if sig == signal.SIGTERM:  # cleaned up by the process itself
        assert _leftovers(tmp_path) == []
    else:  # SIGKILL cannot be caught: the next write to the same destination removes it
        assert len(_leftovers(tmp_path)) == 1
        from impedance_sklearn.io._files import remove_stale_temporaries

        removed = remove_stale_temporaries(dst)
        assert len(removed) == 1 and _leftovers(tmp_path) == []


def test_11_parallel_predict_starts_no_worker_processes(tmp_path, small_segy):
    """n_jobs uses threads: nothing can outlive the caller."""
    import multiprocessing

    from sklearn.linear_model import Ridge

    from impedance_sklearn.io import predict_segy

    X = read_segy(small_segy).traces
    model = Ridge().fit(X, X)
    before = set(multiprocessing.active_children())
    predict_segy(model, small_segy, tmp_path / "p.sgy", chunk_traces=2, n_jobs=2)
    assert set(multiprocessing.active_children()) == before
    np.testing.assert_allclose(read_segy(tmp_path / "p.sgy").traces, model.predict(X),
                               atol=1e-5)


# ------------------------------------------------------------------ safety


class _Evil:
    def __reduce__(self):
        return (open, ("/tmp/isk_evil_marker", "w"))


def test_12_pickles_are_not_opened_without_trust(tmp_path):
    marker = Path("/tmp/isk_evil_marker")
    marker.unlink(missing_ok=True)
    evil = tmp_path / "evil.joblib"
    evil.write_bytes(pickle.dumps(_Evil(), protocol=4))
    with pytest.raises(ModelFileError, match="runs code"):
        load_model(evil)
    assert not marker.exists()
    res = run("predict", "--model", evil, "--input", tmp_path / "x.npy", "--out",
              tmp_path / "p.npy")
    assert res.returncode == 2 and not marker.exists()


def test_12_safe_model_files_round_trip(tmp_path, small_npz):
    path, X, y = small_npz
    for est in (ColoredInversion(), ModelBasedInversion(wavelet_length=21),
                ImpedanceCNN(kernel_size=5, n_filters=2, max_epochs=2, random_state=0)):
        est.fit(X, y)
        out = save_model(est, tmp_path / f"{type(est).__name__}.pt", metadata={"dt": 0.002})
        again = load_model(out)
        np.testing.assert_array_equal(again.predict(X), est.predict(X))
        assert again.training_info_ == {"dt": 0.002}


def test_13_outputs_have_the_usual_mode(tmp_path, rng):
    old = os.umask(0o022)
    try:
        path = save_npz(tmp_path / "a.npz", rng.normal(size=(2, 3)))
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


# ------------------------------------------------------------------ unclear errors


def test_unclear_errors_are_clear(tmp_path, rng):
    from scipy import sparse

    X = rng.normal(size=(6, 40))
    y = 3.0 + np.cumsum(X, axis=1) * 0.01
    with pytest.raises(TypeError, match="sparse"):
        ColoredInversion().fit(X, sparse.csr_matrix(y))
    # batch_size=-1 trains on all traces in one batch
    est = ImpedanceCNN(kernel_size=5, n_filters=2, max_epochs=2, batch_size=-1).fit(X, y)
    assert len(est.history) == 2
    with pytest.raises(ValueError, match="'batch_size' parameter.*Got '-1'"):
        ImpedanceCNN(kernel_size=5, batch_size="-1").fit(X, y)
    # folders and FIFOs are named as what they are
    with pytest.raises(IsADirectoryError, match="is a folder"):
        load_npz(tmp_path)
    fifo = tmp_path / "pipe.mat"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="FIFO"):
        load_mat(fifo)
    # a text file given to load_npz
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not an .npz archive"):
        load_npz(text)
    # save_npz into a missing folder names the folder
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save_npz(tmp_path / "missing" / "a.npz", X)
    # a v5 .mat cut short
    full = tmp_path / "full.mat"
    scipy.io.savemat(full, {"Seismic": X.T})
    cut = tmp_path / "cut.mat"
    cut.write_bytes(full.read_bytes()[:128])
    with pytest.raises(ValueError, match="no MATLAB variables|not a readable"):
        load_mat(cut)
    # EarlyStopping without a validation split
    from skorch.callbacks import EarlyStopping

    with pytest.raises(ValueError, match="needs a validation split"):
        ImpedanceCNN(kernel_size=5, max_epochs=2, callbacks=[("es", EarlyStopping())]).fit(X, y)
    with pytest.raises(ValueError, match="magnitude"):
        ModelBasedInversion().fit(X * 1e300, y)


def test_cli_bad_optimizer_and_figures(tmp_path, small_npz):
    path, _, _ = small_npz
    res = run("train", "--data", path, "--param", "optimizer=bogus", "--out", tmp_path / "m.pt")
    assert res.returncode == 2 and "not a torch optimizer" in res.stderr
    (tmp_path / "figs").write_text("a file")
    res = run("evaluate", "--model", "nothing.pt", "--data", path, "--figures",
              tmp_path / "figs")
    assert res.returncode == 2 and res.stdout == ""
