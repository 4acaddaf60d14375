"""sqsim: statistical-query algorithms against exact, sample-based and adversarial oracles.

Write an SQ algorithm in Python by subclassing ``sqsim.Algorithm`` and asking queries through the
channel its ``run`` is handed; the C++ channel counts every query::

    import numpy as np, sqsim

    class TwoEyx(sqsim.Algorithm):
        def run(self, channel):
            return 2 * channel.ask(sqsim.queries.label_correlation(channel.dimension), 1e-3)

    world = sqsim.ReluWorld(np.eye(10)[0], labels="agnostic", noise=0.05)
    result = sqsim.run(TwoEyx(), sqsim.ExactOracle(world), evaluator=sqsim.Population(world))
    print(result["status"], result["queries"]["total"], result["excess"])

Threading rule: the C++ side runs with the GIL released and takes it for every call into Python
(an algorithm's ``run``, a query's ``g``); oracle threads therefore serialise on a Python ``g``.
Runs, the experiments (``experiment``), the demo and the bound call the same library as the
``sqsim`` program and return its records as dicts: ``sqsim.run`` and ``run_hard_instance`` the
record's ``results`` (plus ``algorithm``, ``oracle``), ``experiment``, ``demo`` and ``bound`` the
whole record that ``--json`` prints (without ``context.provenance``, which only the program
adds). ``sqsim.plotting`` draws those records with matplotlib.
"""

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
    bound,
    demo,
    experiment,
    lifted_parity,
    orthogonal_relu,
    queries,
    register_algorithm,
    ridge_query,
    ridge_vector_query,
    run,
    run_hard_instance,
    statistical_query_lower_bound,
    stream_seed,
)

from . import plotting  # noqa: E402,F401  (matplotlib is imported only when a plot is drawn)

__all__ = [name for name in dir() if not name.startswith("_")]
