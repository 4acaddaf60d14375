// The identity behind ParityRidge. For x_i = s_i |x_i| with independent uniform signs, the
// characteristic function of z = w.x weighted by chi_T factorises (DESIGN.md):
//   psi_T(u) = E[e^{iuz} chi_T] = i^m prod_{i in T} p(u w_i) e^{-u^2 sigma^2 / 2},  p(a) = (2/sqrt pi) D(a/sqrt 2),
// and Dawson's D(x) = x int_0^1 e^{-x^2 (1 - s^2)} ds gives p(a) = sqrt(2/pi) a int_0^1 e^{-a^2 (1 - s^2)/2} ds, so
//   psi_T(u) = (2/pi)^{m/2} (prod w_i) (iu)^m E_s[e^{-u^2 V(s) / 2}].
// Pairing with h: (1/2pi) int h^(u) (iu)^m e^{-u^2 V/2} du = E[h^{(m)}(sqrt V Z)] = V^{-m/2} E[h(sqrt V Z) He_m(Z)]
// (Gaussian integration by parts, m times), which is F_m(V). No Fourier integral is left: only
// 1-D Gaussian integrals of h (G_m) and an expectation over the law of V, whose support is
// [sigma^2, |w|^2]. F_m is analytic for V > 0 (h's jumps move smoothly with sqrt V), so a Gauss rule
// of degree 2n - 1 converges geometrically at the rate of the Bernstein ellipse of [sigma^2, |w|^2]
// around the singular point V = 0; n is chosen from sigma^2 / |w|^2 for 1e-15 relative, up to 64
// (then algebraically: when w lies inside T, V reaches 0 only at a corner of the cube of mass ~ V^m).
// The bounds are in parity_ridge_bounds.cpp, the Hermite series of the exposure scan in parity_ridge_series.cpp.
#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"

#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"
#include "sqsim/numerics/gaussian_quadrature.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace sqsim::lower_bounds {

namespace {

constexpr int kPanels = 60;     // dyadic panels in V down to 2^-60 |w|^2; below, F is computed directly
constexpr int kChebyshev = 24;  // nodes per panel: ratio-2 panels converge like 5.8^-n
using numerics::kInvSqrt2Pi;
using numerics::legendre;
using numerics::Rule;

// The n-point rule for c = 1 - s^2, s ~ U[0, 1]: the positive nodes of the 2n-point Legendre rule
// (exact for polynomials in c of degree 2n - 1). n in {4, 8, 16, 32, 64}, built once.
Rule make_cube_rule(int n) {
  const Rule& l = legendre(2 * n);
  Rule r;
  for (std::size_t i = 0; i < l.x.size(); ++i)
    if (l.x[i] > 0.0) {
      r.x.push_back(1.0 - l.x[i] * l.x[i]);
      r.w.push_back(l.w[i]);
    }
  return r;
}
const Rule& cube_rule(int n) {  // n in [4, 64], built once each
  static std::array<std::once_flag, 65> built;
  static std::array<Rule, 65> rules;
  std::call_once(built[static_cast<std::size_t>(n)], [n] { rules[static_cast<std::size_t>(n)] = make_cube_rule(n); });
  return rules[static_cast<std::size_t>(n)];
}

// The n-point Gauss rule of a discrete measure (Stieltjes' procedure on the atoms, then Golub–Welsch).
Rule gauss_of(const std::vector<double>& x, const std::vector<double>& w, int n) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const double centre = 0.5 * (*lo + *hi), half = 0.5 * (*hi - *lo);
  if (!(half > 0.0)) return {{centre}, {std::accumulate(w.begin(), w.end(), 0.0)}};
  const std::size_t count = x.size();
  thread_local std::vector<double> t, p, previous, next;  // reused: one member's rule is built many times
  t.resize(count);
  p.resize(count);
  next.resize(count);
  previous.assign(count, 0.0);
  double mass = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    t[i] = (x[i] - centre) / half;
    mass += w[i];
  }
  std::fill(p.begin(), p.end(), 1.0 / std::sqrt(mass));
  Eigen::VectorXd diagonal(n), off(std::max(0, n - 1));
  double b = 0.0;
  int size = n;
  for (int j = 0; j < n; ++j) {
    double alpha = 0.0;
    for (std::size_t i = 0; i < count; ++i) alpha += w[i] * t[i] * p[i] * p[i];
    diagonal[j] = alpha;
    if (j + 1 == n) break;
    double norm2 = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
      next[i] = (t[i] - alpha) * p[i] - b * previous[i];
      norm2 += w[i] * next[i] * next[i];
    }
    b = std::sqrt(norm2);
    if (!(b > 1e-13)) {  // the measure has j + 1 atoms: the rule is complete
      size = j + 1;
      break;
    }
    off[j] = b;
    for (std::size_t i = 0; i < count; ++i) {
      previous[i] = p[i];
      p[i] = next[i] / b;
    }
  }
  // Nodes: the Jacobi matrix's eigenvalues (no eigenvectors: they cost O(n^3)). Weights: the first
  // eigenvector component squared equals 1 / sum_j p_j(x)^2 over the orthonormal polynomials, which the
  // recurrence gives in O(n) per node.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver;
  solver.computeFromTridiagonal(diagonal.head(size), off.head(std::max(0, size - 1)), Eigen::EigenvaluesOnly);
  Rule r;
  for (int i = 0; i < size; ++i) {
    const double x = solver.eigenvalues()[i];
    double before = 0.0, current = 1.0, sum = 1.0;
    for (int j = 0; j + 1 < size; ++j) {
      const double following = ((x - diagonal[j]) * current - (j > 0 ? off[j - 1] : 0.0) * before) / off[j];
      before = current;
      current = following;
      sum += current * current;
    }
    r.x.push_back(centre + half * x);
    r.w.push_back(mass / sum);
  }
  return r;
}

// Points per Gauss rule for V in [sigma^2, sigma^2 + A]: degree 2n - 1 reaching 1e-15 relative on the
// Bernstein ellipse that avoids V = 0.
int points_for(double sigma2, double total) {
  const double r = sigma2 / total;
  if (r <= 0.0) return 64;
  const double x0 = (1.0 + r) / (1.0 - r);
  const double rho = x0 + std::sqrt(std::max(0.0, x0 * x0 - 1.0));
  const double degree = std::log(1e15) / std::log(rho);
  const int n = static_cast<int>(std::ceil(0.5 * (degree + 1.0))) + 2;
  return std::clamp(n, 4, 64);
}

}  // namespace

// F_l(V) = V^{-l/2} G_l(sqrt V) on dyadic panels of V, for l = 0..max_order, built on first use.
struct ParityRidge::Tables {
  struct Set {
    std::array<std::once_flag, kPanels> built;
    std::array<std::vector<double>, kPanels> values;  // [l * kChebyshev + node]
  };
  Set plain, regular;  // of h, and of h minus its jump and kink at 0
};

ParityRidge::ParityRidge(std::function<double(double)> h, std::vector<double> breakpoints, double max_norm, int max_order)
    : h_(std::move(h)),
      breakpoints_(std::move(breakpoints)),
      max_norm2_(max_norm * max_norm),
      max_order_(max_order),
      tables_(std::make_unique<Tables>()) {
  if (!(max_norm > 0.0) || !std::isfinite(max_norm)) throw std::invalid_argument("ParityRidge: max_norm must be positive");
  if (max_order < 1 || max_order > 18) throw std::invalid_argument("ParityRidge: max_order must lie in [1, 18]");
  breakpoints_.push_back(0.0);
  // One-sided differences at 0: any values make the split exact (the terms are added back in closed
  // form); accurate ones only make the remainder smoother, so rounding in them does not matter.
  const double e = 1e-6;
  jump_ = 0.5 * (h_(e * 1e-3) - h_(-e * 1e-3));
  kink_ = 0.5 * ((h_(2 * e) - h_(e)) - (h_(-e) - h_(-2 * e))) / e;
  if (!std::isfinite(jump_)) jump_ = 0.0;
  if (!std::isfinite(kink_)) kink_ = 0.0;
  regular_ = [h = h_, jump = jump_, kink = kink_](double z) {
    return h(z) - jump * (z > 0.0 ? 1.0 : z < 0.0 ? -1.0 : 0.0) - kink * std::abs(z);
  };
}

ParityRidge::~ParityRidge() = default;

namespace {

// G_l(tau) = E[h(tau Z) He_l(Z)] for l = 0..levels-1.
void gaussian_moments(const std::function<double(double)>& h, const std::vector<double>& breakpoints, double tau, int levels, double* out) {
  std::fill(out, out + levels, 0.0);
  std::vector<double> he(static_cast<std::size_t>(std::max(levels, 2)));
  numerics::for_each_wide_node(numerics::scaled_cuts(breakpoints, tau), [&](double z, double weight) {
    const double value = h(tau * z);
    he[0] = 1.0;
    he[1] = z;
    for (int l = 1; l + 1 < levels; ++l)
      he[static_cast<std::size_t>(l) + 1] = z * he[static_cast<std::size_t>(l)] - l * he[static_cast<std::size_t>(l) - 1];
    for (int l = 0; l < levels; ++l) out[l] += weight * value * he[static_cast<std::size_t>(l)];
  });
}

// Chebyshev points of the first kind and their barycentric weights, computed once.
struct ChebyshevPoints {
  std::array<double, kChebyshev> node{}, weight{};
  ChebyshevPoints() {
    for (int j = 0; j < kChebyshev; ++j) {
      node[static_cast<std::size_t>(j)] = std::cos(std::numbers::pi * (j + 0.5) / kChebyshev);
      weight[static_cast<std::size_t>(j)] = ((j % 2) ? -1.0 : 1.0) * std::sin(std::numbers::pi * (j + 0.5) / kChebyshev);
    }
  }
};
const ChebyshevPoints& chebyshev() {
  static const ChebyshevPoints points;
  return points;
}
double chebyshev_node(int j) { return chebyshev().node[static_cast<std::size_t>(j)]; }

}  // namespace

double ParityRidge::expectation(std::span<const double> a, double sigma2, int level, bool regular) const {
  double total = sigma2;
  for (double ai : a) total += ai;
  const int n = points_for(sigma2, total);
  const Rule& cube = cube_rule(n);
  // The law of V: sigma^2 + a_1 c_1, then convolved with each a_i c_i and compressed to n points.
  Rule v;
  for (std::size_t q = 0; q < cube.x.size(); ++q) {
    v.x.push_back(sigma2 + a[0] * cube.x[q]);
    v.w.push_back(cube.w[q]);
  }
  std::vector<double> x, w;
  for (std::size_t i = 1; i < a.size(); ++i) {
    x.clear();
    w.clear();
    for (std::size_t p = 0; p < v.x.size(); ++p)
      for (std::size_t q = 0; q < cube.x.size(); ++q) {
        x.push_back(v.x[p] + a[i] * cube.x[q]);
        w.push_back(v.w[p] * cube.w[q]);
      }
    v = gauss_of(x, w, n);
  }
  double sum = 0.0;
  for (std::size_t p = 0; p < v.x.size(); ++p) {
    const double V = v.x[p];
    if (!(V > 0.0)) continue;  // only at a corner of measure zero
    // Panel i holds [max2 2^{-i-1}, max2 2^{-i}].
    const int panel = static_cast<int>(std::floor(-std::log2(V / max_norm2_)));
    double F = 0.0;
    if (panel >= 0 && panel < kPanels) {
      Tables::Set& set = regular ? tables_->regular : tables_->plain;
      std::call_once(set.built[static_cast<std::size_t>(panel)], [&] {
        auto& values = set.values[static_cast<std::size_t>(panel)];
        values.assign(static_cast<std::size_t>(max_order_ + 1) * kChebyshev, 0.0);
        const double top = max_norm2_ * std::exp2(-panel), bottom = 0.5 * top;
        std::vector<double> g(static_cast<std::size_t>(max_order_) + 1);
        for (int j = 0; j < kChebyshev; ++j) {
          const double node = 0.5 * (top + bottom) + 0.5 * (top - bottom) * chebyshev_node(j);
          gaussian_moments(regular ? regular_ : h_, breakpoints_, std::sqrt(node), max_order_ + 1, g.data());
          for (int l = 0; l <= max_order_; ++l)
            values[static_cast<std::size_t>(l) * kChebyshev + static_cast<std::size_t>(j)] =
                g[static_cast<std::size_t>(l)] * std::pow(node, -0.5 * l);
        }
      });
      // Barycentric interpolation at Chebyshev points of the first kind.
      const double top = max_norm2_ * std::exp2(-panel), bottom = 0.5 * top;
      const double t = (V - 0.5 * (top + bottom)) / (0.5 * (top - bottom));
      const double* values = set.values[static_cast<std::size_t>(panel)].data() + static_cast<std::size_t>(level) * kChebyshev;
      double numerator = 0.0, denominator = 0.0;
      bool exact = false;
      for (int j = 0; j < kChebyshev && !exact; ++j) {
        const double diff = t - chebyshev_node(j);
        if (diff == 0.0) {
          F = values[j];
          exact = true;
          break;
        }
        const double weight = chebyshev().weight[static_cast<std::size_t>(j)] / diff;
        numerator += weight * values[j];
        denominator += weight;
      }
      if (!exact) F = numerator / denominator;
    } else {
      std::vector<double> g(static_cast<std::size_t>(level) + 1);
      gaussian_moments(regular ? regular_ : h_, breakpoints_, std::sqrt(V), level + 1, g.data());
      F = g[static_cast<std::size_t>(level)] * std::pow(V, -0.5 * level);
    }
    sum += v.w[p] * F;
  }
  return sum;
}

namespace {
// The squared weights a_i, the product of w_i over T and sigma^2 = |w_{T^c}|^2.
struct Split {
  std::array<double, 20> a{};
  double product = 1.0, sigma2 = 0.0;
  int m = 0;
};
Split split(const Vector& w, std::span<const int> T) {
  Split s;
  s.m = static_cast<int>(T.size());
  double inside = 0.0;
  for (std::size_t i = 0; i < T.size(); ++i) {
    const double wi = w[T[i]];
    s.a[i] = wi * wi;
    s.product *= wi;
    inside += wi * wi;
  }
  double norm2 = w.squaredNorm();
  s.sigma2 = std::max(0.0, norm2 - inside);
  if (s.sigma2 < 1e-6 * norm2) {  // recompute directly: the difference has cancelled
    s.sigma2 = 0.0;
    for (Eigen::Index j = 0; j < w.size(); ++j)
      if (std::find(T.begin(), T.end(), static_cast<int>(j)) == T.end()) s.sigma2 += w[j] * w[j];
  }
  return s;
}
}  // namespace

namespace {
// J_q = int_0^inf prod_i p(lambda w_i) e^{-lambda^2 sigma^2 / 2} lambda^{-q} d lambda (p = parity_sine), by the
// trapezoid rule in log(lambda) as in ParityCorrelation; the integrand is ~ lambda^{m - q} at 0 and
// ~ lambda^{-m - q} at infinity (sigma = 0), so the range is set from m + q for a 1e-17 tail.
double dawson_integral(std::span<const double> w, double sigma2, int q) {
  const int m = static_cast<int>(w.size());
  double largest = 0.0, smallest = std::numeric_limits<double>::infinity();
  for (double wi : w) largest = std::max(largest, std::abs(wi));
  for (double wi : w)
    if (std::abs(wi) > 1e-12 * largest) smallest = std::min(smallest, std::abs(wi));
  const double step = 0.125;
  const double begin = -std::log(largest) - 40.0 / (m - q + 1), end = -std::log(smallest) + 40.0 / (m + q - 1);
  double sum = 0.0;
  for (double t = begin; t <= end; t += step) {
    const double lambda = std::exp(t);
    const double gaussian = std::exp(-0.5 * lambda * lambda * sigma2);
    if (gaussian == 0.0) break;
    double product = gaussian;
    for (double wi : w) product *= parity_sine(lambda * wi);
    sum += step * lambda * product * std::pow(lambda, -q);
  }
  return sum;
}
double sign_power(int half) { return half % 2 == 0 ? 1.0 : -1.0; }  // (-1)^half
}  // namespace

double ParityRidge::mixed(const Vector& w, std::span<const int> T) const {
  if (T.empty() || static_cast<int>(T.size()) > max_order_) throw std::invalid_argument("ParityRidge: |T| must lie in [1, max_order]");
  const Split s = split(w, T);
  if (s.product == 0.0) return 0.0;  // a coordinate of T with w_i = 0: chi_T has mean 0 given z
  const std::span<const double> a{s.a.data(), T.size()};
  const double front = std::pow(2.0 / std::numbers::pi, 0.5 * s.m) * s.product;
  if (!singular(s)) return front * expectation(a, s.sigma2, s.m, false);
  // Near the corner V = 0 the jump (odd m) or the kink (even m) of h at 0 is taken out and added back in closed form.
  double value = front * expectation(a, s.sigma2, s.m, true);
  std::array<double, 20> wt{};
  for (std::size_t i = 0; i < T.size(); ++i) wt[i] = w[T[i]];
  const std::span<const double> coordinates{wt.data(), T.size()};
  if (s.m % 2 == 1 && jump_ != 0.0)  // E[sign(z) chi_T] = (2/pi) (-1)^{(m-1)/2} J_1
    value += jump_ * 2.0 / std::numbers::pi * sign_power((s.m - 1) / 2) * dawson_integral(coordinates, s.sigma2, 1);
  if (s.m % 2 == 0 && kink_ != 0.0)  // E[|z| chi_T] = -(2/pi) (-1)^{m/2} J_2
    value -= kink_ * 2.0 / std::numbers::pi * sign_power(s.m / 2) * dawson_integral(coordinates, s.sigma2, 2);
  return value;
}

double ParityRidge::mixed_derivative(const Vector& w, std::span<const int> T) const {
  if (T.empty() || static_cast<int>(T.size()) + 1 > max_order_)
    throw std::invalid_argument("ParityRidge: |T| + 1 must lie in [2, max_order]");
  const Split s = split(w, T);
  if (s.product == 0.0) return 0.0;
  const std::span<const double> a{s.a.data(), T.size()};
  // E[h'(sqrt V Z) He_m(Z)] = V^{-1/2} G_{m+1}(sqrt V): F_{m+1}
  const double front = std::pow(2.0 / std::numbers::pi, 0.5 * s.m) * s.product;
  if (!singular(s)) return front * expectation(a, s.sigma2, s.m + 1, false);
  double value = front * expectation(a, s.sigma2, s.m + 1, true);
  std::array<double, 20> wt{};
  for (std::size_t i = 0; i < T.size(); ++i) wt[i] = w[T[i]];
  const std::span<const double> coordinates{wt.data(), T.size()};
  // (jump sign(z))' = 2 jump delta(z): E[delta(z) chi_T] = (1/pi) (-1)^{m/2} J_0 for even m; (kink |z|)' = kink sign(z)
  // has E[sign(z) chi_T] = 0 for even m, and for odd m the roles swap.
  if (s.m % 2 == 0 && jump_ != 0.0)
    value += 2.0 * jump_ / std::numbers::pi * sign_power(s.m / 2) * dawson_integral(coordinates, s.sigma2, 0);
  if (s.m % 2 == 1 && kink_ != 0.0)
    value += kink_ * 2.0 / std::numbers::pi * sign_power((s.m - 1) / 2) * dawson_integral(coordinates, s.sigma2, 1);
  return value;
}

Vector ParityRidge::mixed_vector(const Vector& w, std::span<const int> S) const {
  Vector out = mixed_derivative(w, S) * w;
  Vector reduced = w;
  std::array<int, 20> rest{};
  for (std::size_t i = 0; i < S.size(); ++i) {
    reduced[S[i]] = 0.0;
    std::size_t n = 0;
    for (std::size_t j = 0; j < S.size(); ++j)
      if (j != i) rest[n++] = S[j];
    out[S[i]] += 2.0 * kInvSqrt2Pi * (n == 0 ? 0.0 : mixed(reduced, {rest.data(), n}));
    reduced[S[i]] = w[S[i]];
  }
  return out;
}

double ParityRidge::mixed_linear(const Vector& w, std::span<const int> S, const Vector& c) const {
  double value = c.dot(w) * mixed_derivative(w, S);
  Vector reduced = w;
  std::array<int, 20> rest{};
  for (std::size_t i = 0; i < S.size(); ++i) {
    if (c[S[i]] == 0.0) continue;
    reduced[S[i]] = 0.0;
    std::size_t n = 0;
    for (std::size_t j = 0; j < S.size(); ++j)
      if (j != i) rest[n++] = S[j];
    value += c[S[i]] * 2.0 * kInvSqrt2Pi * (n == 0 ? 0.0 : mixed(reduced, {rest.data(), n}));
    reduced[S[i]] = w[S[i]];
  }
  return value;
}

}  // namespace sqsim::lower_bounds