// The exact (population) oracle for Gaussian ReLU worlds: E_D[q] without sampling, then perturbed
// within the tolerance by a chosen policy. A typed query it knows is answered in closed form where
// the world admits one, and its declared bound E_D0[q^2] is checked in closed form
// (reference_moments.hpp); every ridge query g(Wᵀx, y) (typed or not) is otherwise reduced to the
// low-dimensional Gaussian of (Wᵀx, v.x) and integrated piecewise. Black-box queries are refused.
#pragma once

#include "sqsim/oracles/perturbation.hpp"
#include "sqsim/oracles/reference_moments.hpp"
#include "sqsim/oracles/relu_world.hpp"
#include "sqsim/sq/oracle.hpp"

#include <cstdint>
#include <string>

namespace sqsim::oracles {

struct ExactOracleParams {
  Perturbation perturbation = Perturbation::truthful;
  std::uint64_t seed = 1;
};

class ExactOracle : public sq::Oracle {
 public:
  // Keeps its own copy of the world.
  explicit ExactOracle(ReluWorld world, ExactOracleParams params = {});

  Eigen::Index dimension() const override { return world_.dimension(); }
  std::string name() const override;
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

  // The unperturbed values, for evaluation and tests (no bound checks). `closed_forms = false`
  // integrates the query's g even where a closed form exists (to test one against the other).
  double expectation(const sq::ScalarQuery& query, bool closed_forms = true) const;
  Vector expectation(const sq::VectorQuery& query, bool closed_forms = true) const;
  double reference_expectation(const sq::ScalarQuery& query) const;
  Vector reference_expectation(const sq::VectorQuery& query) const;
  // E_{D0}[q^2] (scalar) and the largest coordinate second moment (vector): the declared L2 norm.
  double reference_second_moment(const sq::ScalarQuery& query) const;
  double reference_second_moment(const sq::VectorQuery& query) const;

  // What the oracle answers, for refusal messages and documentation.
  static std::string answers();

 private:
  ReluWorld world_;
  LabelMoments labels_;  // of D0's label marginal: the typed queries' bounds in closed form
  ExactOracleParams params_;
  Perturber perturber_;
};

}  // namespace sqsim::oracles