// SQ gradient descent on the square loss F(w) = E[(relu(w.x) - y)^2], talking to the data only
// through the QueryChannel: every gradient is one vector query (or d scalar ones).
//
// Guarantee (Soltanolkotabi 2017, realizable labels y = relu(v.x), x ~ N(0, I)): from w0 = 0 with
// step 1 and exact gradients, w_t -> v linearly; with answers within tau the limit is within
// O(tau * scale) of v. On agnostic labels it finds a stationary point of F, with no guarantee
// relative to opt; on the lifted sparse parity it cannot find S with polynomially many queries.
// Asks: one HalfGradient vector query per step (or d HalfGradientCoordinate queries), plus a
// SquareLoss query per iterate if loss_queries is set. Every gradient query is divided by
// max(query_scale, sqrt(bound)), bound = queries::half_gradient_second_moment_bound(w, m2), so it is
// a legal l2 query for every d, w and every label law with E[y^2] <= m2 = label_second_moment
// (y in [0, 1], the model's labels, gives m2 <= 1); the transcript records the scale.
#pragma once

#include "sqsim/sq/algorithm.hpp"

#include <vector>

#include <cstdint>
#include <limits>
#include <string_view>

namespace sqsim::algorithms {

enum class GradientMode { vector, coordinates };
enum class Initialization { zero, random };
std::string_view to_string(GradientMode mode);
std::string_view to_string(Initialization init);

struct GradientDescentParams {
  double tolerance = 1e-3;  // tau of every query
  double step_size = 1.0;   // w <- w - step * gradient
  int max_iterations = 100;
  double radius = std::numeric_limits<double>::infinity();  // project onto |w| <= radius
  GradientMode mode = GradientMode::vector;
  Initialization init = Initialization::zero;  // zero uses relu'(0) = 1/2 (Soltanolkotabi)
  double init_scale = 1.0;                     // |w0| for random initialisation
  std::uint64_t seed = 1;                      // random initialisation only
  double query_scale = 1.0;                    // smallest scale s of a gradient query (ask q/s, multiply the answer by s)
  double label_second_moment = 1.0;            // m2 >= E[y^2]: sets the scale that keeps gradient queries legal
  // Stop once the answered half-gradient has norm <= this; 0 means 2 * (its error bound), i.e. the
  // answer no longer distinguishes the gradient from zero.
  double stop_threshold = 0.0;
  bool stop_early = true;         // false: never stop on a small gradient (only max_iterations or the budget end the run)
  bool loss_queries = false;      // also ask the loss at every iterate, the last included (one scalar query each)
  double loss_query_scale = 2.0;  // the loss query is (relu(w.x) - y)^2 / this
  void validate() const;          // throws std::invalid_argument naming the parameter
};

class GradientDescent : public sq::Algorithm {
 public:
  explicit GradientDescent(GradientDescentParams params = {});
  std::string name() const override { return "gd"; }
  sq::Vector run(sq::QueryChannel& channel) override;

  // Losses answered at each iterate when loss_queries is set (the learner's view, with error).
  const std::vector<double>& answered_losses() const { return answered_losses_; }
  int iterations() const { return iterations_; }

 private:
  GradientDescentParams params_;
  std::vector<double> answered_losses_;
  int iterations_ = 0;
};

}  // namespace sqsim::algorithms