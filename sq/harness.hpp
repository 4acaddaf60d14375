// Runs an algorithm against an oracle through a fresh ledger and scores the result.
#pragma once

#include "sqsim/sq/algorithm.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sqsim::sq {

struct RunOptions {
  Budget budget;
  std::ostream* transcript = nullptr;  // one JSON line per query when set
  bool record_trace = false;           // keep every reported iterate with the queries spent
};

enum class RunStatus {
  completed,         // the algorithm returned a finite hypothesis
  budget_exhausted,  // the budget stopped it; w is its last reported iterate
  refused,           // the oracle refused a query (message says which and why); w is the last reported iterate
  failed,            // the algorithm produced a non-finite hypothesis (message says where)
};
std::string_view to_string(RunStatus status);

struct TracePoint {
  std::int64_t scalar_equivalent = 0;
  Vector w;
  std::optional<double> loss;  // filled by the harness when an evaluator is given
};

struct RunResult {
  std::string algorithm;
  std::string oracle;
  RunStatus status = RunStatus::completed;
  std::string message;      // why the run stopped early, if it did
  std::optional<Vector> w;  // the hypothesis (last reported iterate if stopped early)
  Ledger spent;
  std::optional<double> loss;  // population loss of w (outside the ledger)
  std::optional<double> opt;
  std::vector<TracePoint> trace;
};

// Never lets a query's refusal or the budget escape: BudgetExceeded ends the run with status
// budget_exhausted, QueryRefused with status refused (ledger and last iterate kept); a non-finite
// hypothesis gives status failed. Other exceptions (bugs, bad parameters) propagate.
RunResult run(Algorithm& algorithm, Oracle& oracle, const RunOptions& options = {}, const Evaluator* evaluator = nullptr);

}  // namespace sqsim::sq