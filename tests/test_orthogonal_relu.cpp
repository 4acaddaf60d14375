// Orthogonal ReLU networks: exact orthogonality, normalisation and the exact CSQ answers against
// Monte Carlo.
#include "lower_bounds/orthogonal_relu.hpp"
#include "sq/random.hpp"
#include "sq/relu_queries.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <doctest/doctest.h>

#include <cmath>

using namespace lower_bounds;
using sq::Vector;

TEST_CASE("f_S and f_T are exactly orthogonal for S != T, and E[f_S^2] = 1") {
  for (int k : {2, 4, 6}) {
    CAPTURE(k);
    const OrthogonalRelu family({8, k});
    const Subset S = subset_unrank(3, k);
    CHECK(family.correlation(S, S) == doctest::Approx(1.0).epsilon(1e-12));
    for (std::uint64_t r : {0u, 1u, 5u, 9u}) {
      const Subset T = subset_unrank(r, k);
      if (T == S) continue;
      CHECK(std::abs(family.correlation(S, T)) < 1e-12);
    }
  }
}

TEST_CASE("Monte Carlo: E[f_S^2], E[relu(w.x) f_S] and the half gradient") {
  const OrthogonalRelu family({6, 4});
  const Subset S{0, 2, 3, 5};
  const Vector w = 0.5 * sq::random_unit_vector(6, 3) + Vector::Unit(6, 0) * 0.5;
  boost::random::mt19937_64 engine(11);
  boost::random::normal_distribution<double> normal;
  const long n = 1000000;
  Vector x(6);
  double f2 = 0, f4 = 0, c = 0, c2 = 0, g0 = 0, g0sq = 0;
  for (long i = 0; i < n; ++i) {
    for (int j = 0; j < 6; ++j) x[j] = normal(engine);
    const double f = family.label(x, S), z = w.dot(x);
    f2 += f * f;
    f4 += f * f * f * f;
    c += std::max(0.0, z) * f;
    c2 += std::pow(std::max(0.0, z) * f, 2);
    const double g = z > 0 ? (z - f) * x[0] : 0.0;
    g0 += g;
    g0sq += g * g;
  }
  auto se = [n](double s, double s2) { return std::sqrt((s2 / n - std::pow(s / n, 2)) / n); };
  CHECK(std::abs(f2 / n - 1.0) <= 6 * se(f2, f4));
  CHECK(std::abs(c / n - family.relu_correlation(w, S)) <= 6 * se(c, c2));
  CHECK(std::abs(g0 / n - family.half_gradient(w, S)[0]) <= 6 * se(g0, g0sq));
}

TEST_CASE("the best single ReLU and the parameters' validation") {
  const OrthogonalRelu family({8, 4});
  CHECK(family.rho() > 0.0);
  CHECK(family.rho() < 0.5);  // a single unit sees only a small part of the network
  const Subset S{0, 1, 2, 3};
  // No random unit direction correlates better than rho.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) CHECK(family.relu_correlation(sq::random_unit_vector(8, seed), S) <= family.rho() + 1e-12);
  CHECK_THROWS_WITH_AS(OrthogonalRelu({8, 3}), doctest::Contains("k = 3: must be even"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(OrthogonalRelu({3, 4}), doctest::Contains("must not exceed dim = 3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(OrthogonalRelu({30, 12}), doctest::Contains("at most 10"), std::invalid_argument);
  OrthogonalReluOracle oracle(family, S);
  const Vector w = sq::random_unit_vector(8, 2);
  CHECK(oracle.answer(sq::square_loss_query(w, 2.0), 0.1).value == doctest::Approx(family.loss(w, S) / 2));
}
