"""Tests for SEG-Y reading, writing and streaming prediction (impedance_sklearn.segy)."""

import hashlib
import os
import struct

import joblib
import numpy as np
import pytest
import segyio
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from impedance_sklearn.physics.transforms import resample_traces
from impedance_sklearn.segy import SegyData, predict_segy, read_segy, write_segy

# --------------------------------------------------------------------------------------------
# helpers


def split_segy(path, n_samples, bytes_per_sample=4, ext_headers=0):
    """Raw bytes of a SEG-Y: (file header, list of trace headers, trace data bytes)."""
    raw = open(path, "rb").read()
    start = 3600 + 3200 * ext_headers
    size = 240 + n_samples * bytes_per_sample
    assert (len(raw) - start) % size == 0
    body = [raw[i:i + size] for i in range(start, len(raw), size)]
    return raw[:start], [t[:240] for t in body], [t[240:] for t in body]


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def make_segy(path, traces, *, fmt=5, sorting=2, ilines=None, xlines=None, endian="big",
              delay=0, dt_us=4000):
    """A SEG-Y written by segyio.create: traces in file order with chosen grid and format."""
    n, ns = traces.shape
    spec = segyio.spec()
    spec.format, spec.samples, spec.tracecount, spec.endian = fmt, list(range(ns)), n, endian
    if ilines is not None:
        spec.sorting, spec.ilines, spec.xlines = sorting, list(ilines), list(xlines)
    with segyio.create(str(path), spec) as f:
        f.bin.update({segyio.BinField.Interval: dt_us, segyio.BinField.Samples: ns})
        for i in range(n):
            if ilines is None:
                il, xl = 0, 0
            elif sorting == 2:  # inline sorting: crosslines fastest
                il, xl = ilines[i // len(xlines)], xlines[i % len(xlines)]
            else:
                il, xl = ilines[i % len(ilines)], xlines[i // len(ilines)]
            f.header[i] = {segyio.TraceField.INLINE_3D: il, segyio.TraceField.CROSSLINE_3D: xl,
                           segyio.TraceField.TRACE_SEQUENCE_FILE: i + 1,
                           segyio.TraceField.DelayRecordingTime: delay,
                           segyio.TraceField.TRACE_SAMPLE_INTERVAL: dt_us,
                           segyio.TraceField.TRACE_SAMPLE_COUNT: ns}
            f.trace[i] = traces[i].astype(np.float32)
        f.text[0] = segyio.tools.create_text_header({1: "impedance-sklearn test", 2: path.name})
    return path


@pytest.fixture
def small_segy(tmp_path, rng):
    """A 6 x 5 crossline-sorted grid of 30 traces x 24 samples, IEEE float."""
    traces = rng.normal(size=(30, 24)).astype(np.float32)
    path = make_segy(tmp_path / "small.sgy", traces, sorting=1, ilines=range(100, 106),
                     xlines=range(200, 205), delay=1000, dt_us=2000)
    return path, traces


@pytest.fixture
def volve_model(volve_segy_path):
    """Ridge fitted on Volve traces to a smooth 'impedance' (n, 38) -> (n, 38)."""
    X = read_segy(volve_segy_path).traces
    y = 5.0 + np.cumsum(X, axis=1) * 1e-3
    return Ridge(alpha=1.0).fit(X[::3], y[::3]), X


class Failing:
    """A fitted-looking estimator whose predict raises on its ``fail_at``-th call."""

    def __init__(self, fail_at, exc=RuntimeError):
        self.fail_at, self.exc, self.calls = fail_at, exc, 0

    def predict(self, X):
        self.calls += 1
        if self.calls == self.fail_at:
            raise self.exc("boom")
        return np.asarray(X, dtype=np.float64) * 2.0


# --------------------------------------------------------------------------------------------
# read


def test_read_volve_geometry_and_axis(volve_segy_path):
    data = read_segy(volve_segy_path)
    assert isinstance(data, SegyData)
    assert data.traces.shape == (1533, 38) and data.traces.dtype == np.float32
    np.testing.assert_array_equal(data.samples, 2600.0 + 4.0 * np.arange(38))
    assert data.dt == 4.0 and data.sample_format == 5 and data.endian == "big"
    assert data.ext_headers == 0
    assert len(data.ilines) == 21 and len(data.xlines) == 73 and data.sorting == "inline"
    assert data.inlines.shape == (1533,)
    cube = data.cube()
    assert cube.shape == (21, 73, 38)
    with segyio.open(volve_segy_path) as f:  # segyio's own cube: same numbers
        np.testing.assert_array_equal(cube, segyio.tools.cube(f))
        np.testing.assert_array_equal(data.traces[100], f.trace[100])
        assert data.inlines[100] == f.header[100][segyio.TraceField.INLINE_3D]
        assert data.crosslines[100] == f.header[100][segyio.TraceField.CROSSLINE_3D]
    assert data.text.startswith("C 1 SEGY OUTPUT FROM Petrel")


def test_read_crossline_sorted_grid(small_segy):
    path, traces = small_segy
    data = read_segy(path)
    np.testing.assert_array_equal(data.traces, traces)
    np.testing.assert_array_equal(data.samples, 1000.0 + 2.0 * np.arange(24))
    assert data.dt == 2.0 and data.sorting == "crossline"
    assert data.ilines.tolist() == list(range(100, 106))
    assert data.xlines.tolist() == list(range(200, 205))
    cube = data.cube()  # (inline, crossline, time)
    assert cube.shape == (6, 5, 24)
    # trace i of a crossline-sorted file is inline i % 6, crossline i // 6
    np.testing.assert_array_equal(cube[2, 3], traces[3 * 6 + 2])
    with pytest.raises(ValueError, match="do not fit the grid of 6 inlines x 5"):
        data.cube(traces[:10])


def test_read_unstructured_little_endian_ibm(tmp_path, rng):
    traces = rng.normal(size=(7, 9)).astype(np.float32)
    path = make_segy(tmp_path / "le.sgy", traces, fmt=1, endian="little")
    data = read_segy(path)
    assert data.endian == "little" and data.sample_format == 1
    assert data.ilines is None and data.sorting is None
    np.testing.assert_allclose(data.traces, traces, rtol=1e-6)  # IBM float: ~6 digits
    with pytest.raises(ValueError, match="no regular inline/crossline grid"):
        data.cube()


def test_corrupt_and_missing_files_name_the_file(tmp_path, small_segy):
    path, _ = small_segy
    with pytest.raises(FileNotFoundError, match="nope.sgy"):
        read_segy(tmp_path / "nope.sgy")
    short = tmp_path / "short.sgy"
    short.write_bytes(b"\x40" * 1000)
    with pytest.raises(ValueError, match="short.sgy.*not a SEG-Y file.*shorter"):
        read_segy(short)
    junk = tmp_path / "junk.sgy"
    junk.write_bytes(os.urandom(100) + b"\xff" * 5000)
    with pytest.raises(ValueError, match="junk.sgy.*not a SEG-Y file.*format code"):
        read_segy(junk)
    truncated = tmp_path / "truncated.sgy"
    truncated.write_bytes(open(path, "rb").read()[:-50])  # cut inside the last trace
    with pytest.raises(ValueError, match="truncated.sgy.*not a readable SEG-Y"):
        read_segy(truncated)
    empty = tmp_path / "empty.sgy"
    empty.write_bytes(open(path, "rb").read()[:3600])
    with pytest.raises(ValueError, match="empty.sgy"):
        read_segy(empty)


# --------------------------------------------------------------------------------------------
# write


def test_write_round_trip_volve_is_byte_identical(tmp_path, volve_segy_path):
    data = read_segy(volve_segy_path)
    out = write_segy(tmp_path / "copy.sgy", data.traces, like=volve_segy_path)
    assert digest(out) == digest(volve_segy_path)
    assert sorted(os.listdir(tmp_path)) == ["copy.sgy"]  # no temporary file left


def test_write_new_traces_keeps_every_header(tmp_path, volve_segy_path, rng):
    data = read_segy(volve_segy_path)
    new = rng.uniform(2.0, 10.0, size=data.traces.shape)  # float64 in: stored as float32
    out = write_segy(tmp_path / "imp.sgy", new, like=data)
    head_a, th_a, _ = split_segy(volve_segy_path, 38)
    head_b, th_b, body_b = split_segy(out, 38)
    assert head_a == head_b and th_a == th_b  # textual, binary and all 1,533 trace headers
    got = np.frombuffer(b"".join(body_b), dtype=">f4").reshape(1533, 38)
    np.testing.assert_array_equal(got, new.astype(np.float32))
    np.testing.assert_array_equal(read_segy(out).traces, new.astype(np.float32))


def test_write_ibm_round_trip_is_exact(tmp_path, rng):
    src = make_segy(tmp_path / "ibm.sgy", rng.normal(size=(11, 13)), fmt=1)
    out = write_segy(tmp_path / "ibm_copy.sgy", read_segy(src).traces, like=src)
    assert digest(out) == digest(src)


def test_write_refuses_source_existing_and_bad_traces(tmp_path, small_segy):
    path, traces = small_segy
    before = digest(path)
    with pytest.raises(ValueError, match="is the source"):
        write_segy(path, traces, like=path)
    with pytest.raises(ValueError, match="is the source"):
        write_segy(tmp_path / "." / "small.sgy", traces, like=str(path))
    assert digest(path) == before
    other = tmp_path / "other.sgy"
    other.write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_segy(other, traces, like=path)
    assert other.read_bytes() == b"keep me"
    write_segy(other, 3 * traces, like=path, overwrite=True)
    np.testing.assert_array_equal(read_segy(other).traces, 3 * traces)
    new = tmp_path / "new.sgy"
    with pytest.raises(ValueError, match=r"shape \(30, 23\).*expected \(30, 24\)"):
        write_segy(new, traces[:, 1:], like=path)
    with pytest.raises(ValueError, match=r"shape \(29, 24\)"):
        write_segy(new, traces[1:], like=path)
    bad = traces.copy()
    bad[3, 4] = np.inf
    with pytest.raises(ValueError, match="NaN or infinite"):
        write_segy(new, bad, like=path)
    with pytest.raises(FileNotFoundError, match="missing.sgy"):
        write_segy(new, traces, like=tmp_path / "missing.sgy")
    assert not new.exists()
    assert sorted(os.listdir(tmp_path)) == ["other.sgy", "small.sgy"]


def test_write_refuses_integer_formats(tmp_path):
    path = tmp_path / "int16.sgy"
    segyio.tools.from_array(str(path), np.arange(20, dtype=np.int16).reshape(4, 5), format=3)
    assert read_segy(path).traces.dtype == np.float32  # readable, as floats
    with pytest.raises(ValueError, match="2-byte integer.*truncated"):
        write_segy(tmp_path / "o.sgy", np.zeros((4, 5)), like=path)


# --------------------------------------------------------------------------------------------
# predict_segy


def test_predict_segy_volve_ridge_keeps_headers(tmp_path, volve_segy_path, volve_model):
    model, X = volve_model
    out = predict_segy(model, volve_segy_path, tmp_path / "imp.sgy", chunk_traces=400)
    assert out == tmp_path / "imp.sgy" and os.listdir(tmp_path) == ["imp.sgy"]
    head_a, th_a, _ = split_segy(volve_segy_path, 38)
    head_b, th_b, _ = split_segy(out, 38)
    assert head_a == head_b and th_a == th_b
    np.testing.assert_allclose(read_segy(out).traces, model.predict(X), rtol=1e-6, atol=1e-6)


def test_chunking_and_jobs_do_not_change_the_bytes(tmp_path, volve_segy_path, rng):
    from impedance_sklearn import TraceIntegration

    X = read_segy(volve_segy_path).traces
    est = TraceIntegration().fit(X[:60], 5.0 + np.cumsum(rng.normal(0, 0.1, (60, 38)), axis=1))
    ref = predict_segy(est, volve_segy_path, tmp_path / "one.sgy", chunk_traces=5000)
    expected = est.predict(X).astype(np.float32)
    np.testing.assert_array_equal(read_segy(ref).traces, expected)
    for name, kwargs in [("c7.sgy", dict(chunk_traces=7)), ("c1.sgy", dict(chunk_traces=1)),
                         ("jobs.sgy", dict(chunk_traces=100, n_jobs=2))]:
        with joblib.parallel_config(backend="threading"):
            out = predict_segy(est, volve_segy_path, tmp_path / name, **kwargs)
        assert digest(out) == digest(ref), name


def test_predict_segy_pipeline_and_package_estimators(tmp_path, small_segy, rng):
    path, traces = small_segy
    y = 3.0 + np.cumsum(traces, axis=1) * 0.01
    from impedance_sklearn import (
        ColoredInversion,
        ImpedanceCNN,
        ModelBasedInversion,
        TraceIntegration,
    )

    estimators = [
        make_pipeline(StandardScaler(), Ridge(alpha=0.1)),
        make_pipeline(StandardScaler(), ImpedanceCNN(kernel_size=5, n_filters=4, max_epochs=2,
                                                     random_state=0)),
        TraceIntegration(),
        ColoredInversion(),
        ModelBasedInversion(),
        ImpedanceCNN(kernel_size=5, n_filters=4, max_epochs=2, random_state=0),
    ]
    for i, est in enumerate(estimators):
        est.fit(traces, y)
        out = predict_segy(est, path, tmp_path / f"p{i}.sgy", chunk_traces=8)
        np.testing.assert_allclose(read_segy(out).traces, est.predict(traces), rtol=1e-6,
                                   atol=1e-6, err_msg=type(est).__name__)


def test_output_length_must_match_or_be_resampled(tmp_path, small_segy):
    path, traces = small_segy
    model = Ridge(alpha=0.1).fit(traces, np.cumsum(traces, axis=1)[:, ::2])  # 24 -> 12 samples
    with pytest.raises(ValueError, match="12 samples but the SEG-Y traces have 24.*resample=True"):
        predict_segy(model, path, tmp_path / "o.sgy")
    assert sorted(os.listdir(tmp_path)) == ["small.sgy"]  # refused before copying anything
    out = predict_segy(model, path, tmp_path / "o.sgy", resample=True)
    expected = resample_traces(model.predict(traces), 24)
    np.testing.assert_allclose(read_segy(out).traces, expected, rtol=1e-6, atol=1e-6)


def test_input_length_must_match_or_be_resampled(tmp_path, small_segy, rng):
    path, traces = small_segy
    X48 = rng.normal(size=(40, 48))
    model = Ridge(alpha=0.1).fit(X48, np.cumsum(X48, axis=1))  # trained on 48-sample traces
    with pytest.raises(ValueError, match="fitted on traces of 48 samples.*24 samples"):
        predict_segy(model, path, tmp_path / "o.sgy")
    out = predict_segy(model, path, tmp_path / "o.sgy", resample=True, chunk_traces=9)
    expected = resample_traces(model.predict(resample_traces(traces.astype(float), 48)), 24)
    np.testing.assert_allclose(read_segy(out).traces, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_failure_midway_leaves_nothing_and_keeps_old_output(tmp_path, small_segy, exc):
    path, traces = small_segy
    before = digest(path)
    dst = tmp_path / "out.sgy"
    with pytest.raises(exc, match="boom"):
        predict_segy(Failing(fail_at=3, exc=exc), path, dst, chunk_traces=5)
    assert sorted(os.listdir(tmp_path)) == ["small.sgy"]  # no output, no temporary file
    dst.write_bytes(b"previous result")
    with pytest.raises(exc, match="boom"):
        predict_segy(Failing(fail_at=4, exc=exc), path, dst, chunk_traces=5, overwrite=True)
    assert dst.read_bytes() == b"previous result"
    assert sorted(os.listdir(tmp_path)) == ["out.sgy", "small.sgy"]
    assert digest(path) == before
    # the same estimator without the failure: a plain object with predict (no n_features_in_)
    predict_segy(Failing(fail_at=-1), path, dst, chunk_traces=5, overwrite=True)
    np.testing.assert_array_equal(read_segy(dst).traces, 2 * traces)


def test_predict_segy_refuses_source_existing_and_bad_params(tmp_path, small_segy, capsys):
    path, traces = small_segy
    model = Ridge().fit(traces, traces)
    with pytest.raises(ValueError, match="is the source"):
        predict_segy(model, path, path, overwrite=True)
    (tmp_path / "exists.sgy").write_bytes(b"x")
    with pytest.raises(FileExistsError):
        predict_segy(model, path, tmp_path / "exists.sgy")
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="chunk_traces"):
            predict_segy(model, path, tmp_path / "o.sgy", chunk_traces=bad)
    with pytest.raises(ValueError, match="n_jobs"):
        predict_segy(model, path, tmp_path / "o.sgy", n_jobs=0)
    with pytest.raises(TypeError, match="predict"):
        predict_segy(object(), path, tmp_path / "o.sgy")
    with pytest.raises(FileNotFoundError, match="folder"):
        predict_segy(model, path, tmp_path / "no" / "o.sgy")
    assert sorted(os.listdir(tmp_path)) == ["exists.sgy", "small.sgy"]
    predict_segy(model, path, tmp_path / "o.sgy", chunk_traces=10, progress=True)
    assert "predict_segy" in capsys.readouterr().err


def test_binary_header_sample_count_is_untouched(tmp_path, small_segy):
    path, traces = small_segy
    out = predict_segy(Ridge().fit(traces, traces), path, tmp_path / "o.sgy")
    with open(out, "rb") as fh:
        head = fh.read(3600)
    assert struct.unpack(">h", head[3220:3222])[0] == 24  # samples per trace
    assert struct.unpack(">h", head[3216:3218])[0] == 2000  # interval, microseconds


# --------------------------------------------------------------------------------------------
# extended textual headers, little-endian files, n_jobs


@pytest.fixture
def ext_little_segy(tmp_path):
    """A little-endian IEEE SEG-Y with two extended textual headers, 23 traces x 17 samples."""
    traces = np.random.default_rng(3).normal(size=(23, 17)).astype(np.float32)
    path = tmp_path / "ext_le.sgy"
    spec = segyio.spec()
    spec.format, spec.samples, spec.tracecount, spec.endian = 5, list(range(17)), 23, "little"
    spec.ext_headers = 2
    with segyio.create(str(path), spec) as f:
        f.bin.update({segyio.BinField.Interval: 2000, segyio.BinField.Samples: 17,
                      segyio.BinField.ExtendedHeaders: 2})
        for i in range(23):
            f.header[i] = {segyio.TraceField.TRACE_SEQUENCE_FILE: i + 1,
                           segyio.TraceField.CDP_X: 1000 + 7 * i,
                           segyio.TraceField.TRACE_SAMPLE_COUNT: 17,
                           segyio.TraceField.TRACE_SAMPLE_INTERVAL: 2000}
            f.trace[i] = traces[i]
        f.text[0] = segyio.tools.create_text_header({1: "impedance-sklearn ext test"})
        f.text[1] = b"((SEG: first extended header of this test))".ljust(3200, b" ")
        f.text[2] = b"((SEG: EndText))".ljust(3200, b" ")
    raw = path.read_bytes()
    assert len(raw) == 3600 + 2 * 3200 + 23 * (240 + 17 * 4)
    assert read_segy(path).endian == "little" and read_segy(path).ext_headers == 2
    return path, traces


def test_write_keeps_extended_headers_little_endian(tmp_path, ext_little_segy):
    path, traces = ext_little_segy
    new = np.linspace(2.0, 9.0, traces.size).reshape(traces.shape)
    out = write_segy(tmp_path / "new.sgy", new, like=path)
    head_a, th_a, _ = split_segy(path, 17, ext_headers=2)
    head_b, th_b, body_b = split_segy(out, 17, ext_headers=2)
    assert len(head_a) == 3600 + 6400
    assert head_a == head_b and th_a == th_b  # textual, binary, both extended, trace headers
    got = np.frombuffer(b"".join(body_b), dtype="<f4").reshape(traces.shape)
    np.testing.assert_array_equal(got, new.astype(np.float32))  # little-endian samples
    data = read_segy(out)
    assert data.endian == "little" and data.ext_headers == 2
    np.testing.assert_array_equal(data.traces, new.astype(np.float32))
    same = write_segy(tmp_path / "same.sgy", read_segy(path).traces, like=path)
    assert digest(same) == digest(path)


def test_predict_segy_extended_headers_little_endian_and_jobs(tmp_path, ext_little_segy):
    """predict_segy keeps the extended headers and writes little-endian samples; the stamped
    lines change only C36-C39 of the first textual header; n_jobs=2 writes the same bytes."""
    path, traces = ext_little_segy
    model = Ridge(alpha=0.1).fit(traces, 3.0 + np.cumsum(traces, axis=1))
    outs = {}
    for name, kwargs in [("one", dict(chunk_traces=5)), ("two", dict(chunk_traces=5, n_jobs=2)),
                         ("stamped", dict(chunk_traces=5, text=["IMPEDANCE", "UNITS: test"]))]:
        outs[name] = predict_segy(model, path, tmp_path / f"{name}.sgy", **kwargs)
    assert digest(outs["two"]) == digest(outs["one"])
    head_a, th_a, _ = split_segy(path, 17, ext_headers=2)
    head_b, th_b, body_b = split_segy(outs["one"], 17, ext_headers=2)
    assert head_a == head_b and th_a == th_b
    got = np.frombuffer(b"".join(body_b), dtype="<f4").reshape(traces.shape)
    np.testing.assert_allclose(got, model.predict(traces), rtol=1e-6, atol=1e-6)
    head_s, th_s, body_s = split_segy(outs["stamped"], 17, ext_headers=2)
    assert th_s == th_a and body_s == body_b
    assert head_s[3200:] == head_a[3200:]  # binary and extended headers untouched
    assert head_s[:35 * 80] == head_a[:35 * 80] and head_s[39 * 80:3200] == head_a[39 * 80:3200]
    with segyio.open(outs["stamped"], ignore_geometry=True, endian="little") as f:
        text = bytes(f.text[0])
        assert text[35 * 80:36 * 80].startswith(b"C36 IMPEDANCE")
        assert text[36 * 80:37 * 80].startswith(b"C37 UNITS: test")
        assert bytes(f.text[1]).startswith(b"((SEG: first extended header")
