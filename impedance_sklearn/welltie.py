"""Aliases: the documented home of the well tie (``impedance_sklearn.welltie``).

Nothing is implemented here: :mod:`impedance_sklearn.physics.welltie` holds :func:`tie_well`
(a well log on the seismic's time axis: trace search against a null test, bulk shift,
strain-limited drift, least-squares wavelet) and :func:`tie_wavelet`.
"""

from impedance_sklearn.physics.welltie import dominant_frequency, tie_wavelet, tie_well

__all__ = ["tie_well", "tie_wavelet", "dominant_frequency"]
