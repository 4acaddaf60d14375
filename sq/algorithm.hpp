// The plug-in boundary for SQ algorithms, and what a run produces.
#pragma once

#include "sqsim/sq/ledger.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sqsim::sq {

// An SQ algorithm sees the data only through the QueryChannel. Contract:
//  - run() returns its hypothesis w (length channel.dimension());
//  - it may call channel.report_iterate(w) whenever it has a current hypothesis (optional, but a
//    run stopped by the budget then still reports the last one);
//  - parameters are validated in the constructor (std::invalid_argument naming the parameter).
class Algorithm {
 public:
  virtual ~Algorithm() = default;
  virtual std::string name() const = 0;
  virtual Vector run(QueryChannel& channel) = 0;
};

// Population quantities of the world an oracle answers about, used by the harness to score a
// hypothesis. Evaluation is outside the ledger: it is the experimenter's view, not the learner's.
class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual double loss(const Vector& w) const = 0;  // the population loss of hypothesis w
  virtual std::optional<double> opt() const = 0;   // inf_w of loss, where known
};

}  // namespace sqsim::sq