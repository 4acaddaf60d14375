#include "sqsim/lower_bounds/parity_reduction.hpp"

#include "sqsim/sq/errors.hpp"

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sqsim::lower_bounds {

void NoisyParity::validate() const {
  sq::require(d >= 1, "dim", d, "must be at least 1");
  queries::check_subset(S, d, "parity coordinate");
  sq::require(!S.empty(), "k", 0, "must be at least 1");
  sq::require(std::isfinite(eta) && eta >= 0.0 && eta < 0.5, "noise", eta, "must lie in [0, 0.5)");
}

double draw_noisy_parity(const NoisyParity& source, sq::Engine& engine, Eigen::Ref<sq::Vector> b) {
  boost::random::bernoulli_distribution<double> coin(0.5), flip(source.eta);
  for (Eigen::Index j = 0; j < b.size(); ++j) b[j] = coin(engine) ? 1.0 : -1.0;
  double label = 1.0;
  for (int j : source.S) label *= b[j];
  return flip(engine) ? -label : label;
}

double lift(sq::Engine& engine, const Eigen::Ref<const sq::Vector>& b, double label, Eigen::Ref<sq::Vector> x) {
  boost::random::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < b.size(); ++j) x[j] = b[j] * std::abs(normal(engine));
  return 0.5 * (1.0 + label);
}

queries::Subset decode_parity(const sq::Vector& w, int k) {
  std::vector<int> order(static_cast<std::size_t>(w.size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return std::abs(w[a]) > std::abs(w[b]); });
  queries::Subset top(order.begin(), order.begin() + std::min<std::ptrdiff_t>(k, static_cast<std::ptrdiff_t>(order.size())));
  std::sort(top.begin(), top.end());
  return top;
}

}  // namespace sqsim::lower_bounds