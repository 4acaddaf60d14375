#include "sqsim/experiments/tradeoff.hpp"

#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/group_testing.hpp"
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/hard_instance.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include <cmath>
#include <limits>

namespace sqsim::experiments {

double parity_gap(int k, double noise) { return lower_bounds::LiftedParity({k, k, noise}).facts().gap; }

void TradeoffConfig::validate() const {
  sq::require(!epsilons.empty(), "eps", 0, "need at least one target excess");
  for (double e : epsilons) sq::require(std::isfinite(e) && e > 0 && e < 0.5, "eps", e, "must lie in (0, 0.5)");
  sq::require(!dims.empty(), "dims", 0, "need at least one dimension");
  for (int d : dims) sq::require(d >= 2 && d <= 20000, "dims entry", d, "must lie in [2, 20000]");
  sq::require(std::isfinite(noise) && noise >= 0 && noise < 0.5, "noise", noise, "must lie in [0, 0.5)");
  sq::require(seeds >= 1, "seeds", seeds, "must be at least 1");
  sq::require(gd_budget >= 1, "gd-budget", gd_budget, "must be at least 1");
}

TradeoffReport run_tradeoff(const TradeoffConfig& config) {
  config.validate();
  TradeoffReport report;
  const std::size_t total = config.epsilons.size() * config.dims.size();
  std::size_t done = 0;
  for (double eps : config.epsilons) {
    // The hardest family that still separates eps: the largest even k with gap_k > 2 eps.
    int k = 0;
    double gap = 0.0;
    for (int candidate = 2; candidate <= lower_bounds::kMaxParityOrder; candidate += 2) {
      const double g = parity_gap(candidate, config.noise);
      if (g > 2 * eps) {
        k = candidate;
        gap = g;
      }
    }
    std::vector<double> xs, bounds, measured;
    for (int d : config.dims) {
      report_progress(config.progress, done++, total, "eps = " + sq::format_number(eps) + ", d = " + std::to_string(d));
      TradeoffPoint p;
      p.epsilon = eps;
      p.k = k;
      p.d = d;
      if (k == 0 || k > d) {
        report.points.push_back(p);
        continue;
      }
      p.gap = gap;
      p.tolerance = (gap - eps) / 2;
      const auto family = lower_bounds::LiftedParity::make({d, k, config.noise});
      p.family_size = queries::binomial(d, k);
      p.bound = lower_bounds::statistical_query_lower_bound(p.family_size, family->facts().beta, 0.0, p.tolerance).queries;
      const algorithms::GroupTestingParams gt{k, p.tolerance, family->signal(), algorithms::GroupQueries::l2};
      {
        lower_bounds::AdversarialOracle adversary(family, {std::numeric_limits<std::uint64_t>::max(), 1, 1, config.threads, false});
        algorithms::GroupTesting search(gt);
        sq::run(search, adversary);
        p.adversary_queries = static_cast<double>(adversary.queries_until_consistent(1));
      }
      std::vector<double> counts;
      sq::Engine engine(sq::derive_seed(sq::stream_seed(config.seed, sq::Stream::experiment),
                                        static_cast<std::uint64_t>(d) * 100 + static_cast<std::uint64_t>(k)));
      for (int i = 0; i < config.seeds; ++i) {
        const auto planted = family->member(boost::random::uniform_int_distribution<std::uint64_t>(0, family->size() - 1)(engine));
        lower_bounds::MemberOracle oracle(family, planted, oracles::Perturbation::worst_case);
        algorithms::GroupTesting search(gt);
        counts.push_back(static_cast<double>(sq::run(search, oracle).spent.total_queries()));
      }
      p.planted = mean_interval(counts);
      // GD at the same tau: certified to end at excess >= eps when nothing exposed the planted member.
      algorithms::GradientDescentParams gd_params;
      gd_params.tolerance = p.tolerance;
      gd_params.init = algorithms::Initialization::random;
      gd_params.seed = sq::derive_seed(sq::stream_seed(config.seed, sq::Stream::algorithm), static_cast<std::uint64_t>(d));
      gd_params.max_iterations = std::numeric_limits<int>::max();
      gd_params.stop_early = false;
      algorithms::GradientDescent gd(gd_params);
      lower_bounds::HardInstanceParams hard;
      hard.tolerance = p.tolerance;
      hard.budget.max_scalar_queries = config.gd_budget;
      hard.seed = sq::derive_seed(sq::stream_seed(config.seed, sq::Stream::planted), static_cast<std::uint64_t>(d));
      hard.adversary = {10'000'000, 100'000, sq::stream_seed(config.seed, sq::Stream::adversary), config.threads, false};
      hard.check_answers = false;
      const lower_bounds::HardInstanceResult result = lower_bounds::run_hard_instance(gd, family, hard);
      p.gd_certified = result.certified;
      p.gd_excess = result.loss - family->facts().optS;
      p.gd_subfamily = result.subfamily;
      xs.push_back(d);
      bounds.push_back(std::max(1.0, p.bound));
      measured.push_back(p.adversary_queries);
      report.points.push_back(p);
    }
    if (xs.size() >= 2) report.fits.push_back({eps, k, loglog_fit(xs, bounds), loglog_fit(xs, measured)});
  }
  return report;
}

}  // namespace sqsim::experiments