// Internal to the exact oracle (not installed): the moments of a ridge function g(Wᵀx, y) under a
// Gaussian ReLU world D or its reference D0, by piecewise quadrature in at most two directions.
#pragma once

#include "sqsim/oracles/reference_moments.hpp"
#include "sqsim/oracles/relu_world.hpp"

#include <string>

namespace sqsim::oracles::detail {

// Expressed in an orthonormal basis Q of the x-directions involved: x = Q t + x_perp.
struct RidgeMoments {
  Matrix Q;                                 // d x k_x
  double mean = 0.0;                        // E[g]
  Vector mean_times_t;                      // E[g t], length k_x
  double second = 0.0;                      // E[g^2]
  Matrix second_times_tt;                   // E[g^2 t tᵀ], k_x x k_x
  double min_value = 0.0, max_value = 0.0;  // of g over the quadrature nodes
  double max_abs_feature = 0.0;             // of the correlational feature h, when given
};

// Under D (reference = false) or D0 (reference = true: y independent of x, same marginal). Throws
// sq::QueryRefused, naming the query by its label(), when the query's directions and the label's span
// more than two dimensions.
RidgeMoments ridge_moments(const ReluWorld& world, const sq::RidgeForm& ridge, const std::string& label, bool reference);

// E[y^j], j = 1..4, under the world's label marginal (1-D piecewise quadrature over v.x).
LabelMoments label_moments(const ReluWorld& world);

// E[g cᵀx] and E[(g cᵀx)^2] for a scalar query's linear factor c (or E[g], E[g^2] without one).
double scalar_mean(const RidgeMoments& m, const sq::RidgeForm& ridge);
double scalar_second(const RidgeMoments& m, const sq::RidgeForm& ridge);
// max_i E[g^2 x_i^2]: the declared L2 norm of the vector query g(Wᵀx, y) x.
double vector_max_second(const RidgeMoments& m);

}  // namespace sqsim::oracles::detail