"""Tests for the .mat and .npz readers and writers (impedance_sklearn.io, via datasets)."""

import os

import h5py
import numpy as np
import pytest
import scipy.io

from impedance_sklearn.datasets import load_mat, load_npz, save_npz
from impedance_sklearn.io.mat import MissingKeyError


@pytest.fixture
def traces(rng):
    """Seismic (5 traces x 7 samples) and impedance in the file's units."""
    X = rng.normal(size=(5, 7))
    Z = rng.uniform(2.6e6, 9.6e6, size=(5, 7))
    return X, Z


def write_v73(path, variables):
    """Write a MATLAB v7.3-like file: HDF5 with a 512-byte user block, arrays column-major.

    MATLAB stores a (rows, cols) array column-major, which h5py (row-major) sees as (cols, rows):
    the dataset holds the transpose of the MATLAB array.
    """
    with h5py.File(path, "w", userblock_size=512) as fh:
        for name, A in variables.items():
            ds = fh.create_dataset(name, data=np.asarray(A).T)
            ds.attrs["MATLAB_class"] = np.bytes_("double")
        fh.create_group("#refs#")
    header = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5"
    with open(path, "r+b") as fh:  # 116 text bytes, 8 subsystem-offset bytes, version, "IM"
        fh.write(header.ljust(116, b" ") + b" " * 8 + b"\x00\x02" + b"IM")


@pytest.mark.parametrize("imp_key", ["Impedance", "Imp"])
def test_seed_keys_v5_transposed_and_scaled(tmp_path, traces, imp_key):
    X, Z = traces
    path = tmp_path / "seed.mat"
    scipy.io.savemat(path, {"Seismic": X.T, imp_key: Z.T})  # stored (n_samples, n_traces)
    X2, y2 = load_mat(path)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, Z / 1e6)
    assert X2.shape == (5, 7) and X2.flags.c_contiguous


def test_paper_keys_and_v73_read_back_exactly(tmp_path, traces):
    X, Z = traces
    v5, v73 = tmp_path / "paper_v5.mat", tmp_path / "paper_v73.mat"
    variables = {"wz_with_multiples": X.T, "IpTimeVec": Z.T, "dt": np.array([[4.3875e-4]])}
    scipy.io.savemat(v5, variables)
    write_v73(v73, variables)
    assert h5py.is_hdf5(v73)
    with pytest.raises(NotImplementedError):  # scipy cannot read v7.3: h5py is needed
        scipy.io.loadmat(v73)
    for path in (v5, v73):
        X2, y2 = load_mat(path, scale=1.0)
        np.testing.assert_array_equal(X2, X)
        np.testing.assert_array_equal(y2, Z)


def test_explicit_keys_and_custom_scale(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "custom.mat"
    scipy.io.savemat(path, {"amp": X.T, "ai": Z.T, "Seismic": 0 * X.T})
    X2, y2 = load_mat(path, seismic_key="amp", impedance_key="ai", scale=1e3)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_allclose(y2, Z / 1e3, rtol=1e-15)


def test_seismic_only_file_loads_with_y_none(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "predict_only.mat"
    scipy.io.savemat(path, {"Seismic": X.T})
    X2, y2 = load_mat(path)
    np.testing.assert_array_equal(X2, X)
    assert y2 is None
    # impedance_key=False skips an impedance that is present
    scipy.io.savemat(path, {"Seismic": X.T, "Impedance": Z.T})
    assert load_mat(path, impedance_key=False)[1] is None
    # a named impedance key that is missing is an error, not None
    with pytest.raises(KeyError, match="'Impedance', 'Seismic'"):
        load_mat(path, impedance_key="AI")


@pytest.mark.parametrize("writer", ["v5", "v73"])
def test_missing_seismic_key_lists_the_keys_found(tmp_path, traces, writer):
    X, Z = traces
    path = tmp_path / "other.mat"
    variables = {"amplitude": X.T, "Impedance": Z.T}
    scipy.io.savemat(path, variables) if writer == "v5" else write_v73(path, variables)
    with pytest.raises(MissingKeyError) as info:
        load_mat(path)
    msg = str(info.value)
    assert "['Impedance', 'amplitude']" in msg and "Seismic" in msg and "seismic_key" in msg
    assert not msg.startswith("'")  # the plain message, not KeyError's repr
    with pytest.raises(KeyError, match="'Nope' not found"):
        load_mat(path, seismic_key="Nope")


def test_trace_count_mismatch_is_explained(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "mismatch.mat"
    scipy.io.savemat(path, {"Seismic": X.T, "Impedance": Z})  # impedance not transposed
    expected = r"\(7, 5\).*5 traces.*\(5, 7\).*7 traces.*'Impedance' looks stored"
    with pytest.raises(ValueError, match=expected):
        load_mat(path)
    scipy.io.savemat(path, {"Seismic": X.T, "Impedance": Z[:3].T})
    with pytest.raises(ValueError, match="5 traces.*3 traces"):
        load_mat(path)


def test_different_sample_counts_are_allowed(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "coarse.mat"
    scipy.io.savemat(path, {"Seismic": X.T, "Impedance": Z[:, ::2].T})
    X2, y2 = load_mat(path)
    assert X2.shape == (5, 7) and y2.shape == (5, 4)


def test_bad_files_and_values(tmp_path, traces):
    X, Z = traces
    with pytest.raises(FileNotFoundError, match="nope.mat"):
        load_mat(tmp_path / "nope.mat")
    junk = tmp_path / "junk.mat"
    junk.write_bytes(b"this is not a mat file" * 20)
    with pytest.raises(ValueError, match="junk.mat.*not a readable MATLAB"):
        load_mat(junk)
    bad = X.copy()
    bad[1, 2] = np.nan
    path = tmp_path / "nan.mat"
    scipy.io.savemat(path, {"Seismic": bad.T, "Impedance": Z.T})
    with pytest.raises(ValueError, match="'Seismic'.*1 NaN or infinite"):
        load_mat(path)
    scipy.io.savemat(path, {"Seismic": np.zeros((2, 3, 4))})
    with pytest.raises(ValueError, match=r"shape \(2, 3, 4\).*2-D"):
        load_mat(path)
    scipy.io.savemat(path, {"Seismic": X.T})
    for scale in (0, -1.0, np.inf, "1e6"):
        with pytest.raises(ValueError, match="scale"):
            load_mat(path, scale=scale)


def test_integer_arrays_become_float(tmp_path):
    path = tmp_path / "int.mat"
    scipy.io.savemat(path, {"Seismic": np.arange(6, dtype=np.int16).reshape(3, 2),
                            "Imp": np.full((3, 2), 4_000_000, dtype=np.int32)})
    X, y = load_mat(path)
    assert X.dtype == np.float64 and X.tolist() == [[0, 2, 4], [1, 3, 5]]
    assert y.tolist() == [[4.0] * 3] * 2


# --------------------------------------------------------------------------------------------
# npz


def test_npz_round_trip_with_metadata(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "set.npz"
    out = save_npz(path, X.astype(np.float32), Z, dt=4.3875e-4, source="synthetic",
                   shape=[5, 7])
    assert out == path and sorted(os.listdir(tmp_path)) == ["set.npz"]  # no temp file left
    X2, y2, meta = load_npz(path, return_metadata=True)
    assert X2.dtype == np.float32
    np.testing.assert_array_equal(X2, X.astype(np.float32))
    np.testing.assert_array_equal(y2, Z)
    assert meta == {"dt": 4.3875e-4, "source": "synthetic", "shape": [5, 7]}
    X3, y3 = load_npz(path)
    np.testing.assert_array_equal(y3, Z)


def test_npz_compressed_and_without_y(tmp_path, traces):
    X, _ = traces
    path = tmp_path / "noext"  # written as named: numpy would append .npz
    save_npz(path, X, compress=True)
    assert path.exists() and not (tmp_path / "noext.npz").exists()
    X2, y2, meta = load_npz(path, return_metadata=True)
    np.testing.assert_array_equal(X2, X)
    assert y2 is None and meta == {}


def test_npz_refuses_to_overwrite(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "set.npz"
    save_npz(path, X, Z)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_npz(path, 2 * X, Z)
    np.testing.assert_array_equal(load_npz(path)[0], X)  # untouched
    save_npz(path, 2 * X, Z, overwrite=True)
    np.testing.assert_array_equal(load_npz(path)[0], 2 * X)


def test_npz_bad_input(tmp_path, traces):
    X, Z = traces
    path = tmp_path / "bad.npz"
    with pytest.raises(ValueError, match="5 traces but y has 4"):
        save_npz(path, X, Z[:4])
    with pytest.raises(ValueError, match="X has shape"):
        save_npz(path, X[0], Z)
    with pytest.raises(ValueError, match="NaN"):
        save_npz(path, X * np.nan, Z)
    with pytest.raises(ValueError, match="JSON"):
        save_npz(path, X, Z, thing=object())
    with pytest.raises(ValueError, match="reserved"):
        save_npz(path, X, Z, metadata=1)
    assert not path.exists() and os.listdir(tmp_path) == []
    np.savez(tmp_path / "other.npz", a=X)
    with pytest.raises(KeyError, match=r"no 'X' array.*\['a'\]"):
        load_npz(tmp_path / "other.npz")
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(ValueError, match="junk.npz.*not a readable"):
        load_npz(tmp_path / "junk.npz")
    with pytest.raises(FileNotFoundError):
        load_npz(tmp_path / "missing.npz")
