#include "oracles/gaussian_integral.hpp"

#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/gauss.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace oracles {
namespace {

constexpr double kSquareHalfWidth = 9.0;  // Gaussian mass outside [-9, 9]^k: < 1e-18
constexpr double kPanel = 3.0;            // longest panel of the composite rule
constexpr double pi = boost::math::constants::pi<double>();

// Full 30-point Gauss–Legendre rule on [-1, 1], expanded from Boost's half-rule.
struct LegendreRule {
  std::vector<double> x, w;
  LegendreRule() {
    using rule = boost::math::quadrature::gauss<double, 30>;
    const auto& a = rule::abscissa();
    const auto& b = rule::weights();
    for (std::size_t i = 0; i < a.size(); ++i) {
      x.push_back(a[i]);
      w.push_back(b[i]);
      if (a[i] != 0.0) {
        x.push_back(-a[i]);
        w.push_back(b[i]);
      }
    }
  }
};
const LegendreRule& rule() {
  static const LegendreRule r;
  return r;
}

// Calls visit(node, weight) for a composite rule over [a, b] split at the sorted cuts.
template <class Visit>
void composite(double a, double b, std::vector<double> cuts, double max_panel, Visit&& visit) {
  cuts.push_back(a);
  cuts.push_back(b);
  std::sort(cuts.begin(), cuts.end());
  const LegendreRule& r = rule();
  for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
    const double lo = std::max(a, cuts[p]), hi = std::min(b, cuts[p + 1]);
    if (!(hi > lo)) continue;
    const int panels = std::max(1, static_cast<int>(std::ceil((hi - lo) / max_panel)));
    const double width = (hi - lo) / panels;
    for (int q = 0; q < panels; ++q) {
      const double mid = lo + (q + 0.5) * width, half = 0.5 * width;
      for (std::size_t i = 0; i < r.x.size(); ++i) visit(mid + half * r.x[i], half * r.w[i]);
    }
  }
}

}  // namespace

void integrate_gaussian(int k, const std::vector<Hyperplane>& breaks, int n_values, const NodeIntegrand& f,
                        double* sums) {
  std::fill(sums, sums + n_values, 0.0);
  if (k == 0) {
    f(nullptr, 1.0, sums);
    return;
  }
  if (k == 1) {
    std::vector<double> cuts;
    for (const Hyperplane& h : breaks)
      if (h.normal[0] != 0.0) cuts.push_back(h.level / h.normal[0]);
    const double density = 1.0 / std::sqrt(2.0 * pi);
    composite(-kSquareHalfWidth, kSquareHalfWidth, cuts, kPanel, [&](double t, double w) {
      f(&t, w * density * std::exp(-0.5 * t * t), sums);
    });
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
  const double density = 1.0 / (2.0 * pi);
  std::vector<double> inner_cuts;
  composite(-L, L, outer_cuts, kPanel, [&](double t0, double w0) {
    inner_cuts.clear();
    for (const Hyperplane& h : lines)
      if (h.normal[1] != 0.0) inner_cuts.push_back((h.level - h.normal[0] * t0) / h.normal[1]);
    const double outer_weight = w0 * density * std::exp(-0.5 * t0 * t0);
    composite(-L, L, inner_cuts, kPanel, [&](double t1, double w1) {
      const double t[2] = {t0, t1};
      f(t, outer_weight * w1 * std::exp(-0.5 * t1 * t1), sums);
    });
  });
}

}  // namespace oracles
