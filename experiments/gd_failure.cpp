#include "sqsim/experiments/gd_failure.hpp"

#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/group_testing.hpp"
#include "sqsim/algorithms/parity_search.hpp"
#include "sqsim/lower_bounds/hard_instance.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"
#include "sqsim/sq/random.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

namespace sqsim::experiments {

using namespace lower_bounds;

double loglog_slope(const std::vector<double>& x, const std::vector<double>& y) { return loglog_fit(x, y).mean; }

double gradient_signal(const LiftedParity& family, const Vector& w, const Subset& member) {
  return (family.half_gradient(w, member) - LiftedParity::reference_half_gradient(w)).norm();
}

std::vector<SignalPoint> signal_versus_dimension(int k, double noise, const std::vector<int>& dims, int samples, std::uint64_t seed) {
  std::vector<SignalPoint> points;
  for (int d : dims) {
    LiftedParity family({d, k, noise});
    Subset planted(static_cast<std::size_t>(k));
    std::iota(planted.begin(), planted.end(), 0);
    SignalPoint point{d, 0.0, std::numeric_limits<double>::quiet_NaN()};
    const bool enumerate = family.size() <= 1'000'000;
    if (enumerate) point.largest = 0.0;
    const lower_bounds::MemberSet all = lower_bounds::MemberSet::all(family.size());
    for (int i = 0; i < samples; ++i) {
      const Vector w = sq::random_unit_vector(d, sq::derive_seed(seed, static_cast<std::uint64_t>(d * 1000 + i)));
      point.planted += std::log(gradient_signal(family, w, planted));
      if (enumerate) point.largest += 0.5 * family.signal() * family.largest_correlations(w, all, 0).second;
    }
    point.planted = std::exp(point.planted / samples);
    if (enumerate) point.largest /= samples;
    points.push_back(point);
  }
  return points;
}

void GdFailureConfig::validate() const {
  LiftedParityParams{d, k, noise}.validate();
  sq::require(std::isfinite(tolerance) && tolerance >= 0.0, "tolerance", tolerance, "must be >= 0 (0: chosen automatically)");
  sq::require(hard_budget >= 1, "hard budget", hard_budget, "must be at least 1");
  sq::require(search_budget >= 1, "search budget", search_budget, "must be at least 1");
  sq::require(easy_budget >= 1, "easy budget", easy_budget, "must be at least 1");
  sq::require(threads >= 0 && threads <= sq::kMaxThreads, "threads", threads, "must lie in [0, 1024] (0 = all hardware threads)");
}

namespace {

std::vector<std::size_t> log_spaced_indices(std::size_t n, std::size_t count) {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < count && n > 0; ++i) {
    const auto index =
        static_cast<std::size_t>(std::round(std::pow(static_cast<double>(n), static_cast<double>(i) / static_cast<double>(count - 1)))) - 1;
    if (indices.empty() || index > indices.back()) indices.push_back(std::min(index, n - 1));
  }
  if (n > 0 && indices.back() != n - 1) indices.push_back(n - 1);
  return indices;
}

algorithms::GradientDescentParams shared_descent(double tolerance, std::uint64_t seed) {
  algorithms::GradientDescentParams params;
  params.tolerance = tolerance;
  params.step_size = 1.0;
  params.init = algorithms::Initialization::random;
  params.init_scale = 1.0;
  params.seed = seed;
  params.loss_queries = true;
  params.loss_query_scale = 2.0;  // an unexposed loss query pins loss_S to within 2 tau of loss_D0
  params.stop_early = false;      // never stop on its own: the budget ends the run
  params.max_iterations = std::numeric_limits<int>::max();
  return params;
}

}  // namespace

GdFailureReport run_gd_failure(const GdFailureConfig& config) {
  config.validate();
  const auto family = LiftedParity::make({config.d, config.k, config.noise});
  GdFailureReport report;
  report.facts = family->facts();
  report.family_size = queries::binomial(config.d, config.k);
  const std::uint64_t gd_seed = sq::stream_seed(config.seed, sq::Stream::algorithm);

  lower_bounds::HardInstanceParams hard;
  hard.adversary = lower_bounds::AdversaryParams{10'000'000, 100'000, sq::stream_seed(config.seed, sq::Stream::adversary), config.threads};
  // Every query GD asks under D0's answers lies on the ray of its start w0 (D0's gradient is
  // parallel to w), with |w| <= 1: the hidden signal is the largest member deviation there.
  const Vector w0 = sq::random_unit_vector(config.d, gd_seed);
  const auto [largest_value, largest_gradient] =
      family->largest_correlations(w0, lower_bounds::members_to_track(*family, hard.adversary), config.threads);
  report.hidden_signal = std::max(0.5 * family->signal() * largest_gradient, family->signal() * largest_value * 1.0 / 2.0);
  report.tolerance = config.tolerance > 0 ? config.tolerance : std::sqrt(report.hidden_signal * 0.5 * report.facts.gap);
  report.lower_bound = statistical_query_lower_bound(report.family_size, report.facts.beta, report.facts.gamma, report.tolerance).queries;

  // Hard instance: the adversary, then a member planted among those no answer exposed.
  algorithms::GradientDescent hard_gd(shared_descent(report.tolerance, gd_seed));
  hard.tolerance = report.tolerance;
  hard.budget.max_scalar_queries = config.hard_budget;
  hard.seed = sq::stream_seed(config.seed, sq::Stream::planted);
  hard.record_trace = true;
  const lower_bounds::HardInstanceResult result = lower_bounds::run_hard_instance(hard_gd, family, hard);
  report.planted = result.planted;
  report.max_answer_error = result.max_answer_error;
  report.hard.instance = "hard: lifted " + std::to_string(config.k) + "-parity, d = " + std::to_string(config.d);
  report.hard.opt = report.facts.optS;
  report.hard.spent = result.run.spent;
  report.hard.members_exposed = result.members_exposed;
  report.hard.members_tracked = result.tracked_members;
  report.hard.members_enumerated = !result.subfamily;
  for (std::size_t i : log_spaced_indices(result.run.trace.size(), 80))
    report.hard.curve.push_back({result.run.trace[i].scalar_equivalent, *result.run.trace[i].loss});
  report.hard.final_loss = result.loss;
  report.hard.verdict = result.certified;
  report.hard.certified_excess = result.certified_excess;
  report.hard.certificate = result.certificate;

  // Easy instance: the same GD on a realizable teacher, through the exact oracle with the same policy
  // as the adversary's (answers moved by tau toward D0's, worst case) at the same tau.
  const oracles::ReluWorld world(oracles::WorldParams{
      oracles::LabelModel::relu, sq::random_unit_vector(config.d, sq::stream_seed(config.seed, sq::Stream::teacher)), 0.0});
  oracles::ExactOracle exact(world, {oracles::Perturbation::worst_case, sq::stream_seed(config.seed, sq::Stream::oracle)});
  const oracles::Population population(world);
  algorithms::GradientDescent easy_gd(shared_descent(report.tolerance, gd_seed));
  sq::RunOptions easy_options;
  easy_options.budget.max_scalar_queries = config.easy_budget;
  easy_options.record_trace = true;
  const sq::RunResult easy = sq::run(easy_gd, exact, easy_options, &population);
  report.easy.instance = "easy: realizable relu teacher, d = " + std::to_string(config.d);
  report.easy.opt = 0.0;
  report.easy.spent = easy.spent;
  report.easy.final_loss = easy.loss.value_or(std::numeric_limits<double>::quiet_NaN());
  for (const auto& point : easy.trace) {
    report.easy.curve.push_back({point.scalar_equivalent, *point.loss});
    if (report.easy.queries_to_target < 0 && *point.loss <= report.facts.gap / 100) report.easy.queries_to_target = point.scalar_equivalent;
  }
  report.easy.verdict = report.easy.queries_to_target >= 0;

  // What succeeds: group testing with character sums, on the planted member at the same tau.
  lower_bounds::MemberOracle truthful(family, report.planted, oracles::Perturbation::worst_case);
  algorithms::GroupTesting search({config.k, report.tolerance, family->signal(), algorithms::GroupQueries::l2});
  sq::RunOptions search_options;
  search_options.budget.max_scalar_queries = config.search_budget;
  const sq::RunResult found = sq::run(search, truthful, search_options);
  report.search.instance = "group testing on the hard instance";
  report.search.opt = report.facts.optS;
  report.search.spent = found.spent;
  report.search.final_loss = found.w ? family->loss(*found.w, report.planted) : report.facts.opt0;
  report.search.verdict = search.found() == report.planted;
  return report;
}

std::int64_t exact_gd_steps_to_learn(const LiftedParity& family, const Subset& member, std::uint64_t seed, std::int64_t max_steps) {
  const double target = family.facts().opt0 - 0.5 * family.facts().gap;
  Vector w = sq::random_unit_vector(family.params().d, seed);
  for (std::int64_t step = 0; step <= max_steps; ++step) {
    const ParityCorrelation correlation(w, member);
    const auto parts = correlation.evaluate(member);
    const double loss = family.reference_loss(w) - family.signal() * parts.value;
    if (loss < target) return step;
    // w <- w - grad F_S(w), grad F_S = 2 (half gradient under D0) - (1 - 2 eta) grad R_S
    w -= 2.0 * LiftedParity::reference_half_gradient(w) - family.signal() * correlation.gradient(member);
  }
  return -1;
}

std::int64_t parity_search_queries(const LiftedParity& family, const Subset& member, double tolerance) {
  lower_bounds::MemberOracle truthful(LiftedParity::make(family.params()), member);
  algorithms::ParitySearch search({family.params().k, tolerance, true});
  return sq::run(search, truthful).spent.scalar_queries;
}

}  // namespace sqsim::experiments