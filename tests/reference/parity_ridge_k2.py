#!/usr/bin/python3
"""E[h(w1 x1 + w2 x2) sign(x1) sign(x2)] for the h of test_parity_ridge.cpp, by adaptive quadrature.

Independent of sqsim's method: polar coordinates in (x1, x2), adaptive quadrature split where the
sign of x1 x2 changes and where h has breakpoints. Only w inside S = {1, 2} (s = 0): the corner case
of sqsim's method; other w are checked against ParityCorrelation and Monte Carlo.
Usage: parity_ridge_k2.py W1 W2   (prints the value)
"""
import sys
import numpy as np
from scipy import integrate


def h(z):
    return abs(z) * np.cos(z) + np.tanh(z - 0.3) + (1.0 if z > 1.1 else 0.0)


def radial(c, shift):
    """int_0^inf h(r c + shift) r e^{-r^2/2} dr / (2 pi), split where the argument crosses h's breakpoints."""
    pts = []
    if c != 0.0:
        for b in (0.0, 1.1):
            r = (b - shift) / c
            if r > 0.0:
                pts.append(r)
    f = lambda r: h(r * c + shift) * r * np.exp(-r * r / 2) / (2 * np.pi)
    upper = max(pts + [0.0]) + 12.0
    cuts = sorted(set([0.0] + [p for p in pts if p < upper] + [upper]))
    total = 0.0
    for a, b in zip(cuts[:-1], cuts[1:]):
        v, _ = integrate.quad(f, a, b, epsabs=1e-15, epsrel=1e-13, limit=500)
        total += v
    return total


def value(w1, w2, shift):
    nw = np.hypot(w1, w2)
    th0 = np.arctan2(w2, w1)

    def inner(th):
        return radial(nw * np.cos(th - th0), shift) * np.sign(np.sin(2 * th))

    cuts = {0.0, np.pi / 2, np.pi, 3 * np.pi / 2, 2 * np.pi}
    for extra in (th0 + np.pi / 2, th0 + 3 * np.pi / 2):
        cuts.add(extra % (2 * np.pi))
    cuts = sorted(cuts)
    total = 0.0
    for a, b in zip(cuts[:-1], cuts[1:]):
        v, _ = integrate.quad(inner, a, b, epsabs=1e-14, epsrel=1e-13, limit=500)
        total += v
    return total


def main():
    w1, w2 = (float(a) for a in sys.argv[1:3])
    print("%.17g" % value(w1, w2, 0.0))


if __name__ == "__main__":
    main()
