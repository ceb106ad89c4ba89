"""Aliases: the documented home of the data-set names (``impedance_sklearn.datasets``).

Nothing is implemented here; each name lives in one module and is only re-exported:

* :func:`make_impedance_dataset`, :func:`seismic_from_layers`, :func:`load_earth_models`,
  :func:`make_section` -- :mod:`impedance_sklearn.synthetic`;
* :func:`load_mat`, :func:`load_npz`, :func:`save_npz` -- :mod:`impedance_sklearn.io.mat` and
  :mod:`impedance_sklearn.io.npz` (the seed's and the paper's .mat files, MATLAB v5 and
  v7.3/HDF5, and the package's own .npz data sets);
* :func:`load_well`, :func:`well_on_time_axis` -- :mod:`impedance_sklearn.io.wells` (well ties,
  CSV, and LAS logs, on a survey's time axis).

Every function returns traces with one trace per row: X (n_traces, n_samples) seismic and
y (n_traces, n_samples) impedance (divided by ``scale``, 1e6 by default, as in the paper).
"""

from impedance_sklearn.io.mat import load_mat
from impedance_sklearn.io.npz import load_npz, save_npz
from impedance_sklearn.io.wells import load_well, well_on_time_axis
from impedance_sklearn.synthetic import (
    load_earth_models,
    make_impedance_dataset,
    make_section,
    seismic_from_layers,
)

__all__ = ["make_impedance_dataset", "seismic_from_layers", "load_earth_models", "make_section",
           "load_mat", "load_npz", "save_npz", "load_well", "well_on_time_axis"]
