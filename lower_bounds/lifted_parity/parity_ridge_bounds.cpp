// The bounds of ParityRidge, the Hermite spectra they need and the Hermite series of the exposure
// scan (parity_ridge.cpp holds the exact answers).
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
#include "numerics/gaussian_quadrature.hpp"
#include "lower_bounds/lifted_parity/parity_ridge.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace lower_bounds {

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

// x^n for n >= 0 by squaring (the per-member bounds run for millions of members: no pow()).
double power(double x, int n) {
  double result = 1.0;
  for (; n > 0; n >>= 1, x *= x)
    if (n & 1) result *= x;
  return result;
}

// The vector bounds' tail beyond level kLevels: Cauchy–Schwarz with level weights summing to at most
// 2 and factors f_l = rho^l + l (1 - rho) rho^{l-1} = P(at most one failure in l trials), largest at l = kLevels.
double beyond_vector_levels(double rho) {
  const double top = power(rho, kLevels - 1);
  return std::sqrt(2.0 * std::min(1.0, top * rho + kLevels * (1.0 - rho) * top));
}

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
  numerics::for_each_wide_node(cuts, [&](double z, double weight) {
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

// The Hermite weights of chi_S (W) and of |x_i| chi_{S \ i} (V) by level, |S| = k.
struct LevelWeights {
  std::vector<double> W, V;
};
LevelWeights level_weights(int k) {
  const auto& [sign, abs] = sign_and_abs_weights();
  LevelWeights out{convolve_power(sign, k), std::vector<double>(static_cast<std::size_t>(kLevels), 0.0)};
  const std::vector<double> rest_of_S = convolve_power(sign, k - 1);
  for (std::size_t a = 0; a < out.V.size(); ++a)
    for (std::size_t c = 0; a + c < out.V.size(); ++c) out.V[a + c] += abs[a] * rest_of_S[c];
  return out;
}

// The Hermite spectrum of h(|w| t) (or of its even part) below kLevels, rounded up.
ParityRidge::Spectrum level_bound(const std::function<double(double)>& h, const std::vector<double>& breakpoints, double norm, bool even) {
  std::vector<double> cuts = numerics::scaled_cuts(breakpoints, norm);
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
  LevelWeights weights = level_weights(k);  // not a structured binding: clang 14 cannot capture one
  return [b, W = std::move(weights.W), V = std::move(weights.V)](double rho) {
    double sum = 0.0, power = 1.0;  // rho^{l-1} at the top of the loop body
    for (int l = 1; l < kLevels; ++l) {
      // (1 - rho) rho^{l-1} peaks at rho = (l - 1)/l: held at its peak beyond, so the bound increases with rho.
      const double peak = (l - 1.0) / l;
      const double mixed = rho <= peak ? (1.0 - rho) * power : (1.0 - peak) * std::pow(peak, l - 1);
      const double weight = V[static_cast<std::size_t>(l)] * power * rho + l * mixed * W[static_cast<std::size_t>(l) - 1];
      sum += b.coefficient[static_cast<std::size_t>(l)] * std::sqrt(std::max(0.0, weight));
      power *= rho;
    }
    return sum + b.tail * beyond_vector_levels(rho);
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
  auto [W, V] = level_weights(k);
  for (double x : W) root_W_.push_back(std::sqrt(x));
  double rest = 1.0;
  for (double x : W) rest -= x;
  W_ = std::move(W);
  V_ = std::move(V);
  scalar_tail_ = b.tail * std::sqrt(std::max(0.0, rest) + 1e-12);
  vector_tail_ = b.tail;
  quadrature_ = kQuadrature * absolute_sum_ + kLevels * 1e-15;
  scale_ = std::pow(2.0 / std::numbers::pi, 0.5 * k);
  along_sum_.resize(kGrid + 1);
  across_sum_.resize(kGrid + 1);
  tail_sum_.resize(kGrid + 1);
  for (int j = 0; j <= kGrid; ++j) {
    const double rho = static_cast<double>(j) / kGrid;
    double t_before = 0.0, t = 1.0, along = 0.0, across = 0.0;
    for (int l = k_ - 1, m = 0; l < kLevels; l += 2, ++m) {
      if (m > 0) {
        t_before = t;
        t *= 0.5 * rho / m;
      }
      if (m < kExactLevels) continue;
      const std::size_t i = static_cast<std::size_t>(l);
      along += size_[i] * root_factorial_[i] * t_before;
      across += size_[i] * root_factorial_[i] * t;
    }
    along_sum_[static_cast<std::size_t>(j)] = along;
    across_sum_[static_cast<std::size_t>(j)] = across;
    tail_sum_[static_cast<std::size_t>(j)] = vector_tail_ * beyond_vector_levels(rho);  // increasing in rho too
  }
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
  const double beyond = scalar_tail_ * power(rho, kLevels / 2);
  return {pairing(coefficient_, P), beyond + quadrature_ + kRounding * scale_ * product * majorant(coefficient_, k_, rho)};
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

// The rounding majorant of c . E[h x chi_S] (weights |c_j| on S; all 1 for the whole vector):
// |u.c| (2/pi)^{k/2} prod |u_i| paired from level k + 1, plus sum_j |c_j| (2/pi)^{k/2} prod_{i != j} |u_i| from k - 1.
double ParityRidge::Series::linear_rounding(const Vector& u, std::span<const int> S, const std::function<double(int)>& weight, double uc,
                                            double rho) const {
  double product = 1.0, across = 0.0;
  for (std::size_t j = 0; j < S.size(); ++j) {
    product *= std::abs(u[S[j]]);
    double others = 1.0;
    for (std::size_t i = 0; i < S.size(); ++i)
      if (i != j) others *= std::abs(u[S[i]]);
    across += weight(S[j]) * others;
  }
  return scale_ * (std::abs(uc) * product * majorant(coefficient_, k_ + 1, rho) + across * majorant(coefficient_, k_ - 1, rho));
}

ParityRidge::Estimate ParityRidge::Series::linear(const Vector& u, std::span<const int> S, const Vector& c) const {
  std::vector<bool> wanted(S.size());
  for (std::size_t j = 0; j < S.size(); ++j) wanted[j] = c[S[j]] != 0.0;
  const LinearParts parts = linear_parts(u, S, wanted);
  const double uc = u.dot(c), root = std::sqrt(2.0 / std::numbers::pi);
  double value = uc * pairing(coefficient_, parts.P, 1);
  for (std::size_t j = 0; j < S.size(); ++j)
    if (wanted[j]) value += root * c[S[j]] * pairing(coefficient_, parts.R[j]);
  const double rounding = linear_rounding(u, S, [&c](int i) { return std::abs(c[i]); }, uc, parts.rho);
  return {value, c.norm() * (vector_tail_ * beyond_vector_levels(parts.rho) + quadrature_) + kRounding * rounding};
}

Vector ParityRidge::Series::vector(const Vector& u, std::span<const int> S, double* error) const {
  const LinearParts parts = linear_parts(u, S, std::vector<bool>(S.size(), true));
  const double root = std::sqrt(2.0 / std::numbers::pi);
  Vector out = pairing(coefficient_, parts.P, 1) * u;
  for (std::size_t j = 0; j < S.size(); ++j) out[S[j]] += root * pairing(coefficient_, parts.R[j]);
  // |u| = 1: the along-u part's factor |u.v| is at most 1.
  const double rounding = linear_rounding(u, S, [](int) { return 1.0; }, 1.0, parts.rho);
  *error = vector_tail_ * beyond_vector_levels(parts.rho) + quadrature_ + kRounding * rounding;
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

double ParityRidge::Series::vector_bound(const Vector& u, std::span<const int> S, double floor) const {
  // rho, prod |u_i| and sum_j prod_{i != j} u_i^2 (by prefix and suffix products: O(k), not O(k^2)).
  std::array<double, kLevels> squares, suffix;  // not zeroed: only the first k are used (k < 62)
  const std::size_t k = S.size();
  double rho = 0.0, product = 1.0, others = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double x = u[S[i]];
    squares[i] = x * x;
    rho += squares[i];
    product *= std::abs(x);
  }
  suffix[k - 1] = 1.0;
  for (std::size_t i = k - 1; i > 0; --i) suffix[i - 1] = suffix[i] * squares[i];
  double before = 1.0;
  for (std::size_t j = 0; j < k; ++j) {
    others += before * suffix[j];
    before *= squares[j];
  }
  rho = std::min(rho, 1.0);
  // The first kExactLevels levels as vector_bound takes them; beyond, min(a_l, b_l) <= a_l, and the
  // a_l sum to along * F(rho) + across * G(rho) with F, G increasing: the grid point above rho bounds
  // them (1e-10 covers the different roundings of the two sums, ~1e-15 relative).
  const double along = scale_ * product, across = scale_ * std::sqrt(others), half_rho = 0.5 * rho;
  double t_before = 0.0, t = 1.0, sum = 0.0, rho_power = power(rho, k_ - 2);
  for (int l = k_ - 1, m = 0; m < kExactLevels && l < kLevels; l += 2, ++m) {
    if (m > 0) {
      t_before = t;
      t *= half_rho / m;
    }
    const std::size_t i = static_cast<std::size_t>(l);
    const double weight = V_[i] * rho_power * rho + l * (1.0 - rho) * rho_power * W_[i - 1];
    sum += size_[i] * std::min(root_factorial_[i] * (along * t_before + across * t), std::sqrt(std::max(0.0, weight)));
    rho_power *= rho * rho;
  }
  const std::size_t j = static_cast<std::size_t>(std::ceil(rho * kGrid));
  const double quick = ((sum + along * along_sum_[j] + across * across_sum_[j]) * (1.0 + 1e-12) + tail_sum_[j] + quadrature_) * (1.0 + 1e-10);
  return quick <= floor ? quick : vector_bound(u, S);
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
  // t = (rho/2)^m / m! and its predecessor carry both parts: one multiplication chain, no division.
  static const auto inverse = [] {
    std::array<double, kLevels> table{};
    for (int m = 1; m < kLevels; ++m) table[static_cast<std::size_t>(m)] = 1.0 / m;
    return table;
  }();
  const double along = scale_ * product, across = scale_ * std::sqrt(others), half_rho = 0.5 * rho;
  double t_before = 0.0, t = 1.0, sum = 0.0, rho_power = power(rho, k_ - 2);  // rho^{l-1}
  for (int l = k_ - 1, m = 0; l < kLevels; l += 2, ++m) {
    if (m > 0) {
      t_before = t;
      t *= half_rho * inverse[static_cast<std::size_t>(m)];
    }
    const std::size_t i = static_cast<std::size_t>(l);
    const double weight = V_[i] * rho_power * rho + l * (1.0 - rho) * rho_power * W_[i - 1];
    // Branch-free: the square roots of successive levels overlap in the pipeline.
    sum += size_[i] * std::min(root_factorial_[i] * (along * t_before + across * t), std::sqrt(std::max(0.0, weight)));
    rho_power *= rho * rho;
  }
  return sum * (1.0 + 1e-12) + vector_tail_ * beyond_vector_levels(rho) + quadrature_;
}

}  // namespace lower_bounds
