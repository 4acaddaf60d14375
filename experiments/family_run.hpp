// One algorithm on one hard family, as `sqsim run --family` runs it: against the adversary (every
// answer E_D0[q], a member planted among the unexposed, the certificate of hard_instance.hpp), or
// against one member's exact oracle (the member fixed, or drawn from the seed).
#pragma once

#include "sqsim/lower_bounds/hard_instance.hpp"
#include "sqsim/oracles/perturbation.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace sqsim::experiments {

enum class FamilyOracle { adversary, member };

struct FamilyRunSpec {
  FamilyOracle oracle = FamilyOracle::adversary;
  double tolerance = 1e-3;  // tau of the adversary's bookkeeping
  sq::Budget budget;
  std::optional<lower_bounds::Subset> member;  // fixed in advance; else planted (adversary) or drawn (member)
  std::uint64_t seed = 1;                      // master seed: the planted, adversary and oracle streams
  int threads = 0;                             // the adversary's threads (0 = all cores)
  std::uint64_t max_tracked = 0;               // the adversary's limits (lower_bounds::AdversaryParams)
  std::uint64_t subfamily_size = lower_bounds::AdversaryParams{}.subfamily_size;
  oracles::Perturbation perturbation = oracles::Perturbation::truthful;  // the member oracle's answers within tau
  std::ostream* transcript = nullptr;
  bool record_trace = false;
  // Optional, adversary only: after each answer, queries answered, members exposed, members tracked.
  std::function<void(std::uint64_t, std::uint64_t, std::uint64_t)> progress = nullptr;
  void validate() const;  // ParameterError naming tolerance, threads or the member oracle's perturbation
};

struct FamilyRunReport {
  FamilyOracle oracle = FamilyOracle::adversary;
  std::string family, description;  // name and one-line description
  Eigen::Index d = 0;
  int k = 0;
  double tolerance = 0.0;
  sq::RunResult run;  // scored under the planted (or the oracle's) member
  lower_bounds::FamilyFacts facts;
  lower_bounds::Subset planted;
  double family_size = 0.0;
  // The adversary's account (exposure, certificate); empty with the member oracle.
  std::optional<lower_bounds::HardInstanceResult> adversary;
};

FamilyRunReport run_on_family(sq::Algorithm& algorithm, std::shared_ptr<lower_bounds::HardFamily> family, const FamilyRunSpec& spec);

}  // namespace sqsim::experiments