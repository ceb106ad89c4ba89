"""SectionInversion and its steps (impedance_sklearn.estimators.section): slopes, painting,
the Bayesian update; and the deprecated FewWellsRegressor path to it."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from impedance_sklearn import FewWellsRegressor, SectionInversion


@pytest.fixture(scope="module")
def section():
    from impedance_sklearn.datasets import make_section

    X, y = make_section(120, 200, random_state=3)
    wells = np.array([5, 30, 60, 90, 115])
    return X, y, wells


def test_painting_is_exact_at_the_wells_and_follows_the_layers():
    from impedance_sklearn.estimators.section import paint_logs, structure_slopes

    # planes dipping one sample per trace: a log painted from trace 0 shows up delayed
    t, x = np.meshgrid(np.arange(120), np.arange(20))
    log = np.sin(2 * np.pi * np.arange(120) / 40.0)
    X = np.sin(2 * np.pi * (t - 1.0 * x) / 40.0)
    P = structure_slopes(X)
    assert np.median(P) == pytest.approx(1.0, abs=0.05)
    painted = paint_logs(log[None], [0], 20, P)
    np.testing.assert_allclose(painted[0], log, atol=1e-12)  # exact at the well
    # ten traces away the painted log is the well's, delayed by ten samples (a flat
    # interpolation would be off by a quarter period, up to 1.0)
    np.testing.assert_allclose(painted[10, 30:100], log[20:90], atol=0.1)
    assert np.abs(paint_logs(log[None], [0], 20)[10, 30:100] - log[20:90]).max() > 0.9


def test_section_workflow_recovers_the_section(section):
    from impedance_sklearn.evaluation import scores

    X, y, wells = section
    fw = SectionInversion().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
    Z, S = fw.predict(X, return_std=True)
    others = np.setdiff1d(np.arange(X.shape[0]), wells)
    s = scores(y[others], Z[others])
    assert s["pcc"] > 0.98 and s["r2"] > 0.96
    # at the wells the prediction is the log and the std is 0; it grows away from them
    np.testing.assert_allclose(Z[wells], y[wells], rtol=1e-4)
    assert S[wells].max() < 1e-4 * y.mean()
    dist = np.min(np.abs(np.arange(X.shape[0])[:, None] - wells[None, :]), axis=1)
    near, far = S[(dist >= 1) & (dist <= 3)].mean(), S[dist >= 10].mean()
    assert near < 0.6 * far
    # the 90 % intervals cover their nominal fraction (tolerance 0.80-0.97)
    cover = np.mean(np.abs(y[others] - Z[others]) <= 1.645 * S[others])
    assert 0.80 <= cover <= 0.97
    # a subset of the section, by position, gives the same numbers
    Z_sub = fw.predict(X[others[:7]], positions=others[:7])
    np.testing.assert_allclose(Z_sub, Z[others[:7]], rtol=1e-10)


def test_section_workflow_errors(section):
    X, y, wells = section
    with pytest.raises(ValueError, match="pass X_unlabeled"):
        SectionInversion().fit(X[wells], y[wells], well_positions=wells)
    with pytest.raises(ValueError, match="at least two distinct"):
        SectionInversion().fit(X[[5, 5]], y[[5, 5]], X_unlabeled=X, well_positions=[5, 5])
    with pytest.raises(ValueError, match=r"lie in \[0, 120\)"):
        SectionInversion().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells + 10)
    fw = SectionInversion().fit(X[wells], y[wells], X_unlabeled=X, well_positions=wells)
    with pytest.raises(ValueError, match="pass positions="):
        fw.predict(X[:10])


def test_few_wells_section_path_is_deprecated(section):
    """The 0.2 way to a section still works, says where it went, and gives the same numbers."""
    X, y, wells = section
    with pytest.warns(FutureWarning, match="SectionInversion"):
        old = FewWellsRegressor(slope_sigma=2.0).fit(X[wells], y[wells], X_unlabeled=X,
                                                     well_positions=wells)
    assert old.mode_ == "section" and old.estimators_ == []
    new = SectionInversion(slope_sigma=2.0).fit(X[wells], y[wells], X_unlabeled=X,
                                                well_positions=wells)
    np.testing.assert_array_equal(old.predict(X, return_std=True)[1],
                                  new.predict(X, return_std=True)[1])
    with pytest.warns(FutureWarning, match="slope_sigma"):
        FewWellsRegressor(Ridge(), slope_sigma=2.0, n_synthetic=10, noise=0.0).fit(X[wells],
                                                                                  y[wells])
