// ParityRidge's Hermite series: the member answers and bounds of the lifted parity's exposure scan,
// by power series in the ridge's scale (the bounds themselves are in parity_ridge_bounds.cpp).
//
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
#include "sqsim/lower_bounds/lifted_parity/detail/hermite_levels.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sqsim::lower_bounds {

using detail::beyond_vector_levels;
using detail::kLevels;
using detail::level_weights;
using detail::power;

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
  for (int l = x.low + shift; l < kLevels; l += 2)
    sum += coefficient[static_cast<std::size_t>(l)] * x.c[static_cast<std::size_t>(l - shift)];
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
  const double rounding = linear_rounding(
      u, S, [&c](int i) { return std::abs(c[i]); }, uc, parts.rho);
  return {value, c.norm() * (vector_tail_ * beyond_vector_levels(parts.rho) + quadrature_) + kRounding * rounding};
}

Vector ParityRidge::Series::vector(const Vector& u, std::span<const int> S, double* error) const {
  const LinearParts parts = linear_parts(u, S, std::vector<bool>(S.size(), true));
  const double root = std::sqrt(2.0 / std::numbers::pi);
  Vector out = pairing(coefficient_, parts.P, 1) * u;
  for (std::size_t j = 0; j < S.size(); ++j) out[S[j]] += root * pairing(coefficient_, parts.R[j]);
  // |u| = 1: the along-u part's factor |u.v| is at most 1.
  const double rounding = linear_rounding(
      u, S, [](int) { return 1.0; }, 1.0, parts.rho);
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
  const double quick =
      ((sum + along * along_sum_[j] + across * across_sum_[j]) * (1.0 + 1e-12) + tail_sum_[j] + quadrature_) * (1.0 + 1e-10);
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

}  // namespace sqsim::lower_bounds