#include "sqsim/experiments/family_run.hpp"

#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/random/uniform_int_distribution.hpp>

namespace sqsim::experiments {

void FamilyRunSpec::validate() const {
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(threads >= 0 && threads <= sq::kMaxThreads, "threads", threads, "must lie in [0, 1024] (0 = all cores)");
  sq::require(oracle == FamilyOracle::member || perturbation == oracles::Perturbation::truthful, "perturbation",
              std::string(oracles::to_string(perturbation)), "applies to the member oracle; the adversary always answers with D0's value");
}

FamilyRunReport run_on_family(sq::Algorithm& algorithm, std::shared_ptr<lower_bounds::HardFamily> family, const FamilyRunSpec& spec) {
  spec.validate();
  FamilyRunReport report;
  report.oracle = spec.oracle;
  report.family = family->name();
  report.description = family->description();
  report.d = family->dimension();
  report.k = family->order();
  report.tolerance = spec.tolerance;
  report.facts = family->facts();
  if (spec.oracle == FamilyOracle::adversary) {
    lower_bounds::HardInstanceParams params;
    params.tolerance = spec.tolerance;
    params.budget = spec.budget;
    params.planted = spec.member;
    params.seed = sq::stream_seed(spec.seed, sq::Stream::planted);
    params.adversary.seed = sq::stream_seed(spec.seed, sq::Stream::adversary);
    params.adversary.threads = spec.threads;
    params.adversary.max_tracked = spec.max_tracked;
    params.adversary.subfamily_size = spec.subfamily_size;
    params.adversary.progress = spec.progress;
    params.transcript = spec.transcript;
    params.record_trace = spec.record_trace;
    report.adversary = lower_bounds::run_hard_instance(algorithm, family, params);
    report.run = report.adversary->run;
    report.planted = report.adversary->planted;
    report.family_size = report.adversary->family_size;
    return report;
  }
  if (spec.member) {
    report.planted = *spec.member;
  } else {
    sq::Engine engine(sq::stream_seed(spec.seed, sq::Stream::planted));
    report.planted = family->member(boost::random::uniform_int_distribution<std::uint64_t>(0, family->size() - 1)(engine));
  }
  lower_bounds::MemberOracle oracle(family, report.planted, spec.perturbation, sq::stream_seed(spec.seed, sq::Stream::oracle));
  const lower_bounds::MemberEvaluator evaluator(family, report.planted);
  sq::RunOptions options;
  options.budget = spec.budget;
  options.transcript = spec.transcript;
  options.record_trace = spec.record_trace;
  report.run = sq::run(algorithm, oracle, options, &evaluator);
  report.family_size = queries::binomial(static_cast<int>(family->dimension()), family->order());
  return report;
}

}  // namespace sqsim::experiments