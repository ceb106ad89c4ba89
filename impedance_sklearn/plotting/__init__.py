"""Figures: trace panels, sections, loss curves, error distributions and comparisons.

Every function returns a :class:`matplotlib.figure.Figure` (made with ``pyplot`` so that it shows
in notebooks; close it with ``plt.close(fig)`` when making many, or save it with
:func:`save_figure`, which writes atomically and closes it). matplotlib is imported inside the
functions only, so importing this package, or impedance_sklearn, never imports it.

Arrays follow the package convention: one trace per row, time down the columns. Time runs
downwards in every plot, as geophysicists read logs and sections; with ``dt`` the time axis is in
ms. Impedance axes name their unit (by default the package's: impedance / 1e6, as the paper).

* :mod:`~impedance_sklearn.plotting.sections` -- :func:`plot_traces`, :func:`plot_section`,
  :func:`plot_blind_wells`;
* :mod:`~impedance_sklearn.plotting.results` -- :func:`plot_loss`,
  :func:`plot_error_distributions`, :func:`plot_comparison`.
"""

from impedance_sklearn.plotting._common import IMPEDANCE_LABEL, save_figure
from impedance_sklearn.plotting.results import (
    plot_comparison,
    plot_error_distributions,
    plot_loss,
)
from impedance_sklearn.plotting.sections import plot_blind_wells, plot_section, plot_traces

__all__ = [
    "plot_traces",
    "plot_section",
    "plot_blind_wells",
    "plot_loss",
    "plot_error_distributions",
    "plot_comparison",
    "save_figure",
    "IMPEDANCE_LABEL",
]
