// The records of the commands that compute facts rather than run learners: `inspect` (the loss and
// gradient at w; or one typed query's answer under a member and under D0), `bound` (the SD bound and
// the family's facts), and the demo's runs of gd on Gaussian ReLU worlds.
#pragma once

#include "sqsim/experiments/family_bound.hpp"
#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/records/run_record.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sqsim::records {

// context (version, seed, d, noise, labels, oracle "exact") + loss, gradient, opt.
nlohmann::json world_point_record(std::uint64_t seed, Eigen::Index d, double noise, const std::string& labels, double loss,
                                  const sq::Vector& gradient, const std::optional<double>& opt);

// One typed query answered under a member and under D0 (value and reference: scalar for a scalar
// query, else vectors), their deviation in the query's norm.
struct MemberAnswer {
  std::string query;
  sq::Vector w;
  std::optional<double> threshold;  // the threshold query's t
  bool scalar = true;
  sq::Vector value, reference;  // length 1 for a scalar query
  double deviation = 0.0;
};
nlohmann::json member_answer_record(const lower_bounds::HardFamily& family, double noise, const lower_bounds::Subset& member,
                                    const MemberAnswer& answer);

// context (version, experiment "bound", family, d, k, tolerance, noise) + family, d, k, tolerance, noise, family_size, beta, gamma, rho,
// opt0, optS, gap, the bound.
nlohmann::json bound_record(const experiments::FamilyBoundSpec& spec, const experiments::FamilyBoundReport& report);

// The demo's runs of gd on Gaussian ReLU worlds: {context (version, seed), demo, runs: [run record + samples]}.
struct DemoRun {
  Context context;
  sq::RunResult result;
  sq::Vector teacher;
  std::optional<std::int64_t> samples;  // fresh samples drawn (sample oracle only)
};
nlohmann::json demo_runs_record(const std::vector<DemoRun>& runs);

}  // namespace sqsim::records