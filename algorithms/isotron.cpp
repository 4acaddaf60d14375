#include "sqsim/algorithms/isotron.hpp"

#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace sqsim::algorithms {

void IsotronParams::validate() const {
  using sq::require;
  require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  require(bins >= 2 && bins <= 1000, "bins", bins, "must be in [2, 1000]");
  require(max_iterations >= 1, "max_iterations", max_iterations, "must be at least 1");
  require(std::isfinite(label_second_moment) && label_second_moment >= 0.0, "label_second_moment", label_second_moment,
          "must be a finite number >= 0");
  require(std::isfinite(label_fourth_moment) && label_fourth_moment >= 0.0, "label_fourth_moment", label_fourth_moment,
          "must be a finite number >= 0");
}

std::vector<double> isotonic_fit(const std::vector<double>& values, const std::vector<double>& weights) {
  sq::require(values.size() == weights.size(), "weights", weights.size(), "must have one weight per value");
  // Blocks of pooled values: each holds its weighted mean, total weight and length; a new value pools
  // with the blocks before it while they would decrease.
  struct Block {
    double mean, weight;
    std::size_t length;
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sq::require(weights[i] > 0.0 && std::isfinite(weights[i]), "weight", weights[i], "must be a finite number > 0");
    Block b{values[i], weights[i], 1};
    while (!blocks.empty() && blocks.back().mean >= b.mean) {
      const Block a = blocks.back();
      blocks.pop_back();
      b = {(a.mean * a.weight + b.mean * b.weight) / (a.weight + b.weight), a.weight + b.weight, a.length + b.length};
    }
    blocks.push_back(b);
  }
  std::vector<double> fit;
  fit.reserve(values.size());
  for (const Block& b : blocks) fit.insert(fit.end(), b.length, b.mean);
  return fit;
}

Isotron::Isotron(IsotronParams params) : params_(params) { params_.validate(); }

namespace {

// The bin of z among the sorted interior edges: 0 below edges[0], edges.size() above the last.
std::size_t bin_of(const std::vector<double>& edges, double z) {
  return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), z) - edges.begin());
}

}  // namespace

sq::Vector Isotron::run(sq::QueryChannel& channel) {
  const Eigen::Index d = channel.dimension();
  const double tau = params_.tolerance, m2 = params_.label_second_moment;
  const auto bins = static_cast<std::size_t>(params_.bins);
  // Edges of `bins` bins of equal mass under z = u.x ~ N(0, 1) for a unit u.
  std::vector<double> edges(bins - 1);
  const boost::math::normal_distribution<double> standard;
  for (std::size_t j = 1; j < bins; ++j) edges[j - 1] = boost::math::quantile(standard, static_cast<double>(j) / static_cast<double>(bins));
  // E_D0[y^2 1{u.x > t}] <= m2; E_D0[(y relu(u.x))^2] = E[y^2]/2; E_D0[(relu(w.x) - y)^4] <= 8 (3 |w|^4 / 2 + E[y^4]).
  const double label_scale = std::max(1.0, std::sqrt(m2));
  const double relu_scale = std::max(1.0, std::sqrt(m2 / 2.0));

  sq::Vector best = sq::Vector::Zero(d);
  double best_loss = std::numeric_limits<double>::infinity();
  const auto consider = [&](const sq::Vector& u) {
    const double r = std::max(0.0, 2.0 * relu_scale * channel.ask(queries::relu_correlation(u, relu_scale), tau));
    const sq::Vector w = r * u;
    const double loss_scale = std::max(2.0, std::sqrt(8.0 * (1.5 * std::pow(w.squaredNorm(), 2) + params_.label_fourth_moment)));
    const double loss = loss_scale * channel.ask(queries::square_loss(w, loss_scale), tau);
    if (loss < best_loss) {
      best_loss = loss;
      best = w;
    }
    channel.report_iterate(best);
  };

  // Isotron's first step from w = 0: the link is the constant E[y], so w = E[(y - E[y]) x] = E[y x].
  sq::Vector w = label_scale * channel.ask(queries::label_correlation(d, label_scale), tau);
  std::optional<double> label_mean;  // E[y], asked once (along the first direction: a ridge query needs one)
  std::vector<double> above(bins + 1, 0.0), means(bins), weights(bins, 1.0 / static_cast<double>(bins));
  for (iterations_ = 0;;) {
    const double norm = w.norm();
    if (!(norm > 2.0 * tau * label_scale) || !w.allFinite()) break;  // no direction to follow (or diverged)
    const sq::Vector u = w / norm;
    consider(u);
    if (iterations_ == params_.max_iterations) break;
    // The link: above[j] = E[y 1{u.x > edges[j-1]}], so bin j holds above[j] - above[j+1] of the label mass.
    if (!label_mean)
      label_mean =
          label_scale * channel.ask(sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "label_mean", sq::Matrix(u),
                                                                 [label_scale](const sq::Vector&, double y) { return y / label_scale; }),
                                    tau);
    above[0] = *label_mean;
    for (std::size_t j = 1; j < bins; ++j)
      above[j] = label_scale * channel.ask(queries::threshold_correlation(u, edges[j - 1], label_scale), tau);
    for (std::size_t j = 0; j < bins; ++j) means[j] = (above[j] - above[j + 1]) * static_cast<double>(bins);
    const std::vector<double> link = isotonic_fit(means, weights);
    const double link_max = std::max(std::abs(link.front()), std::abs(link.back()));
    // The update E[(y - u(z)) x]: E_D0[(y - u(z))^2 x_i^2] <= 2 m2 + 2 max u^2.
    const double scale = std::max(1.0, std::sqrt(2.0 * m2 + 2.0 * link_max * link_max));
    std::vector<sq::Breakpoint> breakpoints;
    for (double e : edges) breakpoints.push_back({0, e});
    const sq::Vector step =
        scale * channel.ask(sq::VectorQuery::ridge_times_x(
                                sq::QueryKind::l2, "isotron_residual", sq::Matrix(u),
                                [link, edges, scale](const sq::Vector& z, double y) { return (y - link[bin_of(edges, z[0])]) / scale; },
                                std::move(breakpoints)),
                            tau);
    ++iterations_;
    if (step.norm() <= 2.0 * tau * scale) break;  // the residual is indistinguishable from 0: a fixed point
    w += step;
  }
  return best;  // already reported by the last consider(), if any
}

}  // namespace sqsim::algorithms
