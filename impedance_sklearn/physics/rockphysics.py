"""Rock physics of the paper's data recipe: the soft-sand (uncemented sand) model.

Porosity, clay content and water saturation -> P-wave velocity and density, with the constants
of the published ``SoftSandNew.m`` / ``RockPhysics_Step2.m`` scripts of Das et al. (2019). Pure
numpy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["soft_sand", "ROCK"]

#: Rock-physics constants of the published scripts (GPa, g/cc, MPa).
ROCK = dict(
    K_quartz=36.6, G_quartz=45.0, rho_quartz=2.65,
    K_feldspar=75.6, G_feldspar=25.6, rho_feldspar=2.63,
    K_clay=21.0, G_clay=7.0, rho_clay=2.65,
    K_brine=2.61, rho_brine=1.01, K_gas=0.06, rho_gas=0.18,
    pressure=16.5, phi_c=0.4, coordination=14.0, sw_gas=0.23, sw_gas_std=0.03,
)  # fmt: skip


def soft_sand(phi, clay, sw, rock=ROCK):
    r"""Soft-sand (uncemented) rock-physics model: Vp (m/s) and density (kg/m^3).

    Mineral moduli by Voigt-Reuss-Hill averaging of quartz ``0.8 (1 - clay)``, feldspar
    ``0.2 (1 - clay)`` and clay; Hertz-Mindlin at critical porosity :math:`\phi_c`,

    .. math:: K_{HM} = \left[\frac{C^2(1-\phi_c)^2 G^2 P}{18\pi^2(1-\nu)^2}\right]^{1/3},\quad
              G_{HM} = \frac{5-4\nu}{5(2-\nu)}
              \left[\frac{3C^2(1-\phi_c)^2G^2P}{2\pi^2(1-\nu)^2}\right]^{1/3},

    the modified lower Hashin-Shtrikman bound between (:math:`\phi_c`, HM) and the mineral for
    :math:`\phi \le \phi_c` (larger porosities are clipped to :math:`\phi_c`), and Gassmann with a
    brine/gas fluid (Reuss average, saturation ``sw``).

    Parameters
    ----------
    phi, clay, sw : array-like (broadcastable)
        Porosity, clay volume fraction and water saturation (fractions).
    rock : dict, default=ROCK
        Mineral and fluid moduli (GPa), densities (g/cc), effective pressure (MPa), critical
        porosity, coordination number.

    Returns
    -------
    vp : ndarray
        P-wave velocity (m/s).
    rho : ndarray
        Density (kg/m^3).

    Examples
    --------
    >>> vp, rho = soft_sand(0.25, 0.1, 1.0)
    >>> round(float(vp)), round(float(rho))
    (2952, 2237)
    """
    r = rock
    phi = np.minimum(phi, r["phi_c"])
    q, fd, c = 0.8 * (1 - clay), 0.2 * (1 - clay), clay
    KV = q * r["K_quartz"] + fd * r["K_feldspar"] + c * r["K_clay"]
    KR = 1 / (q / r["K_quartz"] + fd / r["K_feldspar"] + c / r["K_clay"])
    GV = q * r["G_quartz"] + fd * r["G_feldspar"] + c * r["G_clay"]
    GR = 1 / (q / r["G_quartz"] + fd / r["G_feldspar"] + c / r["G_clay"])
    Ks, Gs = 0.5 * (KV + KR), 0.5 * (GV + GR)
    rho_s = q * r["rho_quartz"] + fd * r["rho_feldspar"] + c * r["rho_clay"]
    nu = (3 * Ks - 2 * Gs) / (2 * (3 * Ks + Gs))
    P, C, pc = r["pressure"] / 1000.0, r["coordination"], r["phi_c"]
    K_hm = (C**2 * (1 - pc) ** 2 * Gs**2 * P / (18 * np.pi**2 * (1 - nu) ** 2)) ** (1 / 3)
    G_hm = (5 - 4 * nu) / (5 * (2 - nu)) * (
        3 * C**2 * (1 - pc) ** 2 * Gs**2 * P / (2 * np.pi**2 * (1 - nu) ** 2)
    ) ** (1 / 3)
    a, b = phi / pc, (pc - phi) / pc
    K_dry = 1 / (a / (K_hm + 4 * G_hm / 3) + b / (Ks + 4 * G_hm / 3)) - 4 * G_hm / 3
    z = G_hm / 6 * (9 * K_hm + 8 * G_hm) / (K_hm + 2 * G_hm)
    G_dry = 1 / (a / (G_hm + z) + b / (Gs + z)) - z
    Kf = 1 / (sw / r["K_brine"] + (1 - sw) / r["K_gas"])
    rho_f = sw * r["rho_brine"] + (1 - sw) * r["rho_gas"]
    # Gassmann; at zero porosity K_dry = Ks and the formula is 0/0: the rock is the mineral
    den = phi / Kf + (1 - phi) / Ks - K_dry / Ks**2
    with np.errstate(invalid="ignore", divide="ignore"):
        K_sat = np.where(phi > 0, K_dry + (1 - K_dry / Ks) ** 2 / np.where(phi > 0, den, 1.0),
                         Ks)
    rho = (1 - phi) * rho_s + phi * rho_f
    vp = np.sqrt((K_sat + 4 * G_dry / 3) / rho)  # km/s with GPa and g/cc
    return vp * 1000.0, rho * 1000.0
