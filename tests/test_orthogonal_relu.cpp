// Orthogonal ReLU networks: exact orthogonality, normalisation and the exact CSQ answers against
// Monte Carlo.
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>

using namespace sqsim;

using namespace lower_bounds;
using namespace queries;
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
  sq::Engine engine(11);
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
  const double rho = family.facts().rho;
  CHECK(rho > 0.0);
  CHECK(rho < 0.5);  // a single unit sees only a small part of the network
  const Subset S{0, 1, 2, 3};
  // No random unit direction correlates better than rho.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) CHECK(family.relu_correlation(sq::random_unit_vector(8, seed), S) <= rho + 1e-12);
  CHECK_THROWS_WITH_AS(OrthogonalRelu({8, 3}), doctest::Contains("k = 3: must be even"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(OrthogonalRelu({3, 4}), doctest::Contains("must not exceed dim = 3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(OrthogonalRelu({30, 12}), doctest::Contains("at most 10"), std::invalid_argument);
}

TEST_CASE("facts under D0 (labels independent of x with f_S's law): opt0 = 1 at w = 0, optS = 1 - 2 rho^2") {
  const auto family = OrthogonalRelu::make({8, 4});
  const auto facts = family->facts();
  CHECK(facts.opt0 == 1.0);
  CHECK(family->reference_loss(Vector::Zero(8)) == 1.0);
  const Subset S{1, 3, 4, 6};
  const Vector w = family->optimal_w(S);
  CHECK(w.norm() <= 1.0 + 1e-15);
  CHECK(family->loss(w, S) == doctest::Approx(facts.optS).epsilon(1e-12));
  CHECK(facts.optS == doctest::Approx(1 - 2 * facts.rho * facts.rho).epsilon(1e-12));
  CHECK(facts.gap == doctest::Approx(2 * facts.rho * facts.rho).epsilon(1e-12));
  // Every loss is at least opt0 - gap under a member, and D0's loss never drops below opt0.
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Vector probe = sq::random_unit_vector(8, seed) * 0.3;
    CHECK(family->reference_loss(probe) >= facts.opt0);
    CHECK(family->loss(probe, S) >= facts.optS - 1e-12);
  }
}

TEST_CASE("member answers against Monte Carlo (half gradient, relu correlation, character) and the square loss refused") {
  const auto family = OrthogonalRelu::make({6, 2});
  const Subset S{1, 4};
  lower_bounds::MemberOracle oracle(family, S);
  const Vector w = 0.6 * sq::random_unit_vector(6, 5);
  sq::Engine engine(21);
  const long n = 1000000;
  Vector x(6);
  double c = 0, c2 = 0, chi = 0, chi2 = 0;
  for (long i = 0; i < n; ++i) {
    const double y = family->sample(engine, S, x);
    const double a = y * std::max(0.0, w.dot(x)), b = y * (x[1] > 0 ? 1 : -1) * (x[4] > 0 ? 1 : -1);
    c += a;
    c2 += a * a;
    chi += b;
    chi2 += b * b;
  }
  auto se = [n](double s, double s2) { return std::sqrt((s2 / n - std::pow(s / n, 2)) / n); };
  CHECK(std::abs(oracle.answer(queries::relu_correlation(w, 1.0), 0.1).value - c / n) <= 6 * se(c, c2));
  CHECK(std::abs(oracle.answer(queries::character(6, S), 0.1).value - chi / n) <= 6 * se(chi, chi2));
  CHECK(family->character_correlation() > 0.1);  // the parity itself is visible to a correlational query
  CHECK(oracle.answer(queries::character(6, {1, 3}), 0.1).value == 0.0);
  CHECK((oracle.answer(queries::half_gradient(w, 2.0), 0.1).value - family->half_gradient(w, S) / 2).norm() < 1e-15);
  CHECK_THROWS_WITH_AS(oracle.answer(queries::square_loss(w, 2.0), 0.1), doctest::Contains("answers exactly only"), sq::QueryRefused);
}

TEST_CASE("any one-direction correlational query h(w.x) y: against the closed form and Monte Carlo, and 0 under D0") {
  for (int k : {2, 4}) {
    CAPTURE(k);
    const auto family = OrthogonalRelu::make({7, k});
    Subset S(static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) S[static_cast<std::size_t>(i)] = 2 * i % 7;
    std::sort(S.begin(), S.end());
    const Vector w = 0.8 * sq::random_unit_vector(7, 11) + 0.5 * parity_relu_direction(7, S);
    const sq::Matrix W(w);
    // h = relu (|h| is not <= 1, so not a legal query, but its value is the closed form relu_correlation).
    const auto relu_query = sq::ScalarQuery::correlational("relu", W, [](const Vector& z) { return std::max(0.0, z[0]); });
    CHECK(std::abs(family->member_answer(relu_query, S) - family->relu_correlation(w, S)) <= 1e-10);
    CHECK_THROWS_AS(family->check_bound(relu_query), sq::QueryRefused);
    // h with a jump and h smooth: against Monte Carlo (6 standard errors).
    const auto step =
        sq::ScalarQuery::correlational("step", W, [](const Vector& z) { return z[0] > 0.3 ? 1.0 : -0.5; }, {sq::Breakpoint{0, 0.3}});
    const auto smooth = sq::ScalarQuery::correlational("tanh", W, [](const Vector& z) { return std::tanh(2.0 * z[0]); });
    CHECK_NOTHROW(family->check_bound(step));
    CHECK(family->reference_answer(step) == 0.0);
    sq::Engine engine(31 + static_cast<std::uint64_t>(k));
    const long n = 1000000;
    Vector x(7);
    double s1 = 0, s1sq = 0, s2 = 0, s2sq = 0;
    for (long i = 0; i < n; ++i) {
      const double y = family->sample(engine, S, x), z = w.dot(x);
      const double a = (z > 0.3 ? 1.0 : -0.5) * y, b = std::tanh(2.0 * z) * y;
      s1 += a;
      s1sq += a * a;
      s2 += b;
      s2sq += b * b;
    }
    auto se = [n](double s, double s2_) { return std::sqrt((s2_ / n - std::pow(s / n, 2)) / n); };
    CHECK(std::abs(family->member_answer(step, S) - s1 / n) <= 6 * se(s1, s1sq));
    CHECK(std::abs(family->member_answer(smooth, S) - s2 / n) <= 6 * se(s2, s2sq));
    // Through the adversary: every member's exposure decided from these exact answers (exhaustive).
    lower_bounds::AdversarialOracle adversary(family, {});
    CHECK(adversary.answer(step, 0.05).value == 0.0);
  }
}
