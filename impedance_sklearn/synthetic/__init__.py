"""Synthetic data: the paper's recipe, a 2-D section, and impedance statistics of wells.

The public home of these names (``impedance_sklearn.datasets`` keeps the documented aliases of
the first four):

* :func:`make_impedance_dataset`, :func:`seismic_from_layers`, :func:`load_earth_models` -- the
  Das et al. (2019) recipe: geostatistics -> rock physics -> Kennett modelling
  (:mod:`~impedance_sklearn.synthetic.generator`);
* :func:`make_section` -- a folded and faulted 2-D section (:mod:`~.sections`);
* :func:`fit_impedance_statistics`, :func:`sample_impedance` -- a stochastic layered model of
  well logs, and draws from it (:mod:`~.wellstats`, FewWellsRegressor's prior).
"""

from impedance_sklearn.synthetic.generator import (
    load_earth_models,
    make_impedance_dataset,
    seismic_from_layers,
)
from impedance_sklearn.synthetic.sections import make_section
from impedance_sklearn.synthetic.wellstats import (
    fit_impedance_statistics,
    sample_impedance,
)

__all__ = ["make_impedance_dataset", "seismic_from_layers", "load_earth_models", "make_section",
           "fit_impedance_statistics", "sample_impedance"]
