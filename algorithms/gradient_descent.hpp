// SQ gradient descent on the square loss F(w) = E[(relu(w.x) - y)^2], talking to the data only
// through the QueryChannel: every gradient is one vector query (or d scalar ones).
#pragma once

#include "sq/algorithm.hpp"

#include <cstdint>
#include <limits>
#include <string_view>

namespace algorithms {

enum class GradientMode { vector, coordinates };
enum class Initialization { zero, random };
std::string_view to_string(GradientMode mode);
std::string_view to_string(Initialization init);

struct GradientDescentParams {
  double tolerance = 1e-3;      // tau of every query
  double step_size = 1.0;       // w <- w - step * gradient
  int max_iterations = 100;
  double radius = std::numeric_limits<double>::infinity();  // project onto |w| <= radius
  GradientMode mode = GradientMode::vector;
  Initialization init = Initialization::zero;  // zero uses relu'(0) = 1/2 (Soltanolkotabi)
  double init_scale = 1.0;      // |w0| for random initialisation
  std::uint64_t seed = 1;       // random initialisation only
  double query_scale = 1.0;     // ask q/s (so E_D0[(q/s)^2] <= 1), multiply the answer by s
  // Stop once the answered half-gradient has norm <= this; 0 means 2 * (its error bound), i.e. the
  // answer no longer distinguishes the gradient from zero.
  double stop_threshold = 0.0;
  bool stop_early = true;       // false: never stop on a small gradient (only max_iterations or the budget end the run)
  bool loss_queries = false;    // also ask the loss at every iterate, the last included (one scalar query each)
  double loss_query_scale = 2.0;  // the loss query is (relu(w.x) - y)^2 / this
  void validate() const;        // throws std::invalid_argument naming the parameter
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

}  // namespace algorithms
