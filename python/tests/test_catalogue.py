"""The algorithm catalogue from Python: shipped algorithms and their bounds against the program,
Python algorithms registered by name (with options as flags and keywords), the program in-process,
and the plots from records."""
import os

import numpy as np
import pytest

import sqsim
from worlds import realizable


def test_shipped_algorithms_bounds_and_the_program():
    names = [name for name, _ in sqsim.algorithms()]
    for name in ("gd", "label-correlation", "glmtron", "threshold-halfspace", "coordinate-csq", "parity-search"):
        assert name in names
    world = realizable()
    result = sqsim.run(sqsim.algorithm("glmtron", tolerance=1e-8), sqsim.ExactOracle(world), evaluator=sqsim.Population(world))
    assert result["excess"] <= 1e-6
    # An entry's options as keywords: isotron with 6 bins and 3 steps asks E[y x], E[y], then per step 5 thresholds
    # and one update, and two queries per candidate (4 on a realizable world: every step is taken).
    isotron = sqsim.run(sqsim.algorithm("isotron", tolerance=1e-3, bins=6, iterations=3), sqsim.ExactOracle(world),
                        evaluator=sqsim.Population(world))
    assert (isotron["queries"]["vector"], isotron["queries"]["scalar"]) == (1 + 3, 1 + 3 * 5 + 2 * 4)
    assert isotron["excess"] <= 1e-12
    with pytest.raises(ValueError, match="bins"):
        sqsim.algorithm("isotron", bins=1)
    with pytest.raises(ValueError, match="algorithm = nope"):
        sqsim.algorithm("nope")
    bound = sqsim.bound(family="lifted-parity", dim=64, k=6, tolerance=1e-3)
    family = sqsim.lifted_parity(64, 6)
    direct = sqsim.statistical_query_lower_bound(family.size, family.facts()["beta"], family.facts()["gamma"], 1e-3)
    assert bound["query_lower_bound"] == pytest.approx(direct["queries"])
    with pytest.raises(ValueError, match="k = 3"):
        sqsim.bound(family="lifted-parity", dim=10, k=3)
    with pytest.raises(TypeError, match="unknown option 'dimension'"):
        sqsim.bound(dimension=10)


@pytest.mark.parametrize("extension", [".png", ".svg", ".pdf"])
def test_plots_from_records(tmp_path, extension):
    record = sqsim.experiment("approximation", dim=5, opts=[1e-3, 1e-2], labels=["mirror"], algorithms=["label-correlation", "gd"],
                              seeds=2, bootstrap=20)
    path = sqsim.plotting.approximation(record, tmp_path / ("approx" + extension))
    with open(path, "rb") as f:
        head = f.read(8)
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[extension] in head
    world = realizable()

    class Gd(sqsim.Algorithm):
        def run(self, channel):
            w = np.zeros(channel.dimension) + 0.01
            for _ in range(5):
                w = w - 2 * channel.ask(sqsim.queries.half_gradient(w, 2.0), 1e-6)
                channel.report_iterate(w)
            return w

    run = sqsim.run(Gd(), sqsim.ExactOracle(world), evaluator=sqsim.Population(world), record_trace=True)
    assert os.path.getsize(sqsim.plotting.runs({"gd": run}, tmp_path / ("runs" + extension), reference=0.0)) > 0
    with pytest.raises(ValueError, match="extension"):
        sqsim.plotting.runs({"gd": run}, tmp_path / "runs.txt")
    with pytest.raises(ValueError, match="directory"):
        sqsim.plotting.runs({"gd": run}, tmp_path / "missing" / "runs.png")


def test_a_registered_python_algorithm_runs_everywhere_by_name():
    made = []

    class TwoEyx(sqsim.Algorithm):
        def __init__(self, tolerance):
            super().__init__()
            self.tolerance = tolerance

        def name(self):
            return "py-two-eyx"

        def run(self, channel):
            return 2 * channel.ask(sqsim.queries.label_correlation(channel.dimension), self.tolerance)

    def factory(settings):
        made.append(settings["tolerance"])
        return TwoEyx(settings["tolerance"])

    sqsim.register_algorithm("py-two-eyx", factory, description="2 E[y x], from Python")
    assert ("py-two-eyx", "2 E[y x], from Python") in sqsim.algorithms()
    with pytest.raises(ValueError, match="already registered"):
        sqsim.register_algorithm("py-two-eyx", factory)
    with pytest.raises(ValueError, match="control characters"):
        sqsim.register_algorithm("two\nlines", factory)
    # The experiment measures it like a shipped one: on the mirror world its excess is opt (as for the C++ label-correlation).
    record = sqsim.experiment("approximation", dim=5, opts=[0.01, 0.05], labels=["mirror"], algorithms=["py-two-eyx", "label-correlation"],
                              seeds=2, bootstrap=20, tolerance=1e-7)
    mine = [p for p in record["points"] if p["algorithm"] == "py-two-eyx"]
    theirs = [p for p in record["points"] if p["algorithm"] == "label-correlation"]
    assert len(mine) == 2 and all(p["queries"] == 1 for p in mine)
    for a, b in zip(mine, theirs):
        assert a["excess_mean"] == pytest.approx(b["excess_mean"], abs=1e-9)
        assert a["excess_mean"] == pytest.approx(a["opt"], rel=1e-4)
    assert made and made[-1] == 1e-7
    # A run and a hard instance by name, and the reduction's learner.
    world = sqsim.ReluWorld(np.eye(6)[0])
    run = sqsim.run(sqsim.algorithm("py-two-eyx"), sqsim.ExactOracle(world), evaluator=sqsim.Population(world))
    assert run["status"] == "completed" and run["algorithm"] == "py-two-eyx"
    hard = sqsim.run_hard_instance(sqsim.algorithm("py-two-eyx", tolerance=0.02, k=2), sqsim.lifted_parity(10, 2), tolerance=0.02)
    assert "certified" in hard and hard["algorithm"] == "py-two-eyx"
    reduction = sqsim.experiment("reduction", dim=8, learner="py-two-eyx")
    assert reduction["context"]["learner"] == "py-two-eyx" and reduction["status"] == "completed"

    # A factory that returns something else is a clear error.
    sqsim.register_algorithm("py-not-an-algorithm", lambda settings: 42)
    with pytest.raises((TypeError, ValueError), match="must return a sqsim.Algorithm"):
        sqsim.algorithm("py-not-an-algorithm")


def test_the_catalogue_in_python_options_as_keywords():
    catalogue = {entry["name"]: entry for entry in sqsim.algorithm_catalogue()}
    assert [name for name, _ in sqsim.algorithms()] == list(catalogue)
    gd = {o["keyword"]: o for o in catalogue["gd"]["options"]}
    assert gd["step_size"]["flag"] == "--step-size" and gd["step_size"]["type"] == "real" and gd["step_size"]["default"] == 1.0
    assert gd["iterations"]["default"] == 100 and gd["loss_queries"]["default"] is False
    assert gd["init"]["choices"] == ["zero", "random"]
    assert catalogue["parity-search"]["options"] == [] and catalogue["parity-search"]["vector_queries"] is False
    world = sqsim.ReluWorld(np.array([0.6, 0.8, 0.0]))
    # The options reach the algorithm: 3 iterations at step 0.1 ask 3 gradients (+ 4 losses with loss_queries).
    slow = sqsim.run(sqsim.algorithm("gd", tolerance=1e-6, iterations=3, step_size=0.1, loss_queries=True), sqsim.ExactOracle(world))
    assert slow["queries"]["total"] == 7
    with pytest.raises(ValueError, match="step-size = -1: must be a finite number > 0"):
        sqsim.algorithm("gd", step_size=-1.0)
    with pytest.raises(ValueError, match="option 'init' does not apply to algorithm glmtron"):
        sqsim.algorithm("glmtron", init="random")
    with pytest.raises(ValueError, match="init = sideways: must be zero or random"):
        sqsim.algorithm("gd", init="sideways")
    with pytest.raises(TypeError, match="iterations: expected a number"):
        sqsim.algorithm("gd", iterations=[3])


def test_a_registered_python_algorithm_with_options_gets_flags_and_keywords():
    seen = []

    class Scaled(sqsim.Algorithm):
        def __init__(self, tolerance, scale):
            super().__init__()
            self.tolerance, self.scale = tolerance, scale

        def name(self):
            return "py-scaled"

        def run(self, channel):
            return self.scale * channel.ask(sqsim.queries.label_correlation(channel.dimension), self.tolerance)

    def factory(settings):
        seen.append(dict(settings))
        return Scaled(settings["tolerance"], settings["scale"])

    with pytest.raises(ValueError, match="needs its choices"):
        sqsim.register_algorithm("py-bad-options", factory, options={"mode": "fast"})
    sqsim.register_algorithm("py-scaled", factory, options={"scale": (2.0, "multiplies E[y x]"), "verbose": False})
    entry = [e for e in sqsim.algorithm_catalogue() if e["name"] == "py-scaled"][0]
    assert [o["flag"] for o in entry["options"]] == ["--scale", "--verbose"]
    sqsim.algorithm("py-scaled", tolerance=1e-4)
    assert seen[-1] == {"tolerance": 1e-4, "seed": 1, "k": 4, "scale": 2.0, "verbose": False}
    world = sqsim.ReluWorld(np.eye(4)[0])
    run = sqsim.run(sqsim.algorithm("py-scaled", scale=0.5, verbose=True), sqsim.ExactOracle(world))
    assert run["status"] == "completed"
    assert seen[-1]["scale"] == 0.5 and seen[-1]["verbose"] is True
    with pytest.raises(ValueError, match="option 'scale' does not apply to algorithm gd"):
        sqsim.algorithm("gd", scale=0.5)
