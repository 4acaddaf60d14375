// The bounds of ParityRidge and the Hermite spectra they need (parity_ridge.cpp holds the exact
// answers, parity_ridge_series.cpp the Hermite series of the exposure scan).
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
#include "sqsim/lower_bounds/lifted_parity/detail/hermite_levels.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"
#include "sqsim/numerics/gaussian_quadrature.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sqsim::lower_bounds {

using detail::beyond_vector_levels;
using detail::kLevels;
using detail::level_weights;
using detail::LevelWeights;
using detail::power;

double ParityRidge::vector_bound_factor(int k, double rho) {
  // Level l of q_v carries at most rho^l (entries on S) plus, for l >= k + 1, l (1 - rho) rho^{l-1}
  // (one entry outside S). rho^l + l (1 - rho) rho^{l-1} is P(at most one failure in l trials), which
  // falls with l: the largest factor is at l = k - 1 or l = k + 1.
  if (rho >= 1.0) return 1.0;
  const double at_k_plus_1 = std::pow(rho, k) * (rho + (k + 1) * (1.0 - rho));
  return std::sqrt(std::max(std::pow(rho, k - 1), at_k_plus_1));
}

namespace {

// The orthonormal Hermite polynomials H_0..H_levels at z (the stable three-term recurrence).
void orthonormal_hermite(double z, int levels, double* H) {
  // H_{l+1} = (z H_l - sqrt(l) H_{l-1}) / sqrt(l + 1), with both factors tabulated (no division per level).
  static const auto factors = [] {
    std::array<std::pair<double, double>, kLevels + 2> f{};
    for (std::size_t l = 1; l + 1 < f.size(); ++l)
      f[l] = {1.0 / std::sqrt(l + 1.0), std::sqrt(static_cast<double>(l)) / std::sqrt(l + 1.0)};
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
std::vector<double> hermite_coefficients(const std::function<double(double)>& f, const std::vector<double>& cuts, int levels,
                                         double* second, double* residual = nullptr) {
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

}  // namespace

namespace detail {

LevelWeights level_weights(int k) {
  const auto& [sign, abs] = sign_and_abs_weights();
  LevelWeights out{convolve_power(sign, k), std::vector<double>(static_cast<std::size_t>(kLevels), 0.0)};
  const std::vector<double> rest_of_S = convolve_power(sign, k - 1);
  for (std::size_t a = 0; a < out.V.size(); ++a)
    for (std::size_t c = 0; a + c < out.V.size(); ++c) out.V[a + c] += abs[a] * rest_of_S[c];
  return out;
}

}  // namespace detail

namespace {

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
  for (int l = std::max(level, 0); l < kLevels; ++l)
    sum += s.coefficient[static_cast<std::size_t>(l)] * s.coefficient[static_cast<std::size_t>(l)];
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

}  // namespace sqsim::lower_bounds