#include "sqsim/records/experiment_records.hpp"

#include "sqsim/records/run_record.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace sqsim::records {
namespace {
// A measured number, or null where the experiment did not measure it.
nlohmann::json measured(bool ran, double value) { return ran ? nlohmann::json(value) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json approximation_record(const experiments::ApproximationConfig& config, const experiments::ApproximationReport& report) {
  nlohmann::json points = nlohmann::json::array(), fits = nlohmann::json::array();
  for (const auto& p : report.points)
    points.push_back({{"labels", p.labels},
                      {"algorithm", p.algorithm},
                      {"target_opt", p.target_opt},
                      {"reachable", p.reachable},
                      {"noise", p.noise},
                      {"opt", p.opt},
                      {"excess_mean", p.excess.mean},
                      {"excess_low", p.excess.low},
                      {"excess_high", p.excess.high},
                      {"queries", p.queries},
                      {"status", p.status},
                      {"seeds", config.seeds}});
  for (const auto& f : report.fits)
    fits.push_back({{"labels", f.labels},
                    {"algorithm", f.algorithm},
                    {"fitted", f.fitted},
                    {"points", f.points},
                    {"reachable", f.reachable},
                    {"exponent", measured(f.fitted, f.exponent)},
                    {"exponent_low", measured(f.fitted, f.low)},
                    {"exponent_high", measured(f.fitted, f.high)}});
  return {{"context",
           {{"version", SQSIM_VERSION},
            {"experiment", "approximation"},
            {"seed", config.seed},
            {"d", config.d},
            {"tolerance", config.tolerance},
            {"seeds", config.seeds},
            {"resolution", config.resolution}}},
          {"points", points},
          {"fits", fits}};
}

nlohmann::json sq_bound_record(const experiments::SqBoundConfig& config, const std::vector<experiments::SqBoundPoint>& points) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& p : points) {
    nlohmann::json measures = nlohmann::json::array();
    for (const auto& m : p.measures)
      measures.push_back({{"algorithm", m.algorithm},
                          {"run", m.run},
                          {"adversary_queries", measured(m.run, m.adversary_queries)},
                          {"planted_mean", measured(m.run, m.planted.mean)},
                          {"planted_low", measured(m.run, m.planted.low)},
                          {"planted_high", measured(m.run, m.planted.high)},
                          {"ratio_adversary", measured(m.run, m.ratio_adversary)},
                          {"ratio_planted", measured(m.run, m.ratio_planted)},
                          {"found_all", m.found_all},
                          {"seeds", config.seeds}});
    rows.push_back({{"d", p.d},
                    {"k", config.k},
                    {"tolerance", p.tolerance},
                    {"noise", config.noise},
                    {"family_size", p.family_size},
                    {"bound", p.bound},
                    {"measures", measures}});
  }
  return {{"context",
           {{"version", SQSIM_VERSION},
            {"experiment", "sq-bound"},
            {"seed", config.seed},
            {"k", config.k},
            {"noise", config.noise},
            {"seeds", config.seeds}}},
          {"points", rows}};
}

nlohmann::json tradeoff_record(const experiments::TradeoffConfig& config, const experiments::TradeoffReport& report) {
  nlohmann::json points = nlohmann::json::array(), fits = nlohmann::json::array();
  for (const auto& p : report.points) {
    if (p.k == 0 || p.k > p.d) {
      points.push_back({{"epsilon", p.epsilon}, {"d", p.d}, {"k", p.k}, {"separated", false}});
      continue;
    }
    points.push_back({{"epsilon", p.epsilon},
                      {"log2_inverse_epsilon", std::log2(1 / p.epsilon)},
                      {"k", p.k},
                      {"gap", p.gap},
                      {"tolerance", p.tolerance},
                      {"d", p.d},
                      {"family_size", p.family_size},
                      {"bound", p.bound},
                      {"group_testing_adversary", p.adversary_queries},
                      {"group_testing_planted_mean", p.planted.mean},
                      {"group_testing_planted_low", p.planted.low},
                      {"group_testing_planted_high", p.planted.high},
                      {"seeds", config.seeds},
                      {"gd_certified", p.gd_certified},
                      {"gd_excess", p.gd_excess},
                      {"gd_subfamily", p.gd_subfamily},
                      {"separated", true}});
  }
  for (const auto& f : report.fits)
    fits.push_back({{"epsilon", f.epsilon},
                    {"k", f.k},
                    {"bound_exponent", f.bound_exponent.mean},
                    {"measured_exponent", f.measured_exponent.mean},
                    {"measured_exponent_low", f.measured_exponent.low},
                    {"measured_exponent_high", f.measured_exponent.high}});
  return {{"context",
           {{"version", SQSIM_VERSION},
            {"experiment", "tradeoff"},
            {"seed", config.seed},
            {"noise", config.noise},
            {"seeds", config.seeds},
            {"gd_budget", config.gd_budget}}},
          {"points", points},
          {"fits", fits}};
}

nlohmann::json reduction_record(const experiments::ReductionConfig& config, const experiments::ReductionReport& r) {
  return {{"context",
           {{"version", SQSIM_VERSION},
            {"experiment", "reduction"},
            {"seed", config.seed},
            {"d", config.d},
            {"k", config.k},
            {"noise", config.noise},
            {"learner", config.learner},
            {"tolerance", config.learner_tolerance()},
            {"delta", config.delta}}},
          {"hidden", r.hidden},
          {"decoded", r.decoded},
          {"recovered", r.recovered},
          {"status", r.status},
          {"samples", r.samples},
          {"queries", r.queries},
          {"seconds", r.seconds},
          {"loss", r.loss},
          {"optS", r.optS},
          {"gap", r.gap}};
}

nlohmann::json scaling_record(const experiments::ScalingConfig& config, const experiments::ScalingReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : report.rows) {
    if (config.experiment == experiments::Scaling::signal)
      rows.push_back({{"d", r.d}, {"planted", r.planted}, {"largest", optional_json(r.largest)}});
    else if (config.experiment == experiments::Scaling::exactness)
      rows.push_back({{"d", r.d},
                      {"median_steps", optional_json(r.median_steps)},
                      {"steps", r.steps},
                      {"learned", r.steps.size()},
                      {"starts", config.samples}});
    else
      rows.push_back({{"d", r.d},
                      {"mean_queries", r.mean_queries},
                      {"family_size", r.family_size},
                      {"query_lower_bound", optional_json(r.query_lower_bound)}});
  }
  const std::string name = experiments::to_string(config.experiment);
  nlohmann::json context{{"version", SQSIM_VERSION}, {"experiment", name},  {"seed", config.seed},      {"k", config.k},
                         {"noise", config.noise},    {"dims", config.dims}, {"samples", config.samples}};
  if (config.experiment == experiments::Scaling::parity_search) context["tolerance"] = config.tolerance;
  if (config.experiment == experiments::Scaling::exactness) context["max_steps"] = config.max_steps;
  return {{"context", context},
          {"experiment", name},
          {"k", config.k},
          {"noise", config.noise},
          {"seed", config.seed},
          {"rows", rows},
          {"loglog_slope", optional_json(report.slope)}};
}

nlohmann::json gd_failure_record(const experiments::GdFailureConfig& config, const experiments::GdFailureReport& r,
                                 const experiments::BoundWindowConfig& window_config, const experiments::BoundWindowReport& window) {
  auto instance_json = [](const experiments::InstanceReport& i) {
    nlohmann::json curve = nlohmann::json::array();
    for (const auto& p : i.curve) curve.push_back({{"scalar_equivalent", p.queries}, {"loss", p.loss}});
    return nlohmann::json{{"instance", i.instance},
                          {"opt", i.opt},
                          {"final_loss", i.final_loss},
                          {"excess", i.final_loss - i.opt},
                          {"queries", i.spent.total_queries()},
                          {"scalar_equivalent", i.spent.scalar_equivalent},
                          {"members_exposed", i.members_exposed},
                          {"members_tracked", i.members_tracked},
                          {"members_enumerated", i.members_enumerated},
                          {"queries_to_loss_1e-6", i.queries_to_target},
                          {"verdict", i.verdict},
                          {"certified_excess", i.certified_excess},
                          {"certificate", i.certificate},
                          {"curve", curve}};
  };
  nlohmann::json bound_json = nlohmann::json::array();
  for (const auto& p : window.points) {
    const auto& m = p.measures.front();
    bound_json.push_back({{"d", p.d},
                          {"k", config.k},
                          {"tolerance", p.tolerance},
                          {"family_size", p.family_size},
                          {"query_lower_bound", optional_json(p.bound)},
                          {"group_testing_adversary", m.adversary_queries},
                          {"group_testing_planted_mean", m.planted.mean},
                          {"group_testing_planted_low", m.planted.low},
                          {"group_testing_planted_high", m.planted.high},
                          {"found_all", m.found_all},
                          {"seeds", window_config.seeds}});
  }
  return {{"context",
           {{"version", SQSIM_VERSION},
            {"seed", config.seed},
            {"d", config.d},
            {"k", config.k},
            {"tolerance", r.tolerance},
            {"noise", config.noise},
            {"oracle", "adversarial (hard), exact/worst-case (easy), member/worst-case (group testing)"},
            {"algorithm", "gd"},
            {"budget", config.hard_budget}}},
          {"rho", r.facts.rho},
          {"opt0", r.facts.opt0},
          {"optS", r.facts.optS},
          {"gap", r.facts.gap},
          {"hidden_signal", r.hidden_signal},
          {"query_lower_bound", optional_json(r.lower_bound)},
          {"planted", r.planted},
          {"max_answer_error", r.max_answer_error},
          {"instances", {instance_json(r.easy), instance_json(r.hard), instance_json(r.search)}},
          {"certified", r.hard.verdict},
          {"certified_excess", measured(r.hard.verdict, r.hard.certified_excess)},
          {"bound_instance", bound_json}};
}

}  // namespace sqsim::records