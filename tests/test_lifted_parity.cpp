// The lifted sparse parity family: R_S and its gradient against scipy (1e-10), Monte Carlo and the
// Hermite series; the population facts rho_k, opt0, optS, gap; the sampler; subset ranking.
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/random/normal_distribution.hpp>
#include "subprocess.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <sstream>

using namespace sqsim;

using namespace lower_bounds;
using namespace queries;
using sq::Vector;

namespace {

std::vector<double> scipy_reference(const Subset& s, const Vector& w) {
  std::ostringstream subset, direction;
  direction.precision(17);
  for (std::size_t i = 0; i < s.size(); ++i) subset << (i ? "," : "") << s[i];
  for (Eigen::Index i = 0; i < w.size(); ++i) direction << (i ? "," : "") << w[i];
  const testing::ProcessOutcome o = testing::run_process(
      SQSIM_REFERENCE_PYTHON, {std::string(SQSIM_TEST_SOURCE_DIR) + "/reference/parity_correlation.py", subset.str(), direction.str()});
  REQUIRE_MESSAGE(o.exit_code == 0, "reference failed: " << o.err);
  std::istringstream in(o.out);
  std::vector<double> values;
  for (double v; in >> v;) values.push_back(v);
  REQUIRE(values.size() == static_cast<std::size_t>(w.size()) + 1);
  return values;
}

struct Estimate {
  double mean, se;
};

// Monte Carlo of E[f(x)] for x ~ N(0, I_d), with its standard error.
template <class F>
Estimate monte_carlo(int d, long n, std::uint64_t seed, F f) {
  sq::Engine engine(seed);
  boost::random::normal_distribution<double> normal;
  Vector x(d);
  double sum = 0, sum_sq = 0;
  for (long i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) x[j] = normal(engine);
    const double v = f(x);
    sum += v;
    sum_sq += v * v;
  }
  const double mean = sum / n;
  return {mean, std::sqrt((sum_sq / n - mean * mean) / n)};
}

double chi(const Subset& s, const Vector& x) {
  double c = 1;
  for (int j : s) c *= x[j] > 0 ? 1 : -1;
  return c;
}

}  // namespace

TEST_CASE("R_S and its gradient agree with scipy's adaptive quadrature to 1e-10 (k = 2, 4, 6)") {
  for (int k : {2, 4, 6}) {
    CAPTURE(k);
    const int d = k + 3;
    Subset s;
    for (int j = 0; j < k; ++j) s.push_back(j);
    for (std::uint64_t seed : {1u, 2u}) {
      const Vector w = 0.8 * sq::random_unit_vector(d, seed + 10 * k);
      const auto reference = scipy_reference(s, w);
      ParityCorrelation correlation(w);
      const auto parts = correlation.evaluate(s);
      CHECK(std::abs(parts.value - reference[0]) <= 1e-10);
      const Vector g = correlation.gradient(s);
      for (int j = 0; j < d; ++j) CHECK(std::abs(g[j] - reference[static_cast<std::size_t>(j) + 1]) <= 1e-10);
      // Euler: R_S is 1-homogeneous, so w . grad R_S = R_S.
      CHECK(std::abs(w.dot(g) - parts.value) <= 1e-12);
    }
  }
}

TEST_CASE("R_S and its gradient against Monte Carlo (6-sigma)") {
  const int d = 7;
  for (int k : {2, 4, 6}) {
    CAPTURE(k);
    Subset s;
    for (int j = 0; j < k; ++j) s.push_back(j);
    // A direction concentrated on S, so the signal is well above the Monte Carlo noise.
    Vector w = parity_relu_direction(d, s) + 0.3 * sq::random_unit_vector(d, static_cast<std::uint64_t>(k));
    ParityCorrelation correlation(w);
    const auto mc = monte_carlo(d, 1000000, 5 + k, [&](const Vector& x) { return std::max(0.0, w.dot(x)) * chi(s, x); });
    CHECK(std::abs(correlation.value(s) - mc.mean) <= 6 * mc.se);
    const Vector g = correlation.gradient(s);
    for (int j : {0, k - 1, d - 1}) {
      const auto mcg = monte_carlo(d, 1000000, 50 + k + j, [&](const Vector& x) { return (w.dot(x) > 0 ? x[j] : 0.0) * chi(s, x); });
      CHECK(std::abs(g[j] - mcg.mean) <= 6 * mcg.se);
    }
  }
}

TEST_CASE("rho_k against the Hermite series of relu and sign (DESIGN.md coefficients)") {
  // rho = sum_n c_n sqrt(n!) k^{-n/2} [t^n] P(t)^k, P(t) = sum_{m odd} b_m t^m / sqrt(m!), times the
  // sign of prod_j u_j. The series converges like N^{-3/2}; the tail is bounded by twice the last
  // doubling's change.
  for (int k : {2, 4, 6, 8}) {
    CAPTURE(k);
    auto partial = [k](int N) {
      std::vector<long double> P(static_cast<std::size_t>(N) + 1, 0.0L), Q(static_cast<std::size_t>(N) + 1, 0.0L);
      for (int j = 0; 2 * j + 1 <= N; ++j) {  // b_{2j+1}/sqrt((2j+1)!) = (-1)^j 2 / (sqrt(2 pi) (2j+1) 2^j j!)
        long double v = 2.0L / std::sqrt(2.0L * std::numbers::pi_v<long double>) / (2 * j + 1);
        for (int i = 1; i <= j; ++i) v /= 2.0L * i;
        P[static_cast<std::size_t>(2 * j + 1)] = (j % 2 ? -v : v) / std::pow(static_cast<long double>(k), (2 * j + 1) / 2.0L);
      }
      Q[0] = 1.0L;
      for (int r = 0; r < k; ++r) {
        std::vector<long double> next(Q.size(), 0.0L);
        for (int a = 0; a <= N; ++a)
          if (Q[static_cast<std::size_t>(a)] != 0.0L)
            for (int b = 1; a + b <= N; b += 2)
              next[static_cast<std::size_t>(a + b)] += Q[static_cast<std::size_t>(a)] * P[static_cast<std::size_t>(b)];
        Q.swap(next);
      }
      // c_n sqrt(n!) = (-1)^{m-1} (2m-3)!! / sqrt(2 pi) for n = 2m >= 2 (odd n > 1 vanish; n <= 1 do not pair with odd parts).
      long double sum = 0.0L, a = 1.0L / std::sqrt(2.0L * std::numbers::pi_v<long double>);  // m = 1: (−1)!! = 1
      for (int m = 1; 2 * m <= N; ++m) {
        if (m >= 2) a *= (2 * m - 3);
        sum += (m % 2 ? a : -a) * Q[static_cast<std::size_t>(2 * m)];
      }
      return static_cast<double>(std::abs(sum));
    };
    const double s1 = partial(600), s2 = partial(1200);
    const LiftedParity family({k + 2, k, 0.0});
    MESSAGE("k = " << k << ": rho_k = " << family.facts().rho << ", Hermite partial sum (1200) = " << s2);
    CHECK(std::abs(family.facts().rho - s2) <= 2 * std::abs(s2 - s1) + 1e-12);
    CHECK(std::abs(s2 - s1) < 1e-3 * family.facts().rho);  // the series has converged well enough to mean something
  }
}

TEST_CASE("population facts: opt0, optS, gap, and the optimum is stationary") {
  for (int k : {2, 4, 6}) {
    for (double eta : {0.0, 0.2}) {
      CAPTURE(k);
      CAPTURE(eta);
      const LiftedParity family({10, k, eta});
      const auto& f = family.facts();
      CHECK(f.opt0 == doctest::Approx(0.5 - 1.0 / (4 * std::numbers::pi)).epsilon(1e-15));
      Subset s;
      for (int j = 0; j < k; ++j) s.push_back(j + 1);
      const Vector w_star = family.optimal_w(s);
      CHECK(std::abs(family.loss(w_star, s) - f.optS) <= 1e-12);
      CHECK(f.gap > 0);
      CHECK(
          f.gap ==
          doctest::Approx((1 - 2 * eta) * f.rho / std::sqrt(2 * std::numbers::pi) + std::pow((1 - 2 * eta) * f.rho, 2) / 2).epsilon(1e-12));
      // Stationary inside the ball: the gradient vanishes.
      CHECK((2.0 * family.half_gradient(w_star, s)).norm() <= 1e-10);
      // Better than random nearby points in the ball and than D0's optimum in any direction off S.
      for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        Vector probe = w_star + 0.05 * sq::random_unit_vector(10, seed);
        if (probe.norm() > 1) probe /= probe.norm();
        CHECK(family.loss(probe, s) >= f.optS - 1e-12);
      }
      CHECK(family.loss(sq::random_unit_vector(10, 3) / std::sqrt(2 * std::numbers::pi), s) > f.optS);
    }
  }
}

TEST_CASE("the sampler draws D_S: Monte Carlo loss and gradient match the exact values") {
  const LiftedParity family({6, 4, 0.1});
  const Subset s{0, 2, 3, 5};
  const Vector w = family.optimal_w(s) + 0.2 * sq::random_unit_vector(6, 9);
  sq::Engine engine(4);
  Vector x(6);
  const long n = 1000000;
  double sum = 0, sum_sq = 0;
  Vector g = Vector::Zero(6);
  for (long i = 0; i < n; ++i) {
    const double y = family.sample(engine, s, x);
    const double z = w.dot(x), r = std::max(0.0, z) - y;
    sum += r * r;
    sum_sq += r * r * r * r;
    if (z > 0) g += r * x;
  }
  const double mean = sum / n, se = std::sqrt((sum_sq / n - mean * mean) / n);
  CHECK(std::abs(family.loss(w, s) - mean) <= 6 * se);
  // Each gradient coordinate has standard deviation below 1 (|r| <= 1.x, E x_j^2 = 1): 6/sqrt(n).
  CHECK((family.half_gradient(w, s) - g / n).cwiseAbs().maxCoeff() <= 6.0 / std::sqrt(static_cast<double>(n)) * 1.5);
}

TEST_CASE("subset ranks: binomial counts and rank/unrank round trip") {
  CHECK(binomial(50, 4) == 230300.0);
  CHECK(binomial_saturating(64, 6) == 74974368u);
  CHECK(binomial_saturating(200, 100) == std::numeric_limits<std::uint64_t>::max());
  for (std::uint64_t r = 0; r < binomial_saturating(9, 4); ++r) CHECK(subset_rank(subset_unrank(r, 4)) == r);
  const auto sample = random_subsets(30, 3, 100, 7);
  CHECK(sample.size() == 100);
  for (std::size_t i = 1; i < sample.size(); ++i) CHECK(subset_rank(sample[i - 1]) < subset_rank(sample[i]));
  CHECK(random_subsets(30, 3, 100, 7) == sample);
}

TEST_CASE("bad family parameters name the value") {
  CHECK_THROWS_WITH_AS(LiftedParity({10, 3, 0.0}), doctest::Contains("k = 3: must be even"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(LiftedParity({4, 6, 0.0}), doctest::Contains("must not exceed dim = 4"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(LiftedParity({10, 0, 0.0}), doctest::Contains("k = 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(LiftedParity({10, 2, 0.5}), doctest::Contains("noise = 0.5"), std::invalid_argument);
}

TEST_CASE("largest_correlations over the whole family (pruned by rho_S) equals the scan of every member") {
  // Families above the 1024 heaviest members that the search evaluates first, so that the pruning acts.
  for (const auto& [d, k] : {std::pair{48, 2}, std::pair{18, 4}, std::pair{14, 6}}) {
    CAPTURE(d);
    CAPTURE(k);
    LiftedParity family({d, k, 0.1});
    REQUIRE(family.size() > 1024);
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      CAPTURE(seed);
      // Random directions, and directions leaning on one member (a few members far above the rest).
      Vector u = sq::random_unit_vector(d, seed);
      if (seed > 2) {
        Subset lean(static_cast<std::size_t>(k));
        std::iota(lean.begin(), lean.end(), static_cast<int>(seed));
        u += 2.0 * parity_relu_direction(d, lean);
      }
      const ParityCorrelation correlation(u.normalized());
      double value = 0.0, gradient = 0.0;
      for (std::uint64_t r = 0; r < family.size(); ++r) {
        const Subset s = subset_unrank(r, k);
        const auto parts = correlation.evaluate(s);
        value = std::max(value, std::abs(parts.value));
        gradient = std::max(gradient, correlation.gradient_norm_l2(s, parts));
      }
      const auto [pruned_value, pruned_gradient] = family.largest_correlations(u, MemberSet::all(family.size()), 2);
      CHECK(pruned_value == doctest::Approx(value).epsilon(1e-14));
      CHECK(pruned_gradient == doctest::Approx(gradient).epsilon(1e-14));
      CHECK(value > 0.0);
    }
  }
}
