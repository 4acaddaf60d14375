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
//
// Bounds. m_T(z) = E[chi_T | w.x = z] has Hermite coefficients (in u.x, u = w/|w|)
// c_l = sum_{|alpha| = l} sqrt(l!/alpha!) u^alpha E[chi_T H_alpha], nonzero only for alpha on T with odd
// entries (so l >= m, l = m mod 2). Cauchy–Schwarz: c_l^2 <= (sum_{alpha on T} l!/alpha! u^{2 alpha}) W_l = rho^l W_l
// with W_l the Hermite weight of chi_T at level l (sum W_l = 1). Hence |E[h chi_T]| = |sum_l h^_l c_l| <= rho^{m/2} ||h_{>= m}||,
// and for even m only even levels of h count (h_even). For a vector query and a unit v,
// q_v = (v.x) chi_S has levels >= k - 1 and is supported on alpha with at most one entry outside S
// (equal to 1, only at levels l >= k + 1): the same argument bounds sum l!/alpha! u^{2 alpha} by rho^l
// for l <= k and by rho^l + l (1 - rho) rho^{l-1} above, and ||q_v|| = 1, so
// |v . E[h x chi_S]| <= ||h_{>= k-1}|| sqrt(B_k(rho)), B_k the largest of these factors.
#include "lower_bounds/parity_ridge.hpp"

#include "lower_bounds/parity_correlation.hpp"

#include <Eigen/Eigenvalues>
#include <boost/math/special_functions/legendre.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace lower_bounds {
namespace {

constexpr double kZRange = 13.0;   // |Z| <= 13: phi(13) |He_17(13)| |z|^2 < 1e-17
constexpr double kZPanel = 0.5;    // 20-point Gauss–Legendre per panel of width <= 0.5: exact to rounding
constexpr int kPanels = 60;        // dyadic panels in V down to 2^-60 |w|^2; below, F is computed directly
constexpr int kChebyshev = 24;     // nodes per panel: ratio-2 panels converge like 5.8^-n
const double kInvSqrt2Pi = 1.0 / std::sqrt(2.0 * std::numbers::pi);

struct Rule {
  std::vector<double> x, w;
};

// Gauss–Legendre on [-1, 1] with n points (n even), from Boost's Legendre zeros.
const Rule& legendre(int n) {
  static std::mutex mutex;
  static std::map<int, Rule> cache;
  const std::lock_guard lock(mutex);
  auto [it, inserted] = cache.try_emplace(n);
  if (inserted) {
    for (double x : boost::math::legendre_p_zeros<double>(n)) {
      const double dp = boost::math::legendre_p_prime(n, x);
      const double weight = 2.0 / ((1.0 - x * x) * dp * dp);
      it->second.x.push_back(x);
      it->second.w.push_back(weight);
      if (x != 0.0) {
        it->second.x.push_back(-x);
        it->second.w.push_back(weight);
      }
    }
  }
  return it->second;
}

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
    : h_(std::move(h)), breakpoints_(std::move(breakpoints)), max_norm2_(max_norm * max_norm), max_order_(max_order),
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
  regular_ = [h = h_, jump = jump_, kink = kink_](double z) { return h(z) - jump * (z > 0.0 ? 1.0 : z < 0.0 ? -1.0 : 0.0) - kink * std::abs(z); };
}

ParityRidge::~ParityRidge() = default;

namespace {

// Calls visit(z, weight) on a composite Gauss–Legendre rule for E[f(Z)], Z ~ N(0, 1), over |Z| <= 13
// (beyond, phi(13) |He_17(13)| |z|^2 < 1e-17), in panels of width <= 0.5 split at the given cuts.
template <class Visit>
void for_each_gaussian_node(std::vector<double> cuts, Visit&& visit) {
  cuts.push_back(-kZRange);
  cuts.push_back(kZRange);
  std::sort(cuts.begin(), cuts.end());
  const Rule& rule = legendre(20);
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    const double lo = std::max(-kZRange, cuts[c]), hi = std::min(kZRange, cuts[c + 1]);
    if (!(hi > lo)) continue;
    const int panels = std::max(1, static_cast<int>(std::ceil((hi - lo) / kZPanel)));
    const double width = (hi - lo) / panels;
    for (int q = 0; q < panels; ++q) {
      const double mid = lo + (q + 0.5) * width;
      for (std::size_t i = 0; i < rule.x.size(); ++i) {
        const double z = mid + 0.5 * width * rule.x[i];
        visit(z, 0.5 * width * rule.w[i] * kInvSqrt2Pi * std::exp(-0.5 * z * z));
      }
    }
  }
}

// The cuts of h(tau .) in Z: its breakpoints over tau.
std::vector<double> scaled_cuts(const std::vector<double>& breakpoints, double tau) {
  std::vector<double> cuts;
  for (double b : breakpoints) cuts.push_back(b / tau);
  return cuts;
}

// G_l(tau) = E[h(tau Z) He_l(Z)] for l = 0..levels-1.
void gaussian_moments(const std::function<double(double)>& h, const std::vector<double>& breakpoints, double tau, int levels, double* out) {
  std::fill(out, out + levels, 0.0);
  std::vector<double> he(static_cast<std::size_t>(std::max(levels, 2)));
  for_each_gaussian_node(scaled_cuts(breakpoints, tau), [&](double z, double weight) {
    const double value = h(tau * z);
    he[0] = 1.0;
    he[1] = z;
    for (int l = 1; l + 1 < levels; ++l) he[static_cast<std::size_t>(l) + 1] = z * he[static_cast<std::size_t>(l)] - l * he[static_cast<std::size_t>(l) - 1];
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
            values[static_cast<std::size_t>(l) * kChebyshev + static_cast<std::size_t>(j)] = g[static_cast<std::size_t>(l)] * std::pow(node, -0.5 * l);
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
  if (T.empty() || static_cast<int>(T.size()) + 1 > max_order_) throw std::invalid_argument("ParityRidge: |T| + 1 must lie in [2, max_order]");
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
  if (s.m % 2 == 0 && jump_ != 0.0) value += 2.0 * jump_ / std::numbers::pi * sign_power(s.m / 2) * dawson_integral(coordinates, s.sigma2, 0);
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


double ParityRidge::vector_bound_factor(int k, double rho) {
  // Level l of q_v carries at most rho^l (entries on S) plus, for l >= k + 1, l (1 - rho) rho^{l-1}
  // (one entry outside S). rho^l + l (1 - rho) rho^{l-1} is P(at most one failure in l trials), which
  // falls with l: the largest factor is at l = k - 1 or l = k + 1.
  if (rho >= 1.0) return 1.0;
  const double at_k_plus_1 = std::pow(rho, k) * (rho + (k + 1) * (1.0 - rho));
  return std::sqrt(std::max(std::pow(rho, k - 1), at_k_plus_1));
}

namespace {

constexpr int kLevels = 64;

// Normalised Hermite coefficients E[f(Z) H_l(Z)], l < levels, and E[f^2], for f piecewise smooth
// with the given cuts (the stable recurrence of the orthonormal H_l keeps high levels accurate).
// The orthonormal Hermite polynomials H_0..H_levels at z (the stable three-term recurrence).
void orthonormal_hermite(double z, int levels, double* H) {
  // H_{l+1} = (z H_l - sqrt(l) H_{l-1}) / sqrt(l + 1), with both factors tabulated (no division per level).
  static const auto factors = [] {
    std::array<std::pair<double, double>, kLevels + 2> f{};
    for (std::size_t l = 1; l + 1 < f.size(); ++l) f[l] = {1.0 / std::sqrt(l + 1.0), std::sqrt(static_cast<double>(l)) / std::sqrt(l + 1.0)};
    return f;
  }();
  H[0] = 1.0;
  H[1] = z;
  for (int l = 1; l < levels; ++l) {
    const auto [a, b] = factors[static_cast<std::size_t>(l)];
    H[l + 1] = z * a * H[l] - b * H[l - 1];
  }
}

// Normalised Hermite coefficients E[f(Z) H_l(Z)], l < levels, and E[f^2], for f piecewise smooth
// with the given cuts; with `residual`, also E[(f - sum_l c_l H_l)^2] at the computed coefficients
// (each node's H_l kept from the first pass).
std::vector<double> hermite_coefficients(const std::function<double(double)>& f, const std::vector<double>& cuts, int levels, double* second,
                                         double* residual = nullptr) {
  std::vector<double> out(static_cast<std::size_t>(levels), 0.0);
  thread_local std::vector<double> nodes, H;  // reused: ~0.5 MB per call, called for every query
  nodes.clear();
  H.clear();
  const auto stride = static_cast<std::size_t>(levels) + 1;
  *second = 0.0;
  for_each_gaussian_node(cuts, [&](double z, double weight) {
    const double value = f(z);
    *second += weight * value * value;
    H.resize(H.size() + stride);
    double* h = H.data() + H.size() - stride;
    orthonormal_hermite(z, levels, h);
    for (int l = 0; l < levels; ++l) out[static_cast<std::size_t>(l)] += weight * value * h[l];
    nodes.insert(nodes.end(), {weight, value});
  });
  if (residual) {
    *residual = 0.0;
    for (std::size_t n = 0; n < nodes.size() / 2; ++n) {
      const double* h = H.data() + n * stride;
      double r = nodes[2 * n + 1];
      for (int l = 0; l < levels; ++l) r -= out[static_cast<std::size_t>(l)] * h[l];
      *residual += nodes[2 * n] * r * r;
    }
  }
  return out;
}

// Hermite weights (squared coefficients) of sign(Z) and |Z| below level kLevels; the rest of their mass is 1 - sum.
const std::pair<std::vector<double>, std::vector<double>>& sign_and_abs_weights() {
  static const auto weights = [] {
    double unused = 0.0;
    auto sign = hermite_coefficients([](double z) { return z > 0.0 ? 1.0 : z < 0.0 ? -1.0 : 0.0; }, {0.0}, kLevels, &unused);
    auto abs = hermite_coefficients([](double z) { return std::abs(z); }, {0.0}, kLevels, &unused);
    for (double& c : sign) c *= c;
    for (double& c : abs) c *= c;
    return std::make_pair(sign, abs);
  }();
  return weights;
}

// The k-fold convolution of level weights (the weights of a product of independent factors).
std::vector<double> convolve_power(const std::vector<double>& w, int k) {
  std::vector<double> out(w.size(), 0.0);
  out[0] = 1.0;
  for (int i = 0; i < k; ++i) {
    std::vector<double> next(w.size(), 0.0);
    for (std::size_t a = 0; a < w.size(); ++a)
      for (std::size_t b = 0; a + b < w.size(); ++b) next[a + b] += out[a] * w[b];
    out = std::move(next);
  }
  return out;
}

// The Hermite spectrum of h(|w| t) (or of its even part) below kLevels, rounded up.
ParityRidge::Spectrum level_bound(const std::function<double(double)>& h, const std::vector<double>& breakpoints, double norm, bool even) {
  std::vector<double> cuts = scaled_cuts(breakpoints, norm);
  if (even)
    for (double b : breakpoints) cuts.push_back(-b / norm);
  const auto f = [&](double t) { return even ? 0.5 * (h(norm * t) + h(-norm * t)) : h(norm * t); };
  double second = 0.0, residual = 0.0;
  ParityRidge::Spectrum bound;
  // ||h_{>= levels}|| <= ||f - sum_l a_l H_l|| for any a (the projection is the closest), so the
  // residual's norm at the computed coefficients bounds it without the cancellation in E[f^2] - sum a_l^2.
  bound.value = hermite_coefficients(f, cuts, kLevels, &second, &residual);
  bound.coefficient = bound.value;
  for (double& c : bound.coefficient) c = std::abs(c) * (1.0 + 1e-10) + 1e-15;  // rounding of the quadrature, upward
  bound.tail = std::sqrt(residual * (1.0 + 1e-9)) + 1e-14 * std::sqrt(second) + 1e-15;
  return bound;
}

}  // namespace

std::shared_ptr<const ParityRidge::Spectrum> ParityRidge::spectrum(double norm, bool even) const {
  const std::lock_guard lock(spectra_mutex_);
  for (const auto& [n, e, s] : spectra_)
    if (n == norm && e == even) return s;
  auto s = std::make_shared<const Spectrum>(level_bound(h_, breakpoints_, norm, even));
  if (spectra_.size() >= 4) spectra_.erase(spectra_.begin());
  spectra_.emplace_back(norm, even, s);
  return s;
}

namespace {

// ||h_{>= level}||: the rounded-up coefficients from `level` on, and the norm beyond kLevels.
double tail_from(const ParityRidge::Spectrum& s, int level) {
  double sum = s.tail * s.tail;
  for (int l = std::max(level, 0); l < kLevels; ++l) sum += s.coefficient[static_cast<std::size_t>(l)] * s.coefficient[static_cast<std::size_t>(l)];
  return std::sqrt(sum);
}

}  // namespace

double ParityRidge::tail(double norm, int level) const { return tail_from(*spectrum(norm), level); }
double ParityRidge::tail_even(double norm, int level) const { return tail_from(*spectrum(norm, true), level); }

std::function<double(double)> ParityRidge::scalar_bound(double norm, int k) const {
  const auto held = spectrum(norm);
  const Spectrum& b = *held;
  const std::vector<double> W = convolve_power(sign_and_abs_weights().first, k);
  double rest = 1.0;
  for (double x : W) rest -= x;
  rest = std::max(0.0, rest) + 1e-12;
  std::vector<double> root(W.size());
  for (std::size_t l = 0; l < W.size(); ++l) root[l] = b.coefficient[l] * std::sqrt(W[l]);
  return [root, tail = b.tail * std::sqrt(rest)](double rho) {
    // Called ~50 times per query by the exposure's bisection: powers by recurrence, no pow().
    const double step = std::sqrt(rho);
    double sum = 0.0, power = 1.0;  // rho^{l/2}
    for (double c : root) {
      sum += c * power;
      power *= step;
    }
    return sum + tail * power;  // power = rho^{kLevels/2}
  };
}

std::function<double(double)> ParityRidge::vector_bound(double norm, int k) const {
  const auto held = spectrum(norm);
  const Spectrum& b = *held;
  const auto& [sign, abs] = sign_and_abs_weights();
  const std::vector<double> W = convolve_power(sign, k), rest_of_S = convolve_power(sign, k - 1);
  std::vector<double> V(static_cast<std::size_t>(kLevels), 0.0);  // weights of |x_i| chi_{S \ i}
  for (std::size_t a = 0; a < V.size(); ++a)
    for (std::size_t c = 0; a + c < V.size(); ++c) V[a + c] += abs[a] * rest_of_S[c];
  return [b, W, V](double rho) {
    double sum = 0.0, power = 1.0;  // rho^{l-1} at the top of the loop body
    for (int l = 1; l < kLevels; ++l) {
      // (1 - rho) rho^{l-1} peaks at rho = (l - 1)/l: held at its peak beyond, so the bound increases with rho.
      const double peak = (l - 1.0) / l;
      const double mixed = rho <= peak ? (1.0 - rho) * power : (1.0 - peak) * std::pow(peak, l - 1);
      const double weight = V[static_cast<std::size_t>(l)] * power * rho + l * mixed * W[static_cast<std::size_t>(l) - 1];
      sum += b.coefficient[static_cast<std::size_t>(l)] * std::sqrt(std::max(0.0, weight));
      power *= rho;
    }
    // Beyond: Cauchy–Schwarz with level weights summing to at most 2 and factors
    // f_l = rho^l + l (1 - rho) rho^{l-1} = P(at most one failure in l trials), largest at l = kLevels.
    const double f = power * rho + kLevels * (1.0 - rho) * power;  // power = rho^{kLevels - 1}
    return sum + b.tail * std::sqrt(2.0 * std::min(1.0, f));
  };
}

// The Hermite series. E[chi_S e^{a.x - |a|^2/2}] = prod_{i in S} erf(a_i / sqrt 2) (each factor is
// E[sign(z) e^{a z - a^2/2}] = P(z > -a) - P(z < -a)), and e^{t z - t^2/2} = sum_l H_l(z) t^l / sqrt(l!)
// with H_l orthonormal, so at a = t u: E[H_l(u.x) chi_S] = sqrt(l!) [t^l] P(t), and
// E[h(w.x) chi_S] = sum_l h^_l sqrt(l!) [t^l] P(t) with h^_l the coefficients of h(|w| t).
// At a = t u + s c, d/ds at s = 0 gives E[chi_S (c.x - t u.c) e^{t u.x - t^2/2}]
//   = sqrt(2/pi) sum_{j in S} c_j e^{-t^2 u_j^2 / 2} prod_{i in S, i != j} erf(t u_i / sqrt 2),
// hence the linear factor: Q(t) = t (u.c) P(t) + that sum, and E[h c.x chi_S] = sum_l h^_l sqrt(l!) [t^l] Q.
// Errors. Beyond level 64: the tails of scalar_bound and vector_bound. Quadrature: h^_l is accurate to
// 1e-10 relative + 1e-15 (as the bounds assume), and each level's coefficient of chi_S (of q_v for a
// unit v) is at most 1 in size. Rounding: each coefficient of a product of k series is a sum of
// products, accurate to (33 k + 64) eps relative to the same sum of absolute values, and these are
// majorised coefficientwise by (2/pi)^{k/2} prod |u_i| t^k e^{t^2 rho / 2} (|erf coefficient| <=
// sqrt(2/pi) / (j! 2^j); e^{-t^2 u^2/2} by e^{t^2 u^2/2}).
namespace {

// A power series truncated below degree kLevels, nonzero only at low, low + 2, ...
struct Parity64 {
  std::array<double, kLevels> c{};
  int low = 0;
};

Parity64 times(const Parity64& x, const Parity64& y) {
  Parity64 out;
  out.low = x.low + y.low;
  for (int a = x.low; a < kLevels; a += 2) {
    const double xa = x.c[static_cast<std::size_t>(a)];
    for (int b = y.low; a + b < kLevels; b += 2) out.c[static_cast<std::size_t>(a + b)] += xa * y.c[static_cast<std::size_t>(b)];
  }
  return out;
}

// erf(t u / sqrt 2) = sqrt(2/pi) sum_j (-1)^j u^{2j+1} t^{2j+1} / (j! 2^j (2j + 1)).
Parity64 erf_series(double u) {
  static const std::array<double, kLevels> base = [] {
    std::array<double, kLevels> b{};
    double factor = std::sqrt(2.0 / std::numbers::pi);  // (-1)^j / (j! 2^j)
    for (int j = 0; 2 * j + 1 < kLevels; ++j) {
      b[static_cast<std::size_t>(2 * j + 1)] = factor / (2 * j + 1);
      factor *= -0.5 / (j + 1);
    }
    return b;
  }();
  Parity64 out;
  out.low = 1;
  double power = u;
  for (int n = 1; n < kLevels; n += 2, power *= u * u) out.c[static_cast<std::size_t>(n)] = base[static_cast<std::size_t>(n)] * power;
  return out;
}

// e^{-t^2 u^2 / 2}.
Parity64 gauss_series(double u) {
  Parity64 out;
  double term = 1.0;
  for (int m = 0; 2 * m < kLevels; ++m, term *= -0.5 * u * u / m) out.c[static_cast<std::size_t>(2 * m)] = term;
  return out;
}

double pairing(const std::vector<double>& coefficient, const Parity64& x, int shift = 0) {
  double sum = 0.0;
  for (int l = x.low + shift; l < kLevels; l += 2) sum += coefficient[static_cast<std::size_t>(l)] * x.c[static_cast<std::size_t>(l - shift)];
  return sum;
}

// sum_m |c_{q + 2m}| (rho/2)^m / m!: the majorant's pairing with |h^_l| sqrt(l!) from level q.
double majorant(const std::vector<double>& coefficient, int q, double rho) {
  double sum = 0.0, term = 1.0;
  for (int m = 0; q + 2 * m < kLevels; ++m, term *= 0.5 * rho / m) {
    if (q + 2 * m >= 0) sum += std::abs(coefficient[static_cast<std::size_t>(q + 2 * m)]) * term;
  }
  return sum;
}

constexpr double kRounding = 1e-13, kQuadrature = 1e-10;

// x^n for n >= 0 by squaring (the per-member bounds run for millions of members: no pow()).
double power(double x, int n) {
  double result = 1.0;
  for (; n > 0; n >>= 1, x *= x)
    if (n & 1) result *= x;
  return result;
}

}  // namespace

ParityRidge::Series::Series(const ParityRidge& ridge, double norm, int k) : k_(k) {
  if (k < 2 || k >= kLevels - 1) throw std::invalid_argument("Series: k must be in [2, 62]");
  const auto held = ridge.spectrum(norm);
  const Spectrum& b = *held;
  coefficient_.resize(kLevels);
  double log_factorial = 0.0;
  for (int l = 0; l < kLevels; ++l) {
    if (l > 0) log_factorial += std::log(static_cast<double>(l));
    coefficient_[static_cast<std::size_t>(l)] = b.value[static_cast<std::size_t>(l)] * std::exp(0.5 * log_factorial);
    size_.push_back(b.coefficient[static_cast<std::size_t>(l)]);
    root_factorial_.push_back(std::exp(0.5 * log_factorial));
    absolute_sum_ += b.coefficient[static_cast<std::size_t>(l)];
  }
  const auto& [sign, abs] = sign_and_abs_weights();
  const std::vector<double> W = convolve_power(sign, k), rest_of_S = convolve_power(sign, k - 1);
  W_ = W;
  for (double x : W) root_W_.push_back(std::sqrt(x));
  V_.assign(static_cast<std::size_t>(kLevels), 0.0);
  for (std::size_t a = 0; a < V_.size(); ++a)
    for (std::size_t c = 0; a + c < V_.size(); ++c) V_[a + c] += abs[a] * rest_of_S[c];
  double rest = 1.0;
  for (double x : W) rest -= x;
  scalar_tail_ = b.tail * std::sqrt(std::max(0.0, rest) + 1e-12);
  vector_tail_ = b.tail;
  quadrature_ = kQuadrature * absolute_sum_ + kLevels * 1e-15;
  scale_ = std::pow(2.0 / std::numbers::pi, 0.5 * k);
}

ParityRidge::Estimate ParityRidge::Series::scalar(const Vector& u, std::span<const int> S) const {
  Parity64 P = erf_series(u[S[0]]);
  double rho = u[S[0]] * u[S[0]], product = std::abs(u[S[0]]);
  for (std::size_t i = 1; i < S.size(); ++i) {
    P = times(P, erf_series(u[S[i]]));
    rho += u[S[i]] * u[S[i]];
    product *= std::abs(u[S[i]]);
  }
  rho = std::min(rho, 1.0);
  const double scale = std::pow(2.0 / std::numbers::pi, 0.5 * k_) * product;
  const double beyond = scalar_tail_ * std::pow(rho, 0.5 * kLevels);
  return {pairing(coefficient_, P), beyond + quadrature_ + kRounding * scale * majorant(coefficient_, k_, rho)};
}

namespace {

// The series shared by linear() and vector(): P and, for each j in S, R_j = e^{-t^2 u_j^2/2} prod_{i != j} erf.
struct LinearParts {
  Parity64 P;
  std::vector<Parity64> R;
  double rho = 0.0;
};

LinearParts linear_parts(const Vector& u, std::span<const int> S, const std::vector<bool>& wanted) {
  const std::size_t k = S.size();
  std::vector<Parity64> factor(k), prefix(k), suffix(k);
  LinearParts parts;
  for (std::size_t i = 0; i < k; ++i) {
    factor[i] = erf_series(u[S[i]]);
    parts.rho += u[S[i]] * u[S[i]];
  }
  parts.rho = std::min(parts.rho, 1.0);
  Parity64 one;
  one.c[0] = 1.0;
  prefix[0] = one;
  for (std::size_t i = 1; i < k; ++i) prefix[i] = times(prefix[i - 1], factor[i - 1]);
  parts.P = times(prefix[k - 1], factor[k - 1]);
  suffix[k - 1] = one;
  for (std::size_t i = k - 1; i-- > 0;) suffix[i] = times(suffix[i + 1], factor[i + 1]);
  parts.R.resize(k);
  for (std::size_t j = 0; j < k; ++j)
    if (wanted[j]) parts.R[j] = times(times(prefix[j], suffix[j]), gauss_series(u[S[j]]));
  return parts;
}

}  // namespace

ParityRidge::Estimate ParityRidge::Series::linear(const Vector& u, std::span<const int> S, const Vector& c) const {
  std::vector<bool> wanted(S.size());
  for (std::size_t j = 0; j < S.size(); ++j) wanted[j] = c[S[j]] != 0.0;
  const LinearParts parts = linear_parts(u, S, wanted);
  const double uc = u.dot(c), root = std::sqrt(2.0 / std::numbers::pi);
  double value = uc * pairing(coefficient_, parts.P, 1), rounding = 0.0;
  const double lower = majorant(coefficient_, k_ - 1, parts.rho);
  for (std::size_t j = 0; j < S.size(); ++j) {
    if (!wanted[j]) continue;
    value += root * c[S[j]] * pairing(coefficient_, parts.R[j]);
    double others = 1.0;
    for (std::size_t i = 0; i < S.size(); ++i)
      if (i != j) others *= std::abs(u[S[i]]);
    rounding += std::abs(c[S[j]]) * std::pow(2.0 / std::numbers::pi, 0.5 * k_) * others * lower;
  }
  double product = 1.0;
  for (int i : S) product *= std::abs(u[i]);
  rounding += std::abs(uc) * std::pow(2.0 / std::numbers::pi, 0.5 * k_) * product * majorant(coefficient_, k_ + 1, parts.rho);
  const double rho = parts.rho, f = std::pow(rho, kLevels) + kLevels * (1.0 - rho) * std::pow(rho, kLevels - 1);
  const double beyond = vector_tail_ * std::sqrt(2.0 * std::min(1.0, f));
  return {value, c.norm() * (beyond + quadrature_) + kRounding * rounding};
}

Vector ParityRidge::Series::vector(const Vector& u, std::span<const int> S, double* error) const {
  const LinearParts parts = linear_parts(u, S, std::vector<bool>(S.size(), true));
  const double root = std::sqrt(2.0 / std::numbers::pi), along = pairing(coefficient_, parts.P, 1);
  Vector out = along * u;
  double rounding = 0.0, product = 1.0;
  const double lower = majorant(coefficient_, k_ - 1, parts.rho);
  for (std::size_t j = 0; j < S.size(); ++j) {
    out[S[j]] += root * pairing(coefficient_, parts.R[j]);
    double others = 1.0;
    for (std::size_t i = 0; i < S.size(); ++i)
      if (i != j) others *= std::abs(u[S[i]]);
    rounding += std::pow(2.0 / std::numbers::pi, 0.5 * k_) * others * lower;
    product *= std::abs(u[S[j]]);
  }
  rounding += std::pow(2.0 / std::numbers::pi, 0.5 * k_) * product * majorant(coefficient_, k_ + 1, parts.rho);
  const double rho = parts.rho, f = std::pow(rho, kLevels) + kLevels * (1.0 - rho) * std::pow(rho, kLevels - 1);
  *error = vector_tail_ * std::sqrt(2.0 * std::min(1.0, f)) + quadrature_ + kRounding * rounding;
  return out;
}

// The bounds of the exposure scan, per member. Level l of E[chi_S | u.x] is sqrt(l!) [t^l] P, and
// P = (2/pi)^{k/2} (prod u_i) t^k prod_i f(u_i t) with f(x) = erf(x/sqrt 2)/(sqrt(2/pi) x), whose
// coefficients are majorised by e^{x^2/2}'s: |sqrt(l!) [t^l] P| <= (2/pi)^{k/2} |prod u_i| sqrt(l!) (rho/2)^m / m!,
// m = (l - k)/2; and by sqrt(W_l rho^l) (parity_ridge.cpp's first comment). Each level takes the smaller.
// For the vector, level l is u sqrt(l!) [t^{l-1}] P + sqrt(2/pi) sum_j e_j sqrt(l!) [t^l] R_j (Series above),
// R_j carrying prod_{i != j} u_i, against sqrt(V_l rho^l + l (1 - rho) rho^{l-1} W_{l-1}) (vector_bound).
double ParityRidge::Series::scalar_bound(const Vector& u, std::span<const int> S) const {
  double rho = 0.0, product = 1.0;
  for (int i : S) {
    rho += u[i] * u[i];
    product *= std::abs(u[i]);
  }
  rho = std::min(rho, 1.0);
  double through_product = scale_ * product;  // times (rho/2)^m / m!
  double through_rho = k_ % 2 == 0 ? power(rho, k_ / 2) : std::pow(rho, 0.5 * k_), sum = 0.0;
  for (int l = k_, m = 0; l < kLevels; l += 2, ++m) {
    if (m > 0) through_product *= 0.5 * rho / m;
    const std::size_t i = static_cast<std::size_t>(l);
    sum += size_[i] * std::min(root_factorial_[i] * through_product, root_W_[i] * through_rho);
    through_rho *= rho;
  }
  return sum * (1.0 + 1e-12) + scalar_tail_ * power(rho, kLevels / 2) + quadrature_;
}

double ParityRidge::Series::vector_bound(const Vector& u, std::span<const int> S) const {
  double rho = 0.0, product = 1.0, others = 0.0;  // others = sum_j prod_{i != j} u_i^2
  for (int i : S) {
    rho += u[i] * u[i];
    product *= std::abs(u[i]);
  }
  for (std::size_t j = 0; j < S.size(); ++j) {
    double p = 1.0;
    for (std::size_t i = 0; i < S.size(); ++i)
      if (i != j) p *= u[S[i]] * u[S[i]];
    others += p;
  }
  rho = std::min(rho, 1.0);
  // Levels l = k - 1 + 2m: the R_j part has index m there, the P part m - 1 (from level k + 1).
  double along = scale_ * product, across = scale_ * std::sqrt(others), sum = 0.0, rho_power = power(rho, k_ - 2);  // rho^{l-1}
  for (int l = k_ - 1, m = 0; l < kLevels; l += 2, ++m) {
    if (m > 0) across *= 0.5 * rho / m;
    if (m > 1) along *= 0.5 * rho / (m - 1);
    const std::size_t i = static_cast<std::size_t>(l);
    const double through_product = (m > 0 ? along : 0.0) + across;
    const double weight = V_[i] * rho_power * rho + l * (1.0 - rho) * rho_power * W_[i - 1];
    sum += size_[i] * std::min(root_factorial_[i] * through_product, std::sqrt(std::max(0.0, weight)));
    rho_power *= rho * rho;
  }
  const double top = power(rho, kLevels - 1), f = top * rho + kLevels * (1.0 - rho) * top;
  return sum * (1.0 + 1e-12) + vector_tail_ * std::sqrt(2.0 * std::min(1.0, f)) + quadrature_;
}

}  // namespace lower_bounds
