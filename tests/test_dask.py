"""Dask: survey prediction on a cluster and grid search under joblib's dask backend.

One LocalCluster (2 worker processes, 1 thread each) is shared by the module: starting one is the
slow part.
"""

import hashlib
import os
import sys

import joblib
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

from impedance_sklearn.segy import predict_segy, read_segy

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def volve_baseline(volve_segy_path):
    from impedance_sklearn import TraceIntegration

    X = read_segy(volve_segy_path).traces
    rng = np.random.default_rng(0)
    y = 5.0 + np.cumsum(rng.normal(0, 0.1, (80, 38)), axis=1)
    return TraceIntegration().fit(X[:80], y)


class FailOnWorker:
    """predict raises on the chunk whose first trace equals ``first_values``."""

    n_features_in_ = 38

    def __init__(self, first_values):
        self.first_values = first_values

    def predict(self, X):
        if np.array_equal(X[0], self.first_values):
            raise RuntimeError("worker boom")
        return np.asarray(X, dtype=np.float64)


def test_cluster_output_is_byte_identical_to_single_process(tmp_path, client, volve_segy_path):
    est = volve_baseline(volve_segy_path)
    local = predict_segy(est, volve_segy_path, tmp_path / "local.sgy", chunk_traces=200)
    with distributed.get_task_stream(client) as stream:
        remote = predict_segy(est, volve_segy_path, tmp_path / "dask.sgy", chunk_traces=200,
                              client=client)
    assert len(stream.data) == 7  # chunks 2-8 on the workers (chunk 1 checks the model first)
    assert digest(remote) == digest(local)
    np.testing.assert_array_equal(read_segy(remote).traces,
                                  est.predict(read_segy(volve_segy_path).traces).astype(np.float32))
    assert sorted(os.listdir(tmp_path)) == ["dask.sgy", "local.sgy"]


def test_cluster_failure_leaves_no_output(tmp_path, client, volve_segy_path):
    X = read_segy(volve_segy_path).traces
    dst = tmp_path / "out.sgy"
    with pytest.raises(RuntimeError, match="worker boom"):
        predict_segy(FailOnWorker(X[600]), volve_segy_path, dst, chunk_traces=200, client=client)
    assert os.listdir(tmp_path) == []


def test_without_dask_the_error_names_the_extra(tmp_path, monkeypatch, volve_segy_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ImportError, match=r"impedance-sklearn\[dask\]"):
        predict_segy(volve_baseline(volve_segy_path), volve_segy_path, tmp_path / "o.sgy",
                     client=object())
    assert os.listdir(tmp_path) == []


def toy_data(n=24, n_samples=40, seed=0):
    """Blocky log-impedance traces and their ideal reflectivity 'seismic'."""
    rng = np.random.default_rng(seed)
    logz = np.log(4.0) + np.cumsum(rng.normal(0, 0.03, (n, n_samples)), axis=1)
    X = 0.5 * np.diff(logz, axis=1, prepend=logz[:, :1])
    return X, np.exp(logz)


def grid_search_both_ways(estimator, grid, X, y, client):
    cv = KFold(3, shuffle=True, random_state=0)
    local = GridSearchCV(estimator, grid, cv=cv, n_jobs=1).fit(X, y)
    with distributed.get_task_stream(client) as stream:
        with joblib.parallel_backend("dask", wait_for_workers_timeout=60):
            remote = GridSearchCV(estimator, grid, cv=cv, n_jobs=-1).fit(X, y)
    assert len(stream.data) > 0  # the fits ran as tasks on the cluster
    return local, remote


def assert_same_search(local, remote, X):
    assert remote.best_params_ == local.best_params_
    for key in ("mean_test_score", "std_test_score", "rank_test_score",
                *(f"split{i}_test_score" for i in range(3))):
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key], key)
    assert list(remote.cv_results_["params"]) == list(local.cv_results_["params"])
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))


def test_grid_search_on_cluster_equals_local_baseline(client):
    from impedance_sklearn import TraceIntegration

    X, y = toy_data()
    grid = {"lowcut_sigma": [None, 5.0, 20.0], "background_sigma": [0.0, 10.0]}
    local, remote = grid_search_both_ways(TraceIntegration(), grid, X, y, client)
    assert len(local.cv_results_["params"]) == 6
    assert_same_search(local, remote, X)


def test_grid_search_on_cluster_equals_local_cnn(client):
    from impedance_sklearn import ImpedanceCNN

    X, y = toy_data(n=18, n_samples=32)
    est = ImpedanceCNN(kernel_size=5, max_epochs=2, random_state=0)
    local, remote = grid_search_both_ways(est, {"lr": [1e-3, 1e-2]}, X, y / 4.0, client)
    assert_same_search(local, remote, X)
