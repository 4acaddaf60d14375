#include "sqsim/sq/harness.hpp"

#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::sq {

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::completed:
      return "completed";
    case RunStatus::budget_exhausted:
      return "budget_exhausted";
    case RunStatus::refused:
      return "refused";
    case RunStatus::failed:
      return "failed";
  }
  return "unknown";
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
      throw std::logic_error("algorithm '" + result.algorithm + "' returned a hypothesis of length " + std::to_string(w.size()) +
                             ", expected " + std::to_string(oracle.dimension()));
    result.w = std::move(w);
  } catch (const BudgetExceeded& stop) {
    result.status = RunStatus::budget_exhausted;
    result.message = stop.what();
    result.w = channel.last_iterate();
  } catch (const QueryRefused& refused) {
    result.status = RunStatus::refused;
    result.message = refused.what();
    result.w = channel.last_iterate();
  }
  result.spent = channel.ledger();
  if (result.w && !result.w->allFinite()) {
    // A diverged iterate is a failure, never a result: keep nothing that could be printed as one.
    result.status = RunStatus::failed;
    result.message =
        "the hypothesis has a non-finite entry (the iteration diverged)" + (result.message.empty() ? std::string() : "; " + result.message);
    result.w.reset();
  }
  // Iterates from the divergence on are dropped from the trace.
  result.trace.erase(std::find_if(result.trace.begin(), result.trace.end(), [](const TracePoint& p) { return !p.w.allFinite(); }),
                     result.trace.end());
  if (evaluator) {
    if (result.w) result.loss = evaluator->loss(*result.w);
    result.opt = evaluator->opt();
    for (TracePoint& point : result.trace) point.loss = evaluator->loss(point.w);
    if (result.loss && !std::isfinite(*result.loss)) {
      result.status = RunStatus::failed;
      result.message = "the loss of the hypothesis is not finite";
      result.loss.reset();
    }
  }
  return result;
}

}  // namespace sqsim::sq