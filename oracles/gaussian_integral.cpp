#include "oracles/gaussian_integral.hpp"

#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/gauss.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace oracles {
namespace {

constexpr double kRadius = 12.0;         // Gaussian mass beyond: e^{-72} in 2-D
constexpr double kRadialPanel = 3.0;     // longest radial (or 1-D) panel
constexpr double kAngularPanel = 0.7854; // longest angular panel (pi/4)
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

double wrap_angle(double a) {
  a = std::fmod(a, 2.0 * pi);
  return a < 0.0 ? a + 2.0 * pi : a;
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
    composite(-kRadius, kRadius, cuts, kRadialPanel, [&](double t, double w) {
      f(&t, w * density * std::exp(-0.5 * t * t), sums);
    });
    return;
  }
  if (k != 2) throw std::invalid_argument("integrate_gaussian: dimension " + std::to_string(k) + " is not supported");

  // Angular cuts: the rays of every plane through the origin, and for the other planes the
  // direction of their closest point (where the radial crossing moves fastest).
  std::vector<double> angle_cuts;
  std::vector<Hyperplane> offset_planes;
  for (const Hyperplane& h : breaks) {
    const double norm = std::hypot(h.normal[0], h.normal[1]);
    if (norm == 0.0) continue;
    const double direction = std::atan2(h.normal[1], h.normal[0]);
    if (std::abs(h.level) <= 1e-14 * norm) {
      angle_cuts.push_back(wrap_angle(direction + 0.5 * pi));
      angle_cuts.push_back(wrap_angle(direction - 0.5 * pi));
    } else {
      angle_cuts.push_back(wrap_angle(h.level > 0 ? direction : direction + pi));
      offset_planes.push_back(h);
    }
  }
  const double polar_density = 1.0 / (2.0 * pi);
  std::vector<double> radial_cuts;
  composite(0.0, 2.0 * pi, angle_cuts, kAngularPanel, [&](double phi, double w_phi) {
    const double c = std::cos(phi), s = std::sin(phi);
    radial_cuts.clear();
    for (const Hyperplane& h : offset_planes) {
      const double along = h.normal[0] * c + h.normal[1] * s;
      if (along == 0.0) continue;
      const double r = h.level / along;
      if (r > 0.0 && r < kRadius) radial_cuts.push_back(r);
    }
    composite(0.0, kRadius, radial_cuts, kRadialPanel, [&](double r, double w_r) {
      const double t[2] = {r * c, r * s};
      f(t, w_phi * w_r * polar_density * r * std::exp(-0.5 * r * r), sums);
    });
  });
}

}  // namespace oracles
