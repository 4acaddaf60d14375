#!/usr/bin/python3
"""sqsim from Python, in five steps: write an SQ algorithm, run it on an easy instance (a realizable
ReLU teacher), run it on a hard one (a sparse parity hidden in Gaussian space, against the
adversary), read its certificate, and plot its loss against the queries it made.

Run from a build tree:  PYTHONPATH=build/python /usr/bin/python3 examples/python/tutorial.py
"""
import argparse
import os

import numpy as np

import sqsim


# 1. An SQ algorithm: gradient descent on the square loss, asking the half gradient
#    E[(relu(w.x) - y) relu'(w.x) x] as one vector query per step. It sees the data only through the
#    channel, which counts every query on the C++ ledger.
class PythonGD(sqsim.Algorithm):
    def __init__(self, tolerance, steps=200, step_size=1.0):
        super().__init__()
        self.tolerance, self.steps, self.step_size = tolerance, steps, step_size

    def name(self):
        return "python-gd"

    def run(self, channel):
        d = channel.dimension
        w = np.full(d, 0.1 / np.sqrt(d))  # a small start off 0, where relu' is 1/2 everywhere
        scale = 2.0  # the query divided by 2 keeps E_D0[q_i^2] <= 1 for |w| <= 1, y in [0, 1]
        channel.report_iterate(w)
        for _ in range(self.steps):
            gradient = scale * channel.ask(sqsim.queries.half_gradient(w, scale), self.tolerance)
            if np.linalg.norm(gradient) <= 2 * self.tolerance * scale:
                break  # the answer cannot be told from 0
            w = w - self.step_size * gradient
            channel.report_iterate(w)
        return w


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=".", help="where the plot goes (created if missing)")
    parser.add_argument("--dim", type=int, default=30)
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)

    # 2. The easy instance: a realizable teacher, the exact oracle moving every answer by up to tau
    #    toward the least informative value.
    rng = np.random.default_rng(1)
    teacher = rng.normal(size=args.dim)
    world = sqsim.ReluWorld(teacher / np.linalg.norm(teacher))
    tau = 1e-4
    easy = sqsim.run(PythonGD(tau), sqsim.ExactOracle(world, perturbation="uniform", seed=7),
                     evaluator=sqsim.Population(world), record_trace=True)
    print(f"easy: {easy['status']}, {easy['queries']['total']} queries, excess loss {easy['excess']:.2e}")

    # 3. The hard instance: a 4-sparse parity hidden in Gaussian space. Every answer is D0's, and a
    #    member no answer exposed is planted afterwards; the certificate says what the run proves.
    family = sqsim.lifted_parity(args.dim, 4)
    facts = family.facts()
    hard_tau = facts["gap"] / 4  # below gap/2, so a certificate can hold
    hard = sqsim.run_hard_instance(PythonGD(hard_tau), family, tolerance=hard_tau, record_trace=True)
    print(f"hard: {hard['status']}, {hard['queries']['total']} queries, {hard['members_exposed']:.0f} of "
          f"{hard['family_size']:.0f} members exposed, planted {hard['planted']}")
    print(f"      certified = {hard['certified']}: {hard['certificate']}")

    # 4. What the numbers say: GD learns the teacher, and on the hard instance stays above
    #    optS + gap - 2 tau whatever member was planted (when certified).
    assert easy["status"] == "completed" and easy["excess"] < 1e-3, easy
    assert hard["status"] == "completed", hard
    if hard["certified"]:
        assert hard["loss"] >= hard["optS"] + hard["gap"] - 2 * hard_tau - 1e-12

    # 5. Loss against queries, both runs on one plot.
    path = sqsim.plotting.runs({"easy (realizable teacher)": easy, f"hard (lifted 4-parity, d = {args.dim})": hard},
                               os.path.join(args.output_dir, "tutorial_loss.png"),
                               reference=hard["optS"] + hard["gap"] - 2 * hard_tau,
                               reference_label="certified level on the hard instance")
    print(f"plot written to {path}")


if __name__ == "__main__":
    main()
