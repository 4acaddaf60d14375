#!/usr/bin/python3
"""Independent reference for the exact oracle: E[(relu(w.x) - y)^2] in a Gaussian ReLU world by
nested adaptive quadrature (scipy.integrate.quad, absolute tolerance 1e-13, every kink passed as a
breakpoint). With v = |v| e1 and w = a e1 + b e2, x1 and x2 are independent N(0, 1).

usage: relu_world_loss.py MODEL NOISE VNORM A B   (MODEL: relu, noisy-relu, clipped-relu, agnostic, band, mirror)
prints the loss with 17 significant digits.
usage: relu_world_loss.py MODEL NOISE VNORM --chow T
prints E[sign(y - T) x1], the thresholded labels' Chow vector along v (the other coordinates are 0):
one adaptive quadrature in x1, split where the label crosses T (sign changes on a grid of step 1e-3,
refined by brentq)."""
import math
import sys

from scipy import integrate, stats

model, noise, vnorm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
chow = sys.argv[4] == "--chow"
a, b = (0.0, 0.0) if chow else (float(sys.argv[4]), float(sys.argv[5]))
relu = lambda t: t if t > 0 else 0.0

if model in ("noisy-relu", "clipped-relu") and noise > 0:
    shifts = [(0.5, noise), (0.5, -noise)]
else:
    shifts = [(1.0, 0.0)]
threshold = vnorm * stats.norm.isf(noise) if (model == "agnostic" and noise > 0) else math.inf
# band: y = 0 for |v| <= u <= |v| (1 + h), P(1 <= g <= 1 + h) = noise
band_end = vnorm * stats.norm.ppf(stats.norm.cdf(1.0) + noise) if model == "band" else math.inf


def label(u, shift):
    r = relu(u)
    if model == "clipped-relu":
        return min(1.0, max(0.0, r + shift))
    if model == "noisy-relu":
        return r + shift
    if model == "agnostic":
        return 0.0 if u > threshold else r
    if model == "band":
        return 0.0 if vnorm <= u <= band_end else r
    if model == "mirror":
        return (1 - noise) * r + noise * relu(-u)
    return r


# Kinks of the label in u, mapped to x1 = u / |v|.
kinks_u = {0.0}
for _, shift in shifts:
    if model == "clipped-relu":
        kinks_u.add(1.0 - shift)
        if shift < 0:
            kinks_u.add(-shift)
if math.isfinite(threshold):
    kinks_u.add(threshold)
if model == "band" and noise > 0:
    kinks_u.update({vnorm, band_end})
points_x1 = sorted(k / vnorm for k in kinks_u if abs(k / vnorm) < 9) + ([0.0] if b != 0 else [])
phi = lambda t: math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)
opts = dict(epsabs=1e-13, epsrel=1e-13, limit=400)


def inner(x1):
    def f(x2):
        z = a * x1 + b * x2
        return sum(p * (relu(z) - label(vnorm * x1, s)) ** 2 for p, s in shifts) * phi(x2)
    if b == 0:
        return f(0.0) / phi(0.0)
    kink = -a * x1 / b
    pts = [kink] if -9 < kink < 9 else None
    return integrate.quad(f, -9, 9, points=pts, **opts)[0]


if chow:
    from scipy import optimize
    t = float(sys.argv[5])
    splits = set(points_x1)
    for _, shift in shifts:
        h = lambda x1: label(vnorm * x1, shift) - t
        grid = [-9 + 1e-3 * i for i in range(18001)]
        for lo, hi in zip(grid, grid[1:]):
            if h(lo) * h(hi) < 0:
                splits.add(optimize.brentq(h, lo, hi, xtol=1e-15))
    sign = lambda r: (r > 0) - (r < 0)
    f = lambda x1: sum(p * sign(label(vnorm * x1, s) - t) for p, s in shifts) * x1 * phi(x1)
    edges = [-9.0]
    for x in sorted(x for x in splits if -9 < x < 9):
        if x - edges[-1] > 1e-9:  # a jump found twice (as a kink and by brentq) is one split
            edges.append(x)
    edges.append(9.0)
    print(f"{sum(integrate.quad(f, lo, hi, **opts)[0] for lo, hi in zip(edges, edges[1:])):.17g}")
    sys.exit(0)

value = integrate.quad(lambda x1: inner(x1) * phi(x1), -9, 9, points=sorted(set(points_x1)) or None, **opts)[0]
print(f"{value:.17g}")
