#!/usr/bin/python3
"""Independent reference for R_S(w) = E[relu(w.x) chi_S(sign x)] and its gradient: the same 1-D
integral as lower_bounds/lifted_parity/parity_correlation.cpp, but with scipy's Dawson function and adaptive
quadrature (absolute tolerance 1e-15), not a trapezoid rule over Boost's 1F1.

usage: parity_correlation.py "i,j,k,l" "w1,w2,...,wd"   prints R_S(w) then the d gradient entries."""
import math
import sys

import numpy as np
from scipy import integrate, special

S = [int(t) for t in sys.argv[1].split(",")]
w = np.array([float(t) for t in sys.argv[2].split(",")])
k = len(S)
sign = -((-1) ** (k // 2)) / math.pi
h = lambda mu: 2 / math.sqrt(math.pi) * special.dawsn(mu / math.sqrt(2))
dh = lambda mu: math.sqrt(2 / math.pi) * (1 - math.sqrt(2) * mu * special.dawsn(mu / math.sqrt(2)))
sigma2 = float(w @ w - sum(w[j] ** 2 for j in S))
opts = dict(limit=1000, epsabs=1e-15, epsrel=1e-13)


def integral(f):
    # split at 1 to help quad with the two power-law ends
    return integrate.quad(f, 0, 1, **opts)[0] + integrate.quad(f, 1, np.inf, **opts)[0]


prod = lambda lam, skip=-1: math.prod(h(lam * w[j]) for i, j in enumerate(S) if i != skip)
gauss = lambda lam: math.exp(-0.5 * lam * lam * sigma2)
value = sign * integral(lambda lam: prod(lam) * gauss(lam) / lam ** 2)
off = -sign * integral(lambda lam: prod(lam) * gauss(lam))
grad = off * w
for i, j in enumerate(S):
    grad[j] = sign * integral(lambda lam: dh(lam * w[j]) * prod(lam, i) * gauss(lam) / lam)
print(" ".join(f"{v:.17g}" for v in [value, *grad]))
