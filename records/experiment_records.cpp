#include "records/experiment_records.hpp"


#include <cmath>

namespace records {
namespace {
// A measured number, or null where the experiment did not measure it.
nlohmann::json measured(bool ran, double value) { return ran ? nlohmann::json(value) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json approximation_record(const experiments::ApproximationConfig& config, const experiments::ApproximationReport& report) {
  nlohmann::json points = nlohmann::json::array(), fits = nlohmann::json::array();
  for (const auto& p : report.points)
    points.push_back({{"labels", p.labels}, {"algorithm", p.algorithm}, {"target_opt", p.target_opt}, {"reachable", p.reachable},
                      {"noise", p.noise}, {"opt", p.opt}, {"excess_mean", p.excess.mean}, {"excess_low", p.excess.low},
                      {"excess_high", p.excess.high}, {"queries", p.queries}, {"status", p.status}, {"seeds", config.seeds}});
  for (const auto& f : report.fits)
    fits.push_back({{"labels", f.labels}, {"algorithm", f.algorithm}, {"fitted", f.fitted}, {"points", f.points}, {"reachable", f.reachable},
                    {"exponent", measured(f.fitted, f.exponent)}, {"exponent_low", measured(f.fitted, f.low)},
                    {"exponent_high", measured(f.fitted, f.high)}});
  return {{"context", {{"version", SQSIM_VERSION}, {"experiment", "approximation"}, {"seed", config.seed}, {"d", config.d},
                       {"tolerance", config.tolerance}, {"seeds", config.seeds}, {"resolution", config.resolution}}},
          {"points", points}, {"fits", fits}};
}

nlohmann::json sq_bound_record(const experiments::SqBoundConfig& config, const std::vector<experiments::SqBoundPoint>& points) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& p : points) {
    nlohmann::json measures = nlohmann::json::array();
    for (const auto& m : p.measures)
      measures.push_back({{"algorithm", m.algorithm}, {"run", m.run}, {"adversary_queries", measured(m.run, m.adversary_queries)},
                          {"planted_mean", measured(m.run, m.planted.mean)}, {"planted_low", measured(m.run, m.planted.low)},
                          {"planted_high", measured(m.run, m.planted.high)}, {"ratio_adversary", measured(m.run, m.ratio_adversary)},
                          {"ratio_planted", measured(m.run, m.ratio_planted)}, {"found_all", m.found_all}, {"seeds", config.seeds}});
    rows.push_back({{"d", p.d}, {"k", config.k}, {"tolerance", p.tolerance}, {"noise", config.noise}, {"family_size", p.family_size},
                    {"bound", p.bound}, {"measures", measures}});
  }
  return {{"context", {{"version", SQSIM_VERSION}, {"experiment", "sq-bound"}, {"seed", config.seed}, {"k", config.k},
                       {"noise", config.noise}, {"seeds", config.seeds}}},
          {"points", rows}};
}

nlohmann::json tradeoff_record(const experiments::TradeoffConfig& config, const experiments::TradeoffReport& report) {
  nlohmann::json points = nlohmann::json::array(), fits = nlohmann::json::array();
  for (const auto& p : report.points) {
    if (p.k == 0 || p.k > p.d) {
      points.push_back({{"epsilon", p.epsilon}, {"d", p.d}, {"k", p.k}, {"separated", false}});
      continue;
    }
    points.push_back({{"epsilon", p.epsilon}, {"log2_inverse_epsilon", std::log2(1 / p.epsilon)}, {"k", p.k}, {"gap", p.gap},
                      {"tolerance", p.tolerance}, {"d", p.d}, {"family_size", p.family_size}, {"bound", p.bound},
                      {"group_testing_adversary", p.adversary_queries}, {"group_testing_planted_mean", p.planted.mean},
                      {"group_testing_planted_low", p.planted.low}, {"group_testing_planted_high", p.planted.high},
                      {"seeds", config.seeds}, {"gd_certified", p.gd_certified}, {"gd_excess", p.gd_excess},
                      {"gd_subfamily", p.gd_subfamily}, {"separated", true}});
  }
  for (const auto& f : report.fits)
    fits.push_back({{"epsilon", f.epsilon}, {"k", f.k}, {"bound_exponent", f.bound_exponent.mean}, {"measured_exponent", f.measured_exponent.mean},
                    {"measured_exponent_low", f.measured_exponent.low}, {"measured_exponent_high", f.measured_exponent.high}});
  return {{"context", {{"version", SQSIM_VERSION}, {"experiment", "tradeoff"}, {"seed", config.seed}, {"noise", config.noise},
                       {"seeds", config.seeds}, {"gd_budget", config.gd_budget}}},
          {"points", points}, {"fits", fits}};
}

nlohmann::json reduction_record(const experiments::ReductionConfig& config, const std::string& learner, double tolerance,
                                const experiments::ReductionReport& r) {
  return {{"context", {{"version", SQSIM_VERSION}, {"experiment", "reduction"}, {"seed", config.seed}, {"d", config.d}, {"k", config.k},
                       {"noise", config.noise}, {"learner", learner}, {"tolerance", tolerance}, {"delta", config.delta}}},
          {"hidden", r.hidden}, {"decoded", r.decoded}, {"recovered", r.recovered}, {"status", r.status}, {"samples", r.samples},
          {"queries", r.queries}, {"seconds", r.seconds}, {"loss", r.loss}, {"optS", r.optS}, {"gap", r.gap}};
}

}  // namespace records
