// The Gaussian quadrature (numerics/) against values known independently of it.
#include "sqsim/numerics/gaussian_quadrature.hpp"

#include <doctest/doctest.h>
#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <numbers>

using namespace sqsim;

using numerics::Hyperplane;
using numerics::integrate_gaussian;

namespace {
double integrate(int k, const std::vector<Hyperplane>& breaks, const std::function<double(const double*)>& f) {
  double sum = 0.0;
  integrate_gaussian(
      k, breaks, 1, [&](const double* t, double w, double* acc) { acc[0] += w * f(t); }, &sum);
  return sum;
}
double upper_tail(double z) { return boost::math::cdf(boost::math::complement(boost::math::normal(), z)); }
}  // namespace

TEST_CASE("Gaussian moments in one and two dimensions") {
  CHECK(integrate(1, {}, [](const double*) { return 1.0; }) == doctest::Approx(1.0).epsilon(1e-13));
  CHECK(integrate(1, {}, [](const double* t) { return std::pow(t[0], 4); }) == doctest::Approx(3.0).epsilon(1e-13));
  CHECK(integrate(2, {}, [](const double* t) { return t[0] * t[0] * t[1] * t[1]; }) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(integrate(2, {}, [](const double* t) { return std::pow(t[0] + t[1], 6); }) == doctest::Approx(15.0 * 8.0).epsilon(1e-12));
  CHECK(integrate(0, {}, [](const double*) { return 2.5; }) == 2.5);
}

TEST_CASE("kinks through the origin: E|t| and the arc-cosine kernel") {
  const double abs_mean = integrate(1, {Hyperplane{{1.0, 0.0}, 0.0}}, [](const double* t) { return std::abs(t[0]); });
  CHECK(std::abs(abs_mean - std::sqrt(2.0 / std::numbers::pi)) < 1e-13);
  // E[relu(a.t) relu(b.t)] = |a||b| (sin th + (pi - th) cos th) / (2 pi)
  const double a[2] = {1.0, 0.3}, b[2] = {-0.4, 0.9};
  const double th = std::acos((a[0] * b[0] + a[1] * b[1]) / (std::hypot(a[0], a[1]) * std::hypot(b[0], b[1])));
  const double kernel =
      std::hypot(a[0], a[1]) * std::hypot(b[0], b[1]) * (std::sin(th) + (std::numbers::pi - th) * std::cos(th)) / (2.0 * std::numbers::pi);
  const double value = integrate(2, {Hyperplane{{a[0], a[1]}, 0.0}, Hyperplane{{b[0], b[1]}, 0.0}}, [&](const double* t) {
    return std::max(0.0, a[0] * t[0] + a[1] * t[1]) * std::max(0.0, b[0] * t[0] + b[1] * t[1]);
  });
  CHECK(std::abs(value - kernel) < 1e-13);
}

TEST_CASE("discontinuities away from the origin: half-plane and strip probabilities") {
  for (double level : {0.3, -1.2, 2.5, 0.001}) {
    CAPTURE(level);
    const Hyperplane h{{0.6, 0.8}, level};  // unit normal, so P(n.t > c) = Q(c)
    const double p = integrate(2, {h}, [&](const double* t) { return 0.6 * t[0] + 0.8 * t[1] > level ? 1.0 : 0.0; });
    CHECK(std::abs(p - upper_tail(level)) < 1e-12);
    const double p1 = integrate(1, {Hyperplane{{2.0, 0.0}, level}}, [&](const double* t) { return 2.0 * t[0] > level ? 1.0 : 0.0; });
    CHECK(std::abs(p1 - upper_tail(level / 2.0)) < 1e-13);
  }
  // A strip between two parallel lines and a wedge cut by an offset line.
  const double strip = integrate(2, {Hyperplane{{1.0, 1.0}, -0.5}, Hyperplane{{1.0, 1.0}, 1.0}}, [](const double* t) {
    const double s = t[0] + t[1];
    return s > -0.5 && s < 1.0 ? 1.0 : 0.0;
  });
  CHECK(std::abs(strip - (upper_tail(-0.5 / std::sqrt(2.0)) - upper_tail(1.0 / std::sqrt(2.0)))) < 1e-12);
}

TEST_CASE("Gauss–Legendre rules are exact to degree 2n - 1 and the wide rule reproduces Hermite norms") {
  for (int n : {1, 2, 7, 20, 64}) {
    CAPTURE(n);
    const numerics::Rule& rule = numerics::legendre(n);
    REQUIRE(rule.x.size() == static_cast<std::size_t>(n));
    for (int degree : {0, 2 * n - 2}) {  // int_{-1}^{1} t^m dt = 2/(m + 1) for even m
      double sum = 0.0;
      for (std::size_t i = 0; i < rule.x.size(); ++i) sum += rule.w[i] * std::pow(rule.x[i], degree);
      CHECK(std::abs(sum - 2.0 / (degree + 1)) < 1e-13);
    }
  }
  // E[He_m(Z)^2] = m! for m <= 17, the highest level ParityRidge's spectra use, with a cut at 0.7.
  for (int m : {0, 5, 17}) {
    CAPTURE(m);
    double sum = 0.0;
    numerics::for_each_wide_node({0.7}, [&](double z, double weight) {
      double previous = 1.0, current = z;  // He_0, He_1
      for (int l = 1; l < m; ++l) {
        const double next = z * current - l * previous;
        previous = current;
        current = next;
      }
      const double he = m == 0 ? 1.0 : current;
      sum += weight * he * he;
    });
    CHECK(sum == doctest::Approx(std::tgamma(m + 1.0)).epsilon(1e-12));
  }
}
