// Exact population quantities of a ReLU world: loss, gradient, opt. This is the experimenter's
// view (the harness's evaluator and `sqsim inspect`), never charged to a ledger.
#pragma once

#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <optional>

namespace sqsim::oracles {

class Population : public sq::Evaluator {
 public:
  explicit Population(ReluWorld world);  // keeps its own copy

  double loss(const Vector& w) const override;  // E[(relu(w.x) - y)^2]
  Vector gradient(const Vector& w) const;       // 2 E[(relu(w.x) - y) relu'(w.x) x]
  std::optional<double> opt() const override;   // inf over all w of loss(w)
  const ReluWorld& world() const { return world_; }
  const Vector& optimum() const;  // a minimiser (the teacher where realizable in mean)

 private:
  void solve() const;

  ReluWorld world_;
  ExactOracle exact_;
  mutable std::optional<double> opt_;
  mutable Vector optimum_;
};

}  // namespace sqsim::oracles