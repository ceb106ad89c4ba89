"""Aliases: the documented home of the SEG-Y names (``impedance_sklearn.segy``).

Nothing is implemented here: :mod:`impedance_sklearn.io.segy` and
:mod:`impedance_sklearn.io.survey` hold them.

* :func:`read_segy` -- a whole file into memory with its time axis and geometry;
* :func:`write_segy` -- new traces into a copy of a source file, every header kept;
* :func:`predict_segy` -- apply a fitted estimator to every trace of a file, streamed.
"""

from impedance_sklearn.io.segy import SegyData, read_segy, write_segy
from impedance_sklearn.io.survey import predict_segy

__all__ = ["SegyData", "read_segy", "write_segy", "predict_segy"]
