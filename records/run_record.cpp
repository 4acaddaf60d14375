#include "sqsim/records/run_record.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace sqsim::records {

nlohmann::json vector_json(const sq::Vector& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

nlohmann::json optional_json(const std::optional<double>& value) {
  return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json context_json(const Context& c) {
  return {{"version", SQSIM_VERSION}, {"seed", c.seed},     {"d", c.d},           {"tolerance", c.tolerance},
          {"noise", c.noise},         {"labels", c.labels}, {"oracle", c.oracle}, {"algorithm", c.algorithm}};
}

double excess(const sq::RunResult& result) {
  return result.loss && result.opt ? *result.loss - *result.opt : std::numeric_limits<double>::quiet_NaN();
}

nlohmann::json ledger_json(const sq::Ledger& spent) {
  return {{"vector", spent.vector_queries},
          {"scalar", spent.scalar_queries},
          {"total", spent.total_queries()},
          {"scalar_equivalent", spent.scalar_equivalent},
          {"smallest_tolerance", optional_json(spent.smallest_tolerance)}};
}

nlohmann::json result_json(const sq::RunResult& result) {
  nlohmann::json record{{"status", sq::to_string(result.status)},
                        {"message", result.message},
                        {"w", result.w ? vector_json(*result.w) : nlohmann::json(nullptr)},
                        {"queries", ledger_json(result.spent)},
                        {"loss", optional_json(result.loss)},
                        {"opt", optional_json(result.opt)}};
  const double e = excess(result);
  record["excess"] = std::isnan(e) ? nlohmann::json(nullptr) : nlohmann::json(e);
  return record;
}

nlohmann::json world_results(const sq::RunResult& result, const std::optional<sq::Vector>& teacher) {
  nlohmann::json results = result_json(result);
  if (teacher) results["distance_to_teacher"] = result.w ? nlohmann::json((*result.w - *teacher).norm()) : nlohmann::json(nullptr);
  return results;
}

nlohmann::json run_record(const Context& context, const sq::RunResult& result, const std::optional<sq::Vector>& teacher) {
  return {{"context", context_json(context)}, {"results", world_results(result, teacher)}};
}

nlohmann::json run_record(const experiments::FamilyRunReport& report, std::uint64_t seed) {
  const sq::RunResult& run = report.run;
  nlohmann::json results = result_json(run);
  if (const auto& r = report.adversary) {
    results["planted_in_advance"] = r->planted_in_advance;
    results["members_exposed"] = r->members_exposed;
    results["exposed_per_query"] = r->exposed_per_query;
    results["pinned"] = r->pinned;
    results["tracked_members"] = r->tracked_members;
    results["subfamily"] = r->subfamily;
    results["planted_exposed"] = r->planted_exposed;
    results["max_answer_error"] = optional_json(r->max_answer_error);
    results["certified"] = r->certified;
    results["certified_excess"] = r->certified ? nlohmann::json(r->certified_excess) : nlohmann::json(nullptr);
    results["certificate"] = r->certificate;
  }
  results["planted"] = report.planted;
  results["family_size"] = report.family_size;
  results["opt0"] = report.facts.opt0;
  results["optS"] = report.facts.optS;
  results["gap"] = report.facts.gap;
  nlohmann::json context =
      context_json(Context{seed, report.d, report.tolerance, report.facts.noise, report.family, run.oracle, run.algorithm});
  context.erase("labels");
  context["family"] = report.family;
  context["k"] = report.k;
  return {{"context", context}, {"results", results}};
}

}  // namespace sqsim::records