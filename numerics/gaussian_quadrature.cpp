#include "sqsim/numerics/gaussian_quadrature.hpp"

#include <boost/math/special_functions/legendre.hpp>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace sqsim::numerics {
namespace {

constexpr double kSquareHalfWidth = 9.0;  // Gaussian mass outside [-9, 9]^k: < 1e-18
constexpr double kPanel = 3.0;            // longest panel of integrate_gaussian's composite rule

// The rule for a panel of width h: the Gaussian-weighted integrand is entire between kinks, and an
// N-point rule on a panel of half-width a errs by about a^{2N} / sqrt((2N)!) relative to it (the
// Taylor terms of e^{-t^2/2}): N = 7, 10, 15, 20 keep that below 1e-15 up to h = 0.4, 1, 2, 3, with
// a margin for the polynomial growth of g. Short panels between close kinks get few nodes.
const Rule& rule_for(double h) {
  static const Rule &r7 = legendre(7), &r10 = legendre(10), &r15 = legendre(15), &r20 = legendre(20);
  return h <= 0.4 ? r7 : h <= 1.0 ? r10 : h <= 2.0 ? r15 : r20;
}

template <class Visit>
void square_composite(std::vector<double> cuts, Visit&& visit) {
  composite(-kSquareHalfWidth, kSquareHalfWidth, std::move(cuts), kPanel, rule_for, std::forward<Visit>(visit));
}

}  // namespace

const Rule& legendre(int n) {
  static std::mutex mutex;
  static std::map<int, Rule> cache;  // std::map: references stay valid as rules are added
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

std::vector<double> scaled_cuts(const std::vector<double>& breakpoints, double tau) {
  std::vector<double> cuts;
  for (double b : breakpoints) cuts.push_back(b / tau);
  return cuts;
}

void for_each_node_block(int k, const std::vector<Hyperplane>& breaks, const NodeBlock& block) {
  double b0[kNodeBlock], b1[kNodeBlock], bw[kNodeBlock];
  int count = 0;
  auto flush = [&] {
    if (count > 0) block(b0, b1, bw, count);
    count = 0;
  };
  auto add = [&](double t0, double t1, double weight) {
    b0[count] = t0;
    b1[count] = t1;
    bw[count] = weight;
    if (++count == kNodeBlock) flush();
  };
  if (k == 0) {
    add(0.0, 0.0, 1.0);
    flush();
    return;
  }
  if (k == 1) {
    std::vector<double> cuts;
    for (const Hyperplane& h : breaks)
      if (h.normal[0] != 0.0) cuts.push_back(h.level / h.normal[0]);
    square_composite(cuts, [&](double t, double w) { add(t, 0.0, w * kInvSqrt2Pi * std::exp(-0.5 * t * t)); });
    flush();
    return;
  }
  if (k != 2) throw std::invalid_argument("integrate_gaussian: dimension " + std::to_string(k) + " is not supported");

  // Iterated integral over t0 (outer) and t1 (inner). The inner breakpoints are where each line
  // crosses at this t0; the outer cuts are where two lines cross (their order changes), where a line
  // is vertical, and where a line leaves the square. Between outer cuts the inner integral is
  // analytic in t0, so composite Gauss–Legendre converges fast in both directions.
  const double L = kSquareHalfWidth;
  std::vector<double> outer_cuts;
  std::vector<Hyperplane> lines;
  for (const Hyperplane& h : breaks) {
    if (h.normal[0] == 0.0 && h.normal[1] == 0.0) continue;
    lines.push_back(h);
    if (h.normal[1] == 0.0) {
      outer_cuts.push_back(h.level / h.normal[0]);
    } else if (h.normal[0] != 0.0) {
      outer_cuts.push_back((h.level - h.normal[1] * L) / h.normal[0]);
      outer_cuts.push_back((h.level + h.normal[1] * L) / h.normal[0]);
    }
  }
  for (std::size_t a = 0; a < lines.size(); ++a)
    for (std::size_t b = a + 1; b < lines.size(); ++b) {
      const auto &p = lines[a].normal, &q = lines[b].normal;
      const double det = p[0] * q[1] - p[1] * q[0];
      if (std::abs(det) > 1e-14 * std::hypot(p[0], p[1]) * std::hypot(q[0], q[1]))
        outer_cuts.push_back((lines[a].level * q[1] - lines[b].level * p[1]) / det);
    }
  const double density = kInvSqrt2Pi * kInvSqrt2Pi;
  std::vector<double> inner_cuts;
  square_composite(outer_cuts, [&](double t0, double w0) {
    inner_cuts.clear();
    for (const Hyperplane& h : lines)
      if (h.normal[1] != 0.0) inner_cuts.push_back((h.level - h.normal[0] * t0) / h.normal[1]);
    const double outer_weight = w0 * density * std::exp(-0.5 * t0 * t0);
    square_composite(inner_cuts, [&](double t1, double w1) { add(t0, t1, outer_weight * w1 * std::exp(-0.5 * t1 * t1)); });
  });
  flush();
}

void integrate_gaussian(int k, const std::vector<Hyperplane>& breaks, int n_values, const NodeIntegrand& f, double* sums) {
  std::fill(sums, sums + n_values, 0.0);
  for_each_node_block(k, breaks, [&](const double* t0, const double* t1, const double* w, int count) {
    for (int i = 0; i < count; ++i) {
      const double t[2] = {t0[i], t1[i]};
      f(k == 0 ? nullptr : t, w[i], sums);
    }
  });
}

}  // namespace sqsim::numerics