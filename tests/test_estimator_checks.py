"""scikit-learn's estimator checks on ImpedanceCNN (small kernel, few epochs)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from impedance_sklearn.cnn import ImpedanceCNN

# Checks a sequence-to-sequence regressor cannot pass, each with the reason: none. Kernel 2
# because several checks fit on two-column X and traces must be at least kernel_size long.
EXPECTED_FAILED_CHECKS = {}


def _estimator():
    return ImpedanceCNN(kernel_size=2, n_filters=4, max_epochs=2, batch_size=8, random_state=0)


@parametrize_with_checks([_estimator()], expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
