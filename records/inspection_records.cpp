#include "sqsim/records/inspection_records.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace sqsim::records {

nlohmann::json world_point_record(std::uint64_t seed, Eigen::Index d, double noise, const std::string& labels, double loss,
                                  const sq::Vector& gradient, const std::optional<double>& opt) {
  nlohmann::json context = context_json(Context{seed, d, 0.0, noise, labels, "exact", "none"});
  context.erase("tolerance");
  context.erase("algorithm");
  return {{"context", context}, {"loss", loss}, {"gradient", vector_json(gradient)}, {"opt", optional_json(opt)}};
}

nlohmann::json member_answer_record(const lower_bounds::HardFamily& family, double noise, const lower_bounds::Subset& member,
                                    const MemberAnswer& a) {
  nlohmann::json record{{"context",
                         {{"version", SQSIM_VERSION},
                          {"family", family.name()},
                          {"description", family.description()},
                          {"d", family.dimension()},
                          {"k", family.order()},
                          {"noise", noise},
                          {"member", member},
                          {"query", a.query},
                          {"w", vector_json(a.w)}}},
                        {"value", a.scalar ? nlohmann::json(a.value[0]) : vector_json(a.value)},
                        {"reference_value", a.scalar ? nlohmann::json(a.reference[0]) : vector_json(a.reference)},
                        {"deviation", a.deviation}};
  if (a.threshold) record["context"]["threshold"] = *a.threshold;
  return record;
}

nlohmann::json bound_record(const experiments::FamilyBoundSpec& spec, const experiments::FamilyBoundReport& report) {
  const lower_bounds::FamilyFacts& facts = report.facts;
  return {{"context",
           {{"version", SQSIM_VERSION},
            {"experiment", "bound"},
            {"family", spec.family},
            {"d", spec.d},
            {"k", spec.k},
            {"tolerance", spec.tolerance},
            {"noise", spec.noise}}},
          {"family", spec.family},
          {"d", spec.d},
          {"k", spec.k},
          {"tolerance", spec.tolerance},
          {"noise", spec.noise},
          {"family_size", report.family_size},
          {"beta", facts.beta},
          {"gamma", 0.0},
          {"rho", facts.rho},
          {"opt0", facts.opt0},
          {"optS", facts.optS},
          {"gap", facts.opt0 - facts.optS},
          {"max_exposed_per_query", report.bound.max_exposed_per_query},
          {"query_lower_bound", optional_json(report.bound.queries)},
          {"query_lower_bound_infinite", std::isinf(report.bound.queries)}};
}

nlohmann::json demo_runs_record(const std::vector<DemoRun>& runs) {
  nlohmann::json out = nlohmann::json::array();
  for (const DemoRun& r : runs) {
    nlohmann::json run = run_record(r.context, r.result, r.teacher);
    run["results"]["samples"] = r.samples ? nlohmann::json(*r.samples) : nlohmann::json(nullptr);
    out.push_back(std::move(run));
  }
  return {{"context", {{"version", SQSIM_VERSION}, {"experiment", "demo relu"}, {"seed", runs.empty() ? 0 : runs.front().context.seed}}},
          {"demo", "gd on Gaussian ReLU worlds"},
          {"runs", out}};
}

}  // namespace sqsim::records