#include "sqsim/experiments/sq_bound.hpp"

#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/algorithms/subset_learner.hpp"
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

namespace sqsim::experiments {

void SqBoundConfig::validate() const {
  sq::require(!dims.empty(), "dims", 0, "need at least one dimension");
  sq::require(!tolerances.empty(), "tolerances", 0, "need at least one tolerance");
  for (int d : dims) lower_bounds::LiftedParityParams{d, k, noise}.validate();
  for (double t : tolerances)
    sq::require(std::isfinite(t) && t > 0 && t < 0.5 * (1 - 2 * noise), "tolerance", t, "must lie in (0, (1 - 2 eta)/2)");
  sq::require(seeds >= 1, "seeds", seeds, "must be at least 1");
  sq::require(max_queries >= 1, "max-queries", max_queries, "must be at least 1");
  for (const std::string& name : algorithms) {
    const auto made = algorithms::make_algorithm(name, {tolerances.front(), 1, k});
    sq::require(dynamic_cast<const algorithms::SubsetLearner*>(made.get()) != nullptr, "algorithms entry", name,
                "is not a subset learner (one that reports the S it found, like group-testing or parity-search)");
  }
}

std::vector<SqBoundPoint> run_sq_bound(const SqBoundConfig& config) {
  config.validate();
  std::vector<SqBoundPoint> points;
  const std::size_t total = config.dims.size() * config.tolerances.size();
  for (int d : config.dims) {
    const auto family = lower_bounds::LiftedParity::make({d, config.k, config.noise});
    const double size = queries::binomial(d, config.k), signal = family->signal();
    for (double tau : config.tolerances) {
      SqBoundPoint point{
          d, tau, size, lower_bounds::statistical_query_lower_bound(size, family->facts().beta, family->facts().gamma, tau).queries, {}};
      for (const algorithms::AlgorithmEntry& entry : algorithms::catalogue()) {
        if (std::find(config.algorithms.begin(), config.algorithms.end(), entry.name) == config.algorithms.end()) continue;
        // The learner may assume the family's true signal 1 - 2 eta.
        const auto make = [&] {
          return algorithms::make_algorithm(entry.name, {tau, 1, config.k},
                                            algorithms::options_taken(entry.name, {{"signal", sq::format_number(signal)}}));
        };
        auto learned = [](const sq::Algorithm& a) -> const algorithms::SubsetLearner& {
          return dynamic_cast<const algorithms::SubsetLearner&>(a);
        };
        SqBoundMeasure m;
        m.algorithm = entry.name;
        m.run = learned(*make()).planned_queries(d) <= static_cast<double>(config.max_queries);
        if (m.run) {
          lower_bounds::AdversarialOracle adversary(family, {std::numeric_limits<std::uint64_t>::max(), 1, 1, config.threads, false});
          const auto algorithm = make();
          sq::run(*algorithm, adversary);
          m.adversary_queries = static_cast<double>(adversary.queries_until_consistent(1));
          std::vector<double> counts;
          sq::Engine engine(sq::derive_seed(sq::stream_seed(config.seed, sq::Stream::experiment),
                                            static_cast<std::uint64_t>(d) * 1000 + static_cast<std::uint64_t>(tau * 1e6)));
          for (int i = 0; i < config.seeds; ++i) {
            const std::uint64_t rank = boost::random::uniform_int_distribution<std::uint64_t>(0, family->size() - 1)(engine);
            const lower_bounds::Subset planted = family->member(rank);
            lower_bounds::MemberOracle oracle(family, planted);
            const auto learner = make();
            const sq::RunResult r = sq::run(*learner, oracle);
            counts.push_back(static_cast<double>(r.spent.total_queries()));
            m.found_all = m.found_all && learned(*learner).found() == planted;
          }
          m.planted = mean_interval(counts);
          m.ratio_adversary = m.adversary_queries / point.bound;
          m.ratio_planted = m.planted.mean / point.bound;
        }
        point.measures.push_back(std::move(m));
      }
      points.push_back(std::move(point));
      report_progress(config.progress, points.size(), total, "d = " + std::to_string(d) + ", tau = " + sq::format_number(tau));
    }
  }
  return points;
}

}  // namespace sqsim::experiments