#include "sq/harness.hpp"

#include "sq/errors.hpp"

namespace sq {

std::string_view to_string(RunStatus status) {
  return status == RunStatus::completed ? "completed" : "budget_exhausted";
}

RunResult run(Algorithm& algorithm, Oracle& oracle, const RunOptions& options, const Evaluator* evaluator) {
  RunResult result;
  result.algorithm = algorithm.name();
  result.oracle = oracle.name();
  QueryChannel channel(oracle, options.budget, options.transcript);
  if (options.record_trace)
    channel.set_iterate_observer([&result](const Vector& w, const Ledger& spent) {
      result.trace.push_back(TracePoint{spent.scalar_equivalent, w, std::nullopt});
    });
  try {
    Vector w = algorithm.run(channel);
    if (w.size() != oracle.dimension())
      throw std::logic_error("algorithm '" + result.algorithm + "' returned a hypothesis of length " +
                             std::to_string(w.size()) + ", expected " + std::to_string(oracle.dimension()));
    result.w = std::move(w);
  } catch (const BudgetExceeded& stop) {
    result.status = RunStatus::budget_exhausted;
    result.message = stop.what();
    result.w = channel.last_iterate();
  }
  result.spent = channel.ledger();
  if (evaluator) {
    if (result.w) result.loss = evaluator->loss(*result.w);
    result.opt = evaluator->opt();
    for (TracePoint& point : result.trace) point.loss = evaluator->loss(point.w);
  }
  return result;
}

}  // namespace sq
