"""Python returns the program's records: for a run, a run on a hard family and every experiment, the
dict from sqsim equals the JSON that `sqsim ... --json` prints (the program alone adds
context.provenance; times are not compared)."""
import json
import os
import subprocess

import numpy as np
import pytest

import sqsim

CLI = os.environ.get("SQSIM_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="SQSIM_CLI (the sqsim binary) is set by ctest")


def program(*words):
    out = subprocess.run([CLI, *words, "--json"], capture_output=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return comparable(json.loads(out.stdout))


def comparable(value):
    """numpy arrays as lists; provenance and measured times dropped."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in ("provenance", "seconds")}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def split_results(python):
    """A run's dict: the record's results, and the keys the record keeps in its context."""
    python = comparable(python)
    gained = {k: python.pop(k) for k in ("algorithm", "oracle", "family") if k in python}
    return python, gained


def test_a_run_on_a_world_is_the_programs_results():
    record = program("run", "--teacher", "0.6,0.8,0", "--algorithm", "gd", "--tolerance", "1e-6", "--iterations", "20")
    world = sqsim.ReluWorld(np.array([0.6, 0.8, 0.0]))
    run = sqsim.run(sqsim.algorithm("gd", tolerance=1e-6, iterations=20), sqsim.ExactOracle(world), evaluator=sqsim.Population(world))
    results, gained = split_results(run)
    assert results == record["results"]
    assert gained == {"algorithm": record["context"]["algorithm"], "oracle": record["context"]["oracle"]}
    assert isinstance(run["w"], np.ndarray) and isinstance(run["queries"], dict)


@pytest.mark.parametrize("oracle", ["adversary", "member"])
def test_a_run_on_a_hard_family_is_the_programs_results(oracle):
    words = ["run", "--family", "lifted-parity", "--dim", "12", "--k", "2", "--noise", "0.1", "--algorithm", "gd", "--init", "random",
             "--tolerance", "0.02", "--seed", "3", "--oracle", oracle]
    if oracle == "member":
        words += ["--perturbation", "worst-case"]
    record = program(*words)
    # The program seeds the algorithm from its master seed's algorithm stream; so does the catalogue given that stream's seed.
    gd = sqsim.algorithm("gd", tolerance=0.02, seed=record_seed(3), k=2, init="random")
    run = sqsim.run_hard_instance(gd, sqsim.lifted_parity(12, 2, 0.1), tolerance=0.02, seed=3, oracle=oracle,
                                  perturbation="worst-case" if oracle == "member" else "truthful")
    results, gained = split_results(run)
    assert results == record["results"]
    assert gained == {"algorithm": "gd", "oracle": record["context"]["oracle"], "family": "lifted-parity"}
    if oracle == "adversary":
        assert record["results"]["certified_excess"] is None or record["results"]["certified"]
        assert len(record["results"]["exposed_per_query"]) == record["results"]["queries"]["total"] + record["results"]["pinned"]


def test_a_run_on_a_hard_family_by_name_is_the_programs_run():
    # By name the algorithm is built as the program builds it (tolerance, seed stream, k), with its default options.
    by_name = split_results(sqsim.run_hard_instance("glmtron", sqsim.orthogonal_relu(10, 2), tolerance=0.01, seed=5))[0]
    assert by_name == program("run", "--family", "orthogonal-relu", "--dim", "10", "--k", "2", "--algorithm", "glmtron",
                              "--tolerance", "0.01", "--seed", "5")["results"]
    with pytest.raises(TypeError, match="algorithm = 42: must be a sqsim.Algorithm"):
        sqsim.run_hard_instance(42, sqsim.orthogonal_relu(10, 2))
    with pytest.raises(ValueError, match="algorithm = nope"):
        sqsim.run_hard_instance("nope", sqsim.orthogonal_relu(10, 2))


def record_seed(master):
    return sqsim.stream_seed(master, "algorithm")


EXPERIMENTS = [
    ("signal", {"dims": [8, 16], "samples": 3}),
    ("exactness", {"dims": [8, 10], "samples": 2}),
    ("parity-search", {"dims": [8, 10], "samples": 2, "tolerance": 0.05}),
    ("sq-bound", {"dims": [12, 16], "tolerances": [0.05], "seeds": 2}),
    ("tradeoff", {"eps": [0.03], "dims": [20, 30], "seeds": 2, "gd_budget": 200}),
    ("reduction", {"dim": 10, "noise": 0.1}),
    ("approximation", {"dim": 5, "opts": [0.01, 0.03], "labels": ["mirror", "agnostic"], "seeds": 2, "bootstrap": 20}),
]


def words(options):
    out = []
    for key, value in options.items():
        out += ["--" + key.replace("_", "-"), ",".join(map(str, value)) if isinstance(value, list) else str(value)]
    return out


@pytest.mark.parametrize("name,options", EXPERIMENTS, ids=[name for name, _ in EXPERIMENTS])
def test_every_experiment_is_the_programs_record(name, options):
    assert comparable(sqsim.experiment(name, **options)) == program("experiment", name, *words(options))


def test_the_demo_and_the_bound_are_the_programs_records():
    options = {"dim": 20, "k": 2, "budget": 2000, "bound_seeds": 2}
    assert comparable(sqsim.demo(**options)) == program("demo", *words(options))
    options = {"family": "orthogonal-relu", "dim": 30, "k": 2, "tolerance": 0.001}
    assert comparable(sqsim.bound(**options)) == program("bound", *words(options))


def test_keywords_are_checked_like_flags():
    with pytest.raises(TypeError, match="experiment approximation: unknown option 'dims'"):
        sqsim.experiment("approximation", dims=[5])
    with pytest.raises(TypeError, match="seeds = 'two' has the wrong type"):
        sqsim.experiment("sq-bound", seeds="two")
    with pytest.raises(ValueError, match="samples = 0: must be at least 1"):
        sqsim.experiment("signal", samples=0)
    with pytest.raises(ValueError, match="experiment = nope"):
        sqsim.experiment("nope")
    with pytest.raises(ValueError, match="tolerance = 0: must be a finite number > 0"):
        sqsim.demo(tolerance=0)
