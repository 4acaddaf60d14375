#include "sqsim/oracles/relu_world.hpp"

#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace sqsim::oracles {

std::string_view to_string(LabelModel model) {
  switch (model) {
    case LabelModel::relu:
      return "relu";
    case LabelModel::noisy_relu:
      return "noisy-relu";
    case LabelModel::clipped_relu:
      return "clipped-relu";
    case LabelModel::agnostic:
      return "agnostic";
    case LabelModel::band:
      return "band";
    case LabelModel::mirror:
      return "mirror";
  }
  return "unknown";
}

LabelModel parse_label_model(std::string_view name) {
  for (LabelModel m :
       {LabelModel::relu, LabelModel::noisy_relu, LabelModel::clipped_relu, LabelModel::agnostic, LabelModel::band, LabelModel::mirror})
    if (to_string(m) == name) return m;
  throw std::invalid_argument("labels = " + sq::printable(name) +
                              ": must be one of relu, noisy-relu, clipped-relu, agnostic, band, mirror");
}

void WorldParams::validate() const {
  sq::require(teacher.size() >= 1, "dim", teacher.size(), "must be at least 1");
  sq::require(teacher.allFinite(), "teacher", "(non-finite entry)", "must be finite");
  sq::require(teacher.norm() > 0.0, "teacher norm", teacher.norm(), "must be > 0");
  sq::require(std::isfinite(noise) && noise >= 0.0 && noise < 0.5, "noise", noise, "must lie in [0, 0.5)");
  if (labels == LabelModel::band)
    sq::require(noise <= 0.15, "noise", noise, "must be at most 0.15 for the band model (the band starts at |v|)");
}

ReluWorld::ReluWorld(WorldParams params) : params_(std::move(params)) {
  params_.validate();
  teacher_squared_norm_ = params_.teacher.squaredNorm();
  agnostic_threshold_ = std::numeric_limits<double>::infinity();
  if (params_.labels == LabelModel::agnostic && params_.noise > 0.0) {
    // u = v.x ~ N(0, |v|^2); P(u > threshold) = eta.
    boost::math::normal standard;
    agnostic_threshold_ = params_.teacher.norm() * boost::math::quantile(boost::math::complement(standard, params_.noise));
  }
  if (params_.labels == LabelModel::band) {
    // P(1 <= g <= 1 + h) = eta for g = v.x / |v| ~ N(0, 1).
    boost::math::normal standard;
    band_end_ = params_.teacher.norm() * boost::math::quantile(standard, boost::math::cdf(standard, 1.0) + params_.noise);
  }
}

std::string ReluWorld::description() const {
  std::ostringstream out;
  out << to_string(params_.labels) << " (d = " << dimension() << ", |v| = " << sq::format_number(params_.teacher.norm())
      << ", noise = " << sq::format_number(params_.noise) << ")";
  return out.str();
}

int ReluWorld::branch_count() const {
  const bool two_point = (params_.labels == LabelModel::noisy_relu || params_.labels == LabelModel::clipped_relu) && params_.noise > 0.0;
  return two_point ? 2 : 1;
}

double ReluWorld::branch_weight(int) const { return 1.0 / branch_count(); }

namespace {
double branch_sign(int branch) { return branch == 0 ? 1.0 : -1.0; }
}  // namespace

double ReluWorld::label(double u, int branch) const {
  const double r = queries::relu(u);
  switch (params_.labels) {
    case LabelModel::relu:
      return r;
    case LabelModel::noisy_relu:
      return branch_count() == 1 ? r : r + branch_sign(branch) * params_.noise;
    case LabelModel::clipped_relu: {
      const double y = branch_count() == 1 ? r : r + branch_sign(branch) * params_.noise;
      return std::clamp(y, 0.0, 1.0);
    }
    case LabelModel::agnostic:
      return u > agnostic_threshold_ ? 0.0 : r;
    case LabelModel::band:
      return u >= params_.teacher.norm() && u <= band_end_ ? 0.0 : r;
    // Worst for w = 2 E[y x]: E[y x] = (1 - 2 eta) v / 2, so w = (1 - 2 eta) v, while the best ReLU along v
    // is (1 - eta) v with loss eta^2 |v|^2 / 2 = opt: the estimator's excess equals opt (a factor 2 on the loss).
    case LabelModel::mirror:
      return (1.0 - params_.noise) * r + params_.noise * queries::relu(-u);
  }
  return r;
}

std::vector<double> ReluWorld::label_breakpoints(int branch) const {
  std::vector<double> points{0.0};
  if (params_.labels == LabelModel::clipped_relu) {
    const double shift = branch_count() == 1 ? 0.0 : branch_sign(branch) * params_.noise;
    points.push_back(1.0 - shift);              // relu(u) + shift reaches 1
    if (shift < 0.0) points.push_back(-shift);  // relu(u) + shift leaves 0
  }
  if (params_.labels == LabelModel::agnostic && std::isfinite(agnostic_threshold_)) points.push_back(agnostic_threshold_);
  if (params_.labels == LabelModel::band && params_.noise > 0.0) {
    points.push_back(params_.teacher.norm());
    points.push_back(band_end_);
  }
  return points;
}

std::vector<double> ReluWorld::label_crossings(int branch, double level) const {
  // Every label model is affine in u between consecutive breakpoints, so each piece crosses a level at
  // most once (or lies on it), found from the values at its two ends; a jump across the level sits at a
  // breakpoint, which is already a split. Beyond 40 |v| the Gaussian mass is below 1e-300.
  std::vector<double> points = label_breakpoints(branch);
  const double reach = 40.0 * params_.teacher.norm();
  points.push_back(-reach);
  points.push_back(reach);
  std::sort(points.begin(), points.end());
  std::vector<double> crossings;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const double a = points[i], b = points[i + 1];
    if (!(b > a) || a < -reach || b > reach) continue;
    // Values just inside the piece's ends (a jump at a breakpoint belongs to neither side).
    const double lo = a + 1e-9 * (b - a), hi = b - 1e-9 * (b - a);
    const double la = label(lo, branch) - level, lb = label(hi, branch) - level;
    if ((la < 0.0 && lb > 0.0) || (la > 0.0 && lb < 0.0)) crossings.push_back(lo + (hi - lo) * la / (la - lb));
  }
  return crossings;
}

double ReluWorld::sample_label(double u, double uniform) const {
  const int branch = branch_count() == 1 ? 0 : (uniform < 0.5 ? 0 : 1);
  return label(u, branch);
}

}  // namespace sqsim::oracles