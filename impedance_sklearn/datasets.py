"""Data sets: the paper's synthetic-data recipe and readers for users' files.

* :func:`make_impedance_dataset` -- the Das et al. (2019) data recipe (layered earth, rock
  physics, Kennett modelling over the whole band); :func:`seismic_from_layers`, its modelling
  step on any layered earth models; :func:`load_earth_models`, the paper's own training earth
  models (``das2019_train_*.mat``); implemented in :mod:`impedance_sklearn._synthetic`.
* :func:`load_mat`, :func:`load_npz`, :func:`save_npz` -- the seed's and the paper's .mat files
  (MATLAB v5 and v7.3/HDF5) and the package's own .npz data sets;
* :func:`load_well`, :func:`well_on_time_axis` -- well ties (CSV) and LAS logs, on a survey's time
  axis; all implemented in :mod:`impedance_sklearn.io`.

Every function returns traces with one trace per row: X (n_traces, n_samples) seismic and
y (n_traces, n_samples) impedance (divided by ``scale``, 1e6 by default, as in the paper).
"""

from impedance_sklearn._synthetic import load_earth_models, make_impedance_dataset, seismic_from_layers
from impedance_sklearn.io.mat import load_mat
from impedance_sklearn.io.npz import load_npz, save_npz
from impedance_sklearn.io.wells import load_well, well_on_time_axis

__all__ = ["make_impedance_dataset", "seismic_from_layers", "load_earth_models", "load_mat",
           "load_npz", "save_npz", "load_well", "well_on_time_axis"]
