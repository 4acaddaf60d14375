// Independent Monte Carlo references for the tests: plain sample means with a stated error bar.
#pragma once

#include "sqsim/oracles/relu_world.hpp"
#include "sqsim/oracles/sampling.hpp"

#include "sqsim/sq/random.hpp"

#include <cmath>
#include <functional>

namespace testing {

using namespace sqsim;

struct MonteCarloEstimate {
  double mean = 0.0;
  double standard_error = 0.0;
  // Half-width of a 6-sigma interval: the CLT tail beyond it is ~2e-9 per comparison, so a
  // failure means a wrong exact value, not bad luck.
  double six_sigma() const { return 6.0 * standard_error; }
};

inline MonteCarloEstimate monte_carlo(const oracles::ReluWorld& world, long n, unsigned long long seed,
                                      const std::function<double(const sq::Vector&, double)>& q) {
  sq::Engine engine(seed);
  sq::Vector x(world.dimension());
  double sum = 0.0, sum_sq = 0.0;
  for (long i = 0; i < n; ++i) {
    const double y = oracles::draw_sample(world, engine, x);
    const double v = q(x, y);
    sum += v;
    sum_sq += v * v;
  }
  const double mean = sum / static_cast<double>(n);
  const double var = std::max(0.0, sum_sq / static_cast<double>(n) - mean * mean);
  return {mean, std::sqrt(var / static_cast<double>(n))};
}

}  // namespace testing
