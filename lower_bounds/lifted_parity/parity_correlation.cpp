#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"

#include "sqsim/sq/errors.hpp"

#include <boost/math/special_functions/hypergeometric_1F1.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace sqsim::lower_bounds {
namespace {

// Dawson's integral F(x) = x 1F1(1; 3/2; -x^2) (Boost.Math).
double dawson(double x) { return x * boost::math::hypergeometric_1F1(1.0, 1.5, -x * x); }

constexpr double kStep = 0.125;  // trapezoid step in s = log(lambda): error ~ exp(-2 pi (pi/4) / step) ~ 1e-17
constexpr double kLeft = 40.0;   // below lambda = e^-40 / max|w_j| the integrand is ~ lambda^{k-1}: negligible
constexpr double kRight = 16.0;  // above e^16 / min|w_j| it is ~ lambda^{-k-2}: negligible

double sign_of_order(int k) { return (k / 2) % 2 == 0 ? -1.0 : 1.0; }  // -(-1)^{k/2}

void check_subset(std::span<const int> subset, Eigen::Index d) {
  const auto k = static_cast<int>(subset.size());
  if (k < 2 || k > kMaxParityOrder || k % 2 != 0)
    throw std::invalid_argument("parity order k = " + std::to_string(k) + ": must be even, in [2, 16]");
  for (int j : subset)
    if (j < 0 || j >= d) throw std::invalid_argument("parity coordinate " + std::to_string(j) + " is outside [0, d)");
}

}  // namespace

double parity_sine(double mu) { return 2.0 / std::sqrt(std::numbers::pi) * dawson(mu / std::numbers::sqrt2); }

double parity_sine_derivative(double mu) {
  return std::sqrt(2.0 / std::numbers::pi) * (1.0 - std::numbers::sqrt2 * mu * dawson(mu / std::numbers::sqrt2));
}

ParityCorrelation::ParityCorrelation(const Vector& w) : ParityCorrelation(w, {}) {}

ParityCorrelation::ParityCorrelation(const Vector& w, std::span<const int> coordinates) : w_(w), norm2_(w.squaredNorm()) {
  const Eigen::Index d = w.size();
  accepted_.assign(static_cast<std::size_t>(d), coordinates.empty() ? 1 : 0);
  for (int j : coordinates) {
    if (j < 0 || j >= d) throw std::invalid_argument("parity coordinate " + std::to_string(j) + " is outside [0, d)");
    accepted_[static_cast<std::size_t>(j)] = 1;
  }
  double largest = 0.0, smallest = std::numeric_limits<double>::infinity();
  for (Eigen::Index j = 0; j < d; ++j)
    if (accepted_[static_cast<std::size_t>(j)]) largest = std::max(largest, std::abs(w[j]));
  if (largest > 0.0) {
    // Coordinates far below the largest do not set the range: their factor is ~ lambda w_j there.
    for (Eigen::Index j = 0; j < d; ++j)
      if (accepted_[static_cast<std::size_t>(j)] && std::abs(w[j]) > 1e-12 * largest) smallest = std::min(smallest, std::abs(w[j]));
    const double s_begin = -std::log(largest) - kLeft, s_end = -std::log(smallest) + kRight;
    const int n = static_cast<int>(std::ceil((s_end - s_begin) / kStep)) + 1;
    for (int i = 0; i < n; ++i) {
      const double lambda = std::exp(s_begin + i * kStep);
      lambda_.push_back(lambda);
      weight_.push_back(kStep * lambda);
    }
  }
  const std::size_t nodes = lambda_.size();
  h_.resize(static_cast<std::size_t>(d) * nodes);
  dh_.resize(static_cast<std::size_t>(d) * nodes);
  tabulated_once_ = std::make_unique<std::once_flag[]>(static_cast<std::size_t>(d));
  std::vector<int> order(static_cast<std::size_t>(d));
  std::iota(order.begin(), order.end(), 0);
  const std::size_t keep = std::min<std::size_t>(order.size(), kMaxParityOrder + 1);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                    [&](int a, int b) { return std::abs(w[a]) > std::abs(w[b]); });
  largest_.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep));
}

void ParityCorrelation::tabulate(int j) const {
  // Each coordinate's rows are written once, by whichever thread first needs them; distinct
  // coordinates own disjoint rows, so no lock beyond the once_flag.
  std::call_once(tabulated_once_[static_cast<std::size_t>(j)], [this, j] {
    const std::size_t nodes = lambda_.size(), row = static_cast<std::size_t>(j) * nodes;
    for (std::size_t n = 0; n < nodes; ++n) {
      h_[row + n] = parity_sine(lambda_[n] * w_[j]);
      dh_[row + n] = parity_sine_derivative(lambda_[n] * w_[j]);
    }
  });
}

ParityCorrelation::Parts ParityCorrelation::evaluate(std::span<const int> subset) const {
  check_subset(subset, w_.size());
  for (int j : subset) {
    if (!accepted_[static_cast<std::size_t>(j)])
      throw std::invalid_argument("parity coordinate " + std::to_string(j) + " is not among the coordinates of this ParityCorrelation");
    tabulate(j);
  }
  const int k = static_cast<int>(subset.size());
  Parts parts;
  double sigma2 = norm2_;
  for (int j : subset) sigma2 -= w_[j] * w_[j];
  sigma2 = std::max(0.0, sigma2);
  const std::size_t nodes = lambda_.size();
  std::array<const double*, kMaxParityOrder> h{}, dh{};
  for (int i = 0; i < k; ++i) {
    h[static_cast<std::size_t>(i)] = h_.data() + static_cast<std::size_t>(subset[static_cast<std::size_t>(i)]) * nodes;
    dh[static_cast<std::size_t>(i)] = dh_.data() + static_cast<std::size_t>(subset[static_cast<std::size_t>(i)]) * nodes;
  }
  double value = 0.0, off = 0.0;
  std::array<double, kMaxParityOrder> on{};
  std::array<double, kMaxParityOrder + 1> prefix{};
  for (std::size_t n = 0; n < nodes; ++n) {
    const double lambda = lambda_[n];
    const double gaussian = std::exp(-0.5 * lambda * lambda * sigma2);
    if (gaussian == 0.0) break;  // lambda only grows
    prefix[0] = 1.0;
    for (int i = 0; i < k; ++i)
      prefix[static_cast<std::size_t>(i) + 1] = prefix[static_cast<std::size_t>(i)] * h[static_cast<std::size_t>(i)][n];
    const double product = prefix[static_cast<std::size_t>(k)] * gaussian;
    value += weight_[n] * product / (lambda * lambda);
    off += weight_[n] * product;
    double suffix = gaussian;
    for (int i = k - 1; i >= 0; --i) {
      // d/dw_j of prod h(lambda w_i) = lambda h'(lambda w_j) prod_{i != j} h(lambda w_i)
      on[static_cast<std::size_t>(i)] +=
          weight_[n] * dh[static_cast<std::size_t>(i)][n] * prefix[static_cast<std::size_t>(i)] * suffix / lambda;
      suffix *= h[static_cast<std::size_t>(i)][n];
    }
  }
  const double sign = sign_of_order(k) / std::numbers::pi;
  parts.value = sign * value;
  parts.off_coefficient = -sign * off;  // d/dw_j exp(-lambda^2 sigma^2/2) = -lambda^2 w_j exp(...)
  for (int i = 0; i < k; ++i) parts.on_subset[static_cast<std::size_t>(i)] = sign * on[static_cast<std::size_t>(i)];
  return parts;
}

Vector ParityCorrelation::gradient(std::span<const int> subset) const {
  const Parts parts = evaluate(subset);
  Vector g = parts.off_coefficient * w_;
  for (std::size_t i = 0; i < subset.size(); ++i) g[subset[i]] = parts.on_subset[i];
  return g;
}

double ParityCorrelation::gradient_norm_l2(std::span<const int> subset, const Parts& parts) const {
  double on = 0.0, off = norm2_;
  for (std::size_t i = 0; i < subset.size(); ++i) {
    on += parts.on_subset[i] * parts.on_subset[i];
    off -= w_[subset[i]] * w_[subset[i]];
  }
  return std::sqrt(on + parts.off_coefficient * parts.off_coefficient * std::max(0.0, off));
}

double ParityCorrelation::gradient_norm_linf(std::span<const int> subset, const Parts& parts) const {
  double largest = 0.0;
  for (std::size_t i = 0; i < subset.size(); ++i) largest = std::max(largest, std::abs(parts.on_subset[i]));
  for (int j : largest_)
    if (std::find(subset.begin(), subset.end(), j) == subset.end()) {
      largest = std::max(largest, std::abs(parts.off_coefficient * w_[j]));
      break;
    }
  return largest;
}

}  // namespace sqsim::lower_bounds