// The exact (population) oracle for Gaussian ReLU worlds: E_D[q] without sampling, by reducing a
// ridge query to the low-dimensional Gaussian of (Wᵀx, v.x) and integrating piecewise, then
// perturbed within the tolerance by a chosen policy.
#pragma once

#include "oracles/perturbation.hpp"
#include "oracles/relu_world.hpp"
#include "sq/oracle.hpp"

#include <cstdint>

namespace oracles {

struct ExactOracleParams {
  Perturbation perturbation = Perturbation::truthful;
  std::uint64_t seed = 1;
};

// Moments of a ridge function g(Wᵀx, y) under D (or the reference D0, where y is independent of
// x with the same marginal), expressed in an orthonormal basis Q of the x-directions involved.
struct RidgeMoments {
  Matrix Q;                        // d x k_x
  double mean = 0.0;               // E[g]
  Vector mean_times_t;             // E[g t], length k_x (x = Q t + x_perp)
  double second = 0.0;             // E[g^2]
  Matrix second_times_tt;          // E[g^2 t tᵀ], k_x x k_x
  double min_value = 0.0, max_value = 0.0;  // of g over the quadrature nodes
  double max_abs_feature = 0.0;    // of the correlational feature h, when given
};

class ExactOracle : public sq::Oracle {
 public:
  explicit ExactOracle(const ReluWorld& world, ExactOracleParams params = {});

  Eigen::Index dimension() const override { return world_.dimension(); }
  std::string name() const override;
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

  // The unperturbed values, for evaluation and tests (no bound checks).
  double expectation(const sq::ScalarQuery& query) const;
  Vector expectation(const sq::VectorQuery& query) const;
  double reference_expectation(const sq::ScalarQuery& query) const;
  Vector reference_expectation(const sq::VectorQuery& query) const;
  // E_{D0}[q^2] (scalar) and the largest coordinate second moment (vector): the declared L2 norm.
  double reference_second_moment(const sq::ScalarQuery& query) const;
  double reference_second_moment(const sq::VectorQuery& query) const;

  // Moments of g under D (reference = false) or D0 (reference = true); throws QueryRefused when
  // the directions of the query and the label span more than two dimensions.
  RidgeMoments moments(const sq::RidgeForm& ridge, const std::string& name, bool reference,
                       const sq::FeatureFunction& feature = {}) const;

 private:
  const sq::RidgeForm& require_ridge(const std::optional<sq::RidgeForm>& ridge, const std::string& name) const;

  const ReluWorld& world_;
  ExactOracleParams params_;
  Perturber perturber_;
};

}  // namespace oracles
