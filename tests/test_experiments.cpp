// The scaling experiments' building blocks: the hidden signal's decay, exact GD learning, slopes.
#include "sqsim/experiments/gd_failure.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

using namespace sqsim;

TEST_CASE("log-log slope recovers a power law exactly") {
  const std::vector<double> x{2, 4, 8, 16},
      y{3 * std::pow(2.0, -1.5), 3 * std::pow(4.0, -1.5), 3 * std::pow(8.0, -1.5), 3 * std::pow(16.0, -1.5)};
  CHECK(experiments::loglog_slope(x, y) == doctest::Approx(-1.5).epsilon(1e-12));
}

TEST_CASE("the planted member's share of GD's gradient falls like d^{-(k-1)/2}") {
  // At a random unit w, the S-coordinates of grad R_S carry prod_{i in S, i != j} w_i ~ d^{-(k-1)/2};
  // the geometric mean over 100 directions estimates the exponent to about +-0.1.
  for (int k : {4, 6}) {
    CAPTURE(k);
    const auto points = experiments::signal_versus_dimension(k, 0.0, {128, 256, 512, 1024}, 100, 17);
    std::vector<double> d, s;
    for (const auto& p : points) {
      d.push_back(p.d);
      s.push_back(p.planted);
    }
    CHECK(std::abs(experiments::loglog_slope(d, s) + (k - 1) / 2.0) <= 0.25);
  }
}

TEST_CASE("GD with exact answers learns the hidden parity, and needs more steps as d grows") {
  std::vector<std::int64_t> steps;
  for (int d : {8, 16, 32}) {
    const lower_bounds::LiftedParity family({d, 4, 0.0});
    lower_bounds::Subset member(4);
    std::iota(member.begin(), member.end(), 0);
    steps.push_back(experiments::exact_gd_steps_to_learn(family, member, 7, 100000));
    CHECK(steps.back() > 0);
  }
  CHECK(steps[0] < steps[1]);
  CHECK(steps[1] < steps[2]);
}
