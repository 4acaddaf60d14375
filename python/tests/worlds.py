"""Worlds the Python tests share."""
import numpy as np

import sqsim

D = 8


def realizable(d=D, seed=3):
    v = np.random.default_rng(seed).normal(size=d)
    return sqsim.ReluWorld(0.9 * v / np.linalg.norm(v))
