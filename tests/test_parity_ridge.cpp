// Exact answers of the lifted parity to any one-direction query (ParityRidge) against independent
// computations: closed forms, the ReLU correlation of ParityCorrelation (a Fourier integral on a
// log grid), adaptive 2-D quadrature in scipy, and Monte Carlo with 6-sigma error bars; the pruning
// bounds on every member and the exposure's Hermite series (test_pruned_exposure.cpp holds the
// heavy-subset search and the pruned exposure against brute force).
#include "all_members.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/random.hpp"
#include "subprocess.hpp"

#include <doctest/doctest.h>
#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <numbers>
#include <sstream>

using namespace sqsim;

using namespace lower_bounds;
using sq::Vector;
using testing::all_members;

namespace {

const double kPi = std::numbers::pi;

// Monte Carlo of E[h(w.x) chi_T(sign x)] and E[h(w.x) x chi_T(sign x)] with their standard errors.
struct MonteCarlo {
  double mean = 0.0, error = 0.0;
  Vector vector_mean, vector_error;
};
MonteCarlo monte_carlo(const std::function<double(double)>& h, const Vector& w, const Subset& T, int n, std::uint64_t seed) {
  sq::Engine engine(seed);
  boost::random::normal_distribution<double> normal;
  const auto d = w.size();
  Vector x(d), sum = Vector::Zero(d), sum2 = Vector::Zero(d);
  double s = 0.0, s2 = 0.0;
  for (int i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) x[j] = normal(engine);
    double chi = 1.0;
    for (int j : T) chi *= x[j] > 0.0 ? 1.0 : -1.0;
    const double v = h(w.dot(x)) * chi;
    s += v;
    s2 += v * v;
    sum += v * x;
    sum2 += (v * x).cwiseAbs2();
  }
  MonteCarlo m;
  m.mean = s / n;
  m.error = std::sqrt((s2 / n - m.mean * m.mean) / n);
  m.vector_mean = sum / n;
  m.vector_error = ((sum2 / n - m.vector_mean.cwiseAbs2()) / n).cwiseSqrt();
  return m;
}

}  // namespace

TEST_CASE("ParityRidge against closed forms: E[z^4 chi_S] = 24 prod w_i (2/pi)^2, E[z^3 |x_1| sign x_2]") {
  Vector w(6);
  w << 0.3, -0.5, 0.2, 0.4, 0.1, 0.6;
  const ParityRidge quartic([](double z) { return z * z * z * z; }, {}, w.norm(), 5);
  CHECK(quartic.mixed(w, Subset{0, 1, 2, 3}) == doctest::Approx(24 * 0.3 * -0.5 * 0.2 * 0.4 * std::pow(2 / kPi, 2)).epsilon(1e-12));
  // Degree below k: no correlation with a k-parity.
  const ParityRidge cubic([](double z) { return z * z * z; }, {}, w.norm(), 5);
  CHECK(std::abs(cubic.mixed(w, Subset{0, 1, 2, 3})) < 1e-14);
  // k = 2, h = z^3: E[z^3 x_1 chi_{0,1}] = (12 w1^2 w2 + 4 w2^3 + 6 w2 sigma^2)/pi (expanding the cube; E|X| = sqrt(2/pi),
  // E|X|^3 = 2 sqrt(2/pi)), and E[z^3 x_j chi] = 3 w_j E[z^2 chi] = 3 w_j (4/pi) w1 w2 off S.
  const ParityRidge cube([](double z) { return z * z * z; }, {}, w.norm(), 3);
  const double w1 = w[0], w2 = w[1], sigma2 = w.squaredNorm() - w1 * w1 - w2 * w2;
  const Vector v = cube.mixed_vector(w, Subset{0, 1});
  CHECK(v[0] == doctest::Approx((12 * w1 * w1 * w2 + 4 * w2 * w2 * w2 + 6 * w2 * sigma2) / kPi).epsilon(1e-12));
  CHECK(v[1] == doctest::Approx((12 * w2 * w2 * w1 + 4 * w1 * w1 * w1 + 6 * w1 * sigma2) / kPi).epsilon(1e-12));
  for (int j = 2; j < 6; ++j) CHECK(v[j] == doctest::Approx(3 * w[j] * 4 / kPi * w1 * w2).epsilon(1e-12));
  const Vector c = Vector::LinSpaced(6, -1.0, 1.5);
  CHECK(cube.mixed_linear(w, Subset{0, 1}, c) == doctest::Approx(c.dot(v)).epsilon(1e-12));
}

TEST_CASE("ParityRidge against ParityCorrelation: relu and its gradient for k = 2..16, also with w inside S") {
  for (int k : {2, 4, 8, 16}) {
    for (double off : {0.9, 0.3, 1e-3, 0.0}) {
      CAPTURE(k);
      CAPTURE(off);
      const int d = k + 3;
      Vector w(d);
      for (int j = 0; j < d; ++j) w[j] = (j < k ? 1.0 : off) * std::sin(1.7 * j + 0.4);
      Subset S(static_cast<std::size_t>(k));
      for (int i = 0; i < k; ++i) S[static_cast<std::size_t>(i)] = i;
      const ParityCorrelation closed(w);
      const ParityRidge relu([](double z) { return std::max(z, 0.0); }, {}, w.norm(), k + 1);
      CHECK(std::abs(relu.mixed(w, S) - closed.value(S)) <= 1e-12);
      // grad R_S = E[relu'(w.x) x chi_S]: the vector identity with h = step.
      const ParityRidge step([](double z) { return z > 0.0 ? 1.0 : 0.0; }, {}, w.norm(), k + 1);
      CHECK((step.mixed_vector(w, S) - closed.gradient(S)).lpNorm<Eigen::Infinity>() <= 1e-11);
    }
  }
}

TEST_CASE("ParityRidge against adaptive 2-D quadrature (scipy) for k = 2 with w inside S (the corner case)") {
  // h with a kink at 0 (and a |z|^3 term), a jump at 1.1 and a shifted tanh: every regime of the method.
  const auto h = [](double z) { return std::abs(z) * std::cos(z) + std::tanh(z - 0.3) + (z > 1.1 ? 1.0 : 0.0); };
  for (double w1 : {0.6, 0.3}) {
    CAPTURE(w1);
    Vector w(3);
    w << w1, -0.8, 0.0;
    const ParityRidge ridge(h, {1.1}, w.norm(), 3);
    std::ostringstream a, b;
    a.precision(17);
    b.precision(17);
    a << w[0];
    b << w[1];
    const testing::ProcessOutcome o = testing::run_process(
        SQSIM_REFERENCE_PYTHON, {std::string(SQSIM_TEST_SOURCE_DIR) + "/reference/parity_ridge_k2.py", a.str(), b.str()});
    REQUIRE(o.exit_code == 0);
    const double reference = std::stod(o.out);
    CHECK(std::abs(ridge.mixed(w, Subset{0, 1}) - reference) <= 1e-9);
  }
}

TEST_CASE("ParityRidge against Monte Carlo (6 sigma): threshold, tanh and a user's kinked g, scalar and vector, k = 2 and 4") {
  struct Case {
    const char* name;
    std::function<double(double)> h;
    std::vector<double> breakpoints;
  };
  const std::vector<Case> cases{{"threshold 0.7", [](double z) { return z > 0.7 ? 1.0 : 0.0; }, {0.7}},
                                {"tanh(2z)", [](double z) { return std::tanh(2.0 * z); }, {}},
                                {"|z - 0.4| + 0.3 z^2", [](double z) { return std::abs(z - 0.4) + 0.3 * z * z; }, {0.4}}};
  for (int k : {2, 4}) {
    for (bool inside : {false, true}) {
      Vector w(6);
      w << 0.5, -0.5, 0.4, 0.4, 0.3, 0.3;
      if (inside) w.tail(6 - k).setZero();
      Subset S(static_cast<std::size_t>(k));
      for (int i = 0; i < k; ++i) S[static_cast<std::size_t>(i)] = i;
      for (const Case& c : cases) {
        CAPTURE(c.name);
        CAPTURE(k);
        CAPTURE(inside);
        const ParityRidge ridge(c.h, c.breakpoints, w.norm(), k + 1);
        const MonteCarlo mc = monte_carlo(c.h, w, S, 1'000'000, 7);
        CHECK(std::abs(ridge.mixed(w, S) - mc.mean) <= 6 * mc.error);
        const Vector v = ridge.mixed_vector(w, S);
        for (Eigen::Index j = 0; j < 6; ++j) CHECK(std::abs(v[j] - mc.vector_mean[j]) <= 6 * mc.vector_error[j] + 1e-12);
      }
    }
  }
}

TEST_CASE("the pruning bounds hold on every member: scalar rho^{k/2} ||h_even>=k||, vector sqrt(B_k(rho)) ||h>=k-1||") {
  const int d = 9;
  const auto h = [](double z) { return std::abs(z - 0.4) + std::tanh(3 * z) - (z > -0.2 ? 0.5 : 0.0); };
  for (int k : {2, 4, 6}) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const Vector w = sq::random_unit_vector(d, seed) * (0.5 + 0.3 * static_cast<double>(seed));
      const ParityRidge ridge(h, {0.4, -0.2}, w.norm(), k + 1);
      const double scalar_tail = ridge.tail_even(w.norm(), k), vector_tail = ridge.tail(w.norm(), k - 1);
      const auto scalar_levels = ridge.scalar_bound(w.norm(), k), vector_levels = ridge.vector_bound(w.norm(), k);
      for (const Subset& S : all_members(d, k)) {
        double rho = 0.0;
        for (int j : S) rho += w[j] * w[j] / w.squaredNorm();
        CHECK(std::abs(ridge.mixed(w, S)) <= scalar_tail * std::pow(rho, 0.5 * k) * (1 + 1e-9) + 1e-15);
        CHECK(ridge.mixed_vector(w, S).norm() <= vector_tail * ParityRidge::vector_bound_factor(k, rho) * (1 + 1e-9) + 1e-15);
        // The level-weighted bounds the exposure uses: valid, and no weaker than the simple ones.
        CHECK(std::abs(ridge.mixed(w, S)) <= scalar_levels(rho) * (1 + 1e-9) + 1e-15);
        CHECK(ridge.mixed_vector(w, S).norm() <= vector_levels(rho) * (1 + 1e-9) + 1e-15);
      }
    }
  }
  // The level-weighted bounds increase with rho (the exposure bisects on them).
  const ParityRidge step([](double z) { return z > 0.0 ? 0.5 : 0.0; }, {}, 1.0, 7);
  for (int k : {2, 4, 6}) {
    const auto s = step.scalar_bound(1.0, k), v = step.vector_bound(1.0, k);
    double ps = 0.0, pv = 0.0;
    for (double rho = 0.0; rho <= 1.0; rho += 0.005) {
      CHECK(s(rho) >= ps - 1e-15);
      CHECK(v(rho) >= pv - 1e-15);
      ps = s(rho);
      pv = v(rho);
    }
  }
  // B_k(rho) <= 1, increasing, and rho^{k-1} below k + 1.
  double previous = 0.0;
  for (double rho = 0.0; rho <= 1.0; rho += 0.01) {
    const double b = ParityRidge::vector_bound_factor(4, rho);
    CHECK(b <= 1.0 + 1e-12);
    CHECK(b >= previous - 1e-15);
    CHECK(b * b >= std::pow(rho, 3) - 1e-15);
    previous = b;
  }
}

TEST_CASE(
    "the exposure's Hermite series: within its stated error of ParityRidge on every member (below 1e-9 for a smooth h), and its per-member "
    "bounds valid") {
  const auto kinked = [](double z) { return std::abs(z - 0.4) + std::tanh(3 * z) - (z > -0.2 ? 0.5 : 0.0); };
  const auto smooth = [](double z) { return std::cos(2 * z); };
  for (int k : {2, 4, 6, 8}) {
    const int d = k + 3;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      // seed 3 leans on the first k coordinates: rho_S near 1, the corner where the series is slowest.
      Vector w = sq::random_unit_vector(d, seed) * (0.5 + 0.3 * static_cast<double>(seed));
      if (seed == 3) w.tail(d - k) *= 0.05;
      const Vector u = w / w.norm(), c = sq::random_unit_vector(d, seed + 10) * 1.7;
      for (bool is_smooth : {true, false}) {
        CAPTURE(k);
        CAPTURE(seed);
        CAPTURE(is_smooth);
        const ParityRidge ridge(is_smooth ? std::function<double(double)>(smooth) : kinked,
                                is_smooth ? std::vector<double>{} : std::vector<double>{0.4, -0.2}, w.norm(), k + 1);
        const ParityRidge::Series series(ridge, w.norm(), k);
        const auto scalar_levels = ridge.scalar_bound(w.norm(), k), vector_levels = ridge.vector_bound(w.norm(), k);
        double largest_error = 0.0;
        for (const Subset& S : all_members(d, k)) {
          const auto scalar = series.scalar(u, S), linear = series.linear(u, S, c);
          double vector_error = 0.0;
          const Vector vector = series.vector(u, S, &vector_error);
          CHECK(std::abs(scalar.value - ridge.mixed(w, S)) <= scalar.error + 1e-12);
          CHECK(std::abs(linear.value - ridge.mixed_linear(w, S, c)) <= linear.error + 1e-12);
          CHECK((vector - ridge.mixed_vector(w, S)).norm() <= vector_error + 1e-12);
          // The per-member bounds: valid, and no weaker than the bounds through rho alone.
          double rho = 0.0;
          for (int j : S) rho += u[j] * u[j];
          CHECK(std::abs(ridge.mixed(w, S)) <= series.scalar_bound(u, S));
          CHECK(ridge.mixed_vector(w, S).norm() <= series.vector_bound(u, S));
          CHECK(series.scalar_bound(u, S) <= scalar_levels(rho) * (1 + 1e-9) + 1e-9);
          CHECK(series.vector_bound(u, S) <= vector_levels(rho) * (1 + 1e-9) + 1e-9);
          largest_error = std::max({largest_error, scalar.error, linear.error, vector_error});
        }
        if (is_smooth) CHECK(largest_error <= 1e-9);
        MESSAGE("k = " << k << ", seed " << seed << (is_smooth ? ", cos 2z" : ", kinked") << ": largest stated error " << largest_error);
      }
    }
  }
}

TEST_CASE("the per-member vector bound given a floor: the bound itself, or a value between it and the floor, and the shortcut taken") {
  // relu's spectrum at |w| = 1 (GD's half-gradient) and a kinked h, over every member of small families
  // and floors from far below to far above the bound.
  const auto relu = [](double z) { return z > 0 ? z : 0.0; };
  const auto kinked = [](double z) { return std::abs(z - 0.4) + std::tanh(3 * z) - (z > -0.2 ? 0.5 : 0.0); };
  for (int k : {2, 4, 6}) {
    const int d = k + 5;
    for (bool is_relu : {true, false}) {
      const ParityRidge ridge(is_relu ? std::function<double(double)>(relu) : kinked,
                              is_relu ? std::vector<double>{} : std::vector<double>{0.4, -0.2}, 1.0, k + 1);
      const ParityRidge::Series series(ridge, 1.0, k);
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        Vector u = sq::random_unit_vector(d, seed);
        if (seed == 3) u.tail(d - k) *= 0.05;  // rho_S near 1 for the first members
        u.normalize();
        std::size_t shortcuts = 0, asked = 0;
        for (const Subset& S : all_members(d, k)) {
          const double exact = series.vector_bound(u, S);
          for (double ratio : {0.0, 0.5, 0.99, 1.0, 1.05, 1.2, 2.0, 10.0}) {
            CAPTURE(k);
            CAPTURE(seed);
            CAPTURE(ratio);
            const double floor = ratio * exact, b = series.vector_bound(u, S, floor);
            ++asked;
            if (b == exact) continue;
            ++shortcuts;
            CHECK(b >= exact);  // still a bound
            CHECK(b <= floor);  // and only where it settles "at most floor"
          }
        }
        CHECK(shortcuts > 0);      // the shortcut is taken (at generous floors)
        CHECK(shortcuts < asked);  // and not where the floor is below the bound
      }
    }
  }
}

TEST_CASE("lifted parity answers a user's one-direction queries: member answers against Monte Carlo, D0 against quadrature") {
  const auto family = LiftedParity::make({6, 4, 0.1});
  Vector w(6);
  w << 0.5, -0.5, 0.4, 0.4, 0.3, 0.3;
  const Subset S{0, 1, 2, 3};
  const auto g = [](const Vector& z, double y) { return 0.3 * std::cos(2 * z[0]) * (2 * y - 1) + 0.1 * y; };
  const auto scalar = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "tanh", sq::Matrix(w), g);
  const auto vector = sq::VectorQuery::ridge_times_x(sq::QueryKind::l2, "tanh-x", sq::Matrix(w), g);
  family->check_bound(scalar);
  family->check_bound(vector);
  // Samples of the member itself (x, then y with the parity and the noise).
  sq::Engine engine(11);
  const int n = 1'000'000;
  double s = 0.0, s2 = 0.0;
  Vector sum = Vector::Zero(6), sum2 = Vector::Zero(6), x(6);
  for (int i = 0; i < n; ++i) {
    const double y = family->sample(engine, S, x);
    const Vector z = sq::Matrix(w).transpose() * x;
    const double v = g(z, y);
    s += v;
    s2 += v * v;
    sum += v * x;
    sum2 += (v * x).cwiseAbs2();
  }
  const double mean = s / n, error = std::sqrt((s2 / n - mean * mean) / n);
  CHECK(std::abs(family->member_answer(scalar, S) - mean) <= 6 * error);
  const Vector vm = sum / n, ve = ((sum2 / n - vm.cwiseAbs2()) / n).cwiseSqrt();
  const Vector answer = family->member_answer(vector, S);
  for (int j = 0; j < 6; ++j) CHECK(std::abs(answer[j] - vm[j]) <= 6 * ve[j]);
  // The member moves the answer by (1 - 2 eta)/2 E[h chi_S] with h = 0.6 cos(2z) + 0.1: visible, not zero.
  CHECK(std::abs(family->member_answer(scalar, S) - family->reference_answer(scalar)) > 1e-3);
  // D0: E[g] = E[0.1 y] = 0.05; the vector E_D0[g x] = u E[gbar(|w| t) t] with gbar = 0.05: zero.
  CHECK(family->reference_answer(scalar) == doctest::Approx(0.05).epsilon(1e-12));
  CHECK(family->reference_answer(vector).norm() < 1e-14);
  // Two directions are refused, never approximated.
  const auto two = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "two", sq::Matrix::Identity(6, 2),
                                                [](const Vector& z, double y) { return 0.1 * z[0] * z[1] * y; });
  CHECK_THROWS_AS(family->member_answer(two, S), sq::QueryRefused);
  // A query that breaks its bound is refused.
  const auto big = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "big", sq::Matrix(w), [](const Vector& z, double) { return 3 + z[0]; });
  CHECK_THROWS_AS(family->check_bound(big), sq::QueryRefused);
}
