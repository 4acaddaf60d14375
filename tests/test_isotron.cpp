// Isotron (algorithms/isotron.hpp): its isotonic fit against the min-max formula, its queries as the
// header counts them, and a run on every label model through the exact and the sample oracle.
#include "sqsim/algorithms/isotron.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

using namespace sqsim;

namespace {

// The weighted isotonic regression in closed form (Barlow et al. 1972): fit_i = max_{j <= i} min_{k >= i}
// of the weighted mean of values j..k. O(n^3), independent of pool adjacent violators.
std::vector<double> min_max_fit(const std::vector<double>& v, const std::vector<double>& w) {
  const std::size_t n = v.size();
  std::vector<double> fit(n);
  for (std::size_t i = 0; i < n; ++i) {
    double best = -1e300;
    for (std::size_t j = 0; j <= i; ++j) {
      double lowest = 1e300;
      for (std::size_t k = i; k < n; ++k) {
        double sum = 0.0, weight = 0.0;
        for (std::size_t m = j; m <= k; ++m) sum += w[m] * v[m], weight += w[m];
        lowest = std::min(lowest, sum / weight);
      }
      best = std::max(best, lowest);
    }
    fit[i] = best;
  }
  return fit;
}

}  // namespace

TEST_CASE("isotonic_fit is the weighted least-squares nondecreasing fit (the min-max formula)") {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> value(-1.0, 1.0), weight(0.1, 2.0);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + trial % 13;
    std::vector<double> v(n), w(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = value(rng) + 0.1 * static_cast<double>(i), w[i] = weight(rng);
    const std::vector<double> fit = algorithms::isotonic_fit(v, w), reference = min_max_fit(v, w);
    CAPTURE(trial);
    REQUIRE(fit.size() == n);
    for (std::size_t i = 0; i < n; ++i) CHECK(fit[i] == doctest::Approx(reference[i]).epsilon(1e-12));
    CHECK(std::is_sorted(fit.begin(), fit.end()));
  }
  CHECK(algorithms::isotonic_fit({3, 1, 2}, {1, 1, 1}) == std::vector<double>{2, 2, 2});
  CHECK_THROWS_WITH_AS(algorithms::isotonic_fit({1, 2}, {1, 0}), doctest::Contains("weight"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(algorithms::Isotron({1e-3, 1}), doctest::Contains("bins"), std::invalid_argument);
}

TEST_CASE("isotron asks what its header counts: E[y x] and E[y] once, bins - 1 thresholds and one update per step, two per candidate") {
  const oracles::ReluWorld world({oracles::LabelModel::relu, sq::random_unit_vector(6, 3), 0.0});
  const oracles::Population population(world);
  for (int bins : {2, 6, 12}) {
    algorithms::IsotronParams params;
    params.tolerance = 1e-3;
    params.bins = bins;
    params.max_iterations = 3;
    algorithms::Isotron isotron(params);
    oracles::ExactOracle exact(world);
    const sq::RunResult r = sq::run(isotron, exact, {}, &population);
    CAPTURE(bins);
    REQUIRE(r.status == sq::RunStatus::completed);
    // The binned link is a step function, not relu: the residual along v stays above its error bound,
    // so all three steps are taken and a fourth candidate follows the third.
    REQUIRE(isotron.iterations() == 3);
    CHECK(r.spent.vector_queries == 1 + 3);
    CHECK(r.spent.scalar_queries == 1 + 3 * (bins - 1) + 2 * 4);
    // Truthful answers: the first candidate is 2 E[relu(v^.x) relu(v.x)] v^ = v itself (loss 0), and the
    // selection keeps it up to rounding.
    CHECK(*r.loss - *r.opt <= 1e-12);
  }
}

TEST_CASE("isotron on every label model, through the exact and the sample oracle") {
  for (const char* labels : {"relu", "noisy-relu", "clipped-relu", "agnostic", "band", "mirror"}) {
    const oracles::ReluWorld world({oracles::parse_label_model(labels), sq::random_unit_vector(5, 8), 0.1});
    const oracles::Population population(world);
    algorithms::IsotronParams params;
    params.tolerance = 0.05;
    params.max_iterations = 2;
    params.bins = 4;
    oracles::ExactOracle exact(world);
    oracles::SampleOracle sample(world, {0.05, 3, 2});
    for (sq::Oracle* oracle : {static_cast<sq::Oracle*>(&exact), static_cast<sq::Oracle*>(&sample)}) {
      algorithms::Isotron isotron(params);
      const sq::RunResult r = sq::run(isotron, *oracle, {}, &population);
      CAPTURE(labels);
      CAPTURE(oracle->name());
      CHECK(r.status == sq::RunStatus::completed);
      CHECK(r.spent.vector_queries == 1 + isotron.iterations());
      CHECK(r.spent.scalar_queries >= 1 + 2);  // E[y x]'s candidate: a ReluCorrelation and a SquareLoss
      CHECK(*r.loss - *r.opt >= -1e-9);
    }
  }
}
