"""sqsim: statistical-query algorithms against exact, sample-based and adversarial oracles.

Write an SQ algorithm in Python by subclassing ``sqsim.Algorithm`` and asking queries through the
channel its ``run`` is handed; the C++ channel counts every query::

    import numpy as np, sqsim

    class TwoEyx(sqsim.Algorithm):
        def run(self, channel):
            return 2 * channel.ask(sqsim.queries.label_correlation(channel.dimension), 1e-3)

    world = sqsim.ReluWorld(np.eye(10)[0], labels="agnostic", noise=0.05)
    result = sqsim.run(TwoEyx(), sqsim.ExactOracle(world), evaluator=sqsim.Population(world))
    print(result["status"], result["queries"], result["excess"])

Threading rule: the C++ side runs with the GIL released and takes it for every call into Python
(an algorithm's ``run``, a query's ``g``); oracle threads therefore serialise on a Python ``g``.
The experiments, the demo and the bound command are reached through ``sqsim.command`` (and the
wrappers ``experiment``, ``bound``, ``demo``), which run the ``sqsim`` program in-process and
return its JSON record. ``sqsim.plotting`` draws those records with matplotlib.
"""
import json as _json

from ._core import (  # noqa: F401
    AdversarialOracle,
    Algorithm,
    BudgetExceeded,
    Channel,
    Evaluator,
    ExactOracle,
    HardFamily,
    MemberEvaluator,
    MemberOracle,
    Oracle,
    Population,
    QueryRefused,
    ReluWorld,
    SampleOracle,
    ScalarQuery,
    VectorQuery,
    algorithm,
    algorithm_catalogue,
    algorithms,
    command,
    lifted_parity,
    orthogonal_relu,
    queries,
    register_algorithm,
    ridge_query,
    ridge_vector_query,
    run,
    run_hard_instance,
    statistical_query_lower_bound,
)

from . import plotting  # noqa: E402,F401  (matplotlib is imported only when a plot is drawn)

__all__ = [name for name in dir() if not name.startswith("_")] + ["experiment", "bound", "demo", "CommandError"]


class CommandError(RuntimeError):
    """The sqsim program exited with a nonzero code; ``exit_code`` and ``stderr`` say why."""

    def __init__(self, arguments, exit_code, stderr):
        super().__init__(f"sqsim {' '.join(arguments)}: exit code {exit_code}: {stderr.strip()}")
        self.exit_code = exit_code
        self.stderr = stderr


def _arguments(options):
    """Keyword options as command-line words: dims=[20, 40] -> --dims 20,40; flag=True -> --flag."""
    words = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            words.append(flag)
        elif isinstance(value, (list, tuple)):
            words += [flag, ",".join(str(v) for v in value)]
        else:
            words += [flag, str(value)]
    return words


def _record(arguments):
    outcome = command(arguments)
    if outcome["exit_code"] != 0:
        raise CommandError(arguments, outcome["exit_code"], outcome["stderr"])
    return _json.loads(outcome["stdout"])


def experiment(name, **options):
    """Runs ``sqsim experiment NAME`` with the options as flags and returns its JSON record (a dict).

    Example: ``sqsim.experiment("approximation", dim=6, opts=[1e-3, 1e-2], labels=["mirror"], seeds=3)``.
    """
    return _record(["experiment", name, *_arguments(options), "--json"])


def bound(**options):
    """``sqsim bound`` (the statistical-dimension bound of a hard family, opt0, optS, gap, rho) as a dict."""
    return _record(["bound", *_arguments(options), "--json"])


def demo(part=None, **options):
    """``sqsim demo [PART]`` as a dict (its JSON record)."""
    return _record(["demo", *([part] if part else []), *_arguments(options), "--json"])
