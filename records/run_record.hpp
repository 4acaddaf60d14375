// The JSON record of one run: a `context` block (what was run) and its `results`. Written here once
// for the program, the Python package and anyone reading sqsim's records (schema in README.md).
#pragma once

#include "sqsim/experiments/family_run.hpp"
#include "sqsim/sq/harness.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sqsim::records {

nlohmann::json vector_json(const sq::Vector& v);
nlohmann::json optional_json(const std::optional<double>& value);  // null for none or a non-finite value

struct Context {
  std::uint64_t seed = 1;
  Eigen::Index d = 0;
  double tolerance = 0.0;
  double noise = 0.0;
  std::string labels, oracle, algorithm;
};
// version, seed, d, tolerance, noise, labels, oracle, algorithm.
nlohmann::json context_json(const Context& context);

// vector, scalar, total, scalar_equivalent, smallest_tolerance (null before any query).
nlohmann::json ledger_json(const sq::Ledger& spent);

double excess(const sq::RunResult& result);  // loss - opt, NaN where either is unknown

// status, message, w, queries {vector, scalar, total, scalar_equivalent, smallest_tolerance},
// loss, opt, excess.
nlohmann::json result_json(const sq::RunResult& result);

// A run on a Gaussian ReLU world or a data set: {context, results}; with the world's teacher the
// results also hold distance_to_teacher (null without a hypothesis).
nlohmann::json world_results(const sq::RunResult& result, const std::optional<sq::Vector>& teacher);
nlohmann::json run_record(const Context& context, const sq::RunResult& result, const std::optional<sq::Vector>& teacher);

// A run on a hard family: the context names the family and k (no labels); the results add planted,
// family_size, opt0, optS, gap and, against the adversary, the exposure (members_exposed, and
// exposed_per_query: the members each answered query newly exposed, the loss pin last when pinned)
// and the certificate (certified_excess null when not certified). The noise comes from the facts.
nlohmann::json run_record(const experiments::FamilyRunReport& report, std::uint64_t seed);

}  // namespace sqsim::records