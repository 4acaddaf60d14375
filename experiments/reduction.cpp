#include "sqsim/experiments/reduction.hpp"

#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/parallel.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include <chrono>

namespace sqsim::experiments {

double ReductionConfig::learner_tolerance() const { return tolerance.value_or(0.1 * (1.0 - 2.0 * noise)); }

void ReductionConfig::validate() const {
  sq::require(threads >= 0 && threads <= sq::kMaxThreads, "threads", threads, "must lie in [0, 1024]");
  lower_bounds::LiftedParityParams{d, k, noise}.validate();
  sq::require(std::isfinite(delta) && delta > 0.0 && delta < 1.0, "delta", delta, "must lie in (0, 1)");
  if (tolerance) sq::require(std::isfinite(*tolerance) && *tolerance > 0.0, "tolerance", *tolerance, "must be a finite number > 0");
}

ReductionReport run_reduction(const ReductionConfig& config) {
  config.validate();
  const algorithms::RunContext context{config.learner_tolerance(), sq::stream_seed(config.seed, sq::Stream::algorithm), config.k};
  const auto learner = algorithms::make_algorithm(
      config.learner, context,
      algorithms::options_taken(config.learner, {{"init", "random"}, {"signal", sq::format_number(1.0 - 2.0 * config.noise)}}));
  return run_reduction(*learner, config);
}

ReductionReport run_reduction(sq::Algorithm& learner, const ReductionConfig& config) {
  config.validate();
  ReductionReport report;
  sq::Engine engine(sq::stream_seed(config.seed, sq::Stream::planted));
  const auto family = lower_bounds::LiftedParity::make({config.d, config.k, config.noise});
  report.hidden = family->member(boost::random::uniform_int_distribution<std::uint64_t>(0, family->size() - 1)(engine));
  const lower_bounds::NoisyParity source{config.d, report.hidden, config.noise};
  // The learner sees lifted samples only, through the ordinary sample oracle.
  oracles::SampleOracle oracle(config.d,
                               [source](sq::Engine& e, Eigen::Ref<sq::Vector> x) {
                                 thread_local sq::Vector b;
                                 b.resize(source.d);
                                 const double label = lower_bounds::draw_noisy_parity(source, e, b);
                                 return lower_bounds::lift(e, b, label, x);
                               },
                               "lifted-parity-with-noise",
                               {config.delta, sq::stream_seed(config.seed, sq::Stream::oracle), config.threads});
  const auto start = std::chrono::steady_clock::now();
  const sq::RunResult run = sq::run(learner, oracle);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.status = std::string(sq::to_string(run.status));
  report.samples = oracle.samples_used();
  report.queries = run.spent.total_queries();
  report.gap = family->facts().gap;
  report.optS = family->facts().optS;
  if (run.w) {
    report.decoded = lower_bounds::decode_parity(*run.w, config.k);
    report.recovered = report.decoded == report.hidden;
    report.loss = family->loss(*run.w, report.hidden);
  }
  return report;
}

}  // namespace sqsim::experiments