// Running any SQ algorithm on a hard instance, with a certificate of what the run proves.
//
// The algorithm runs against the adversary (every answer is E_D0[q]) at tolerance tau within a
// budget. Then the family's loss-pinning query at the final hypothesis w is asked too (outside the
// algorithm's ledger), and a member S is planted among the tracked members no answer exposed (or a
// member fixed in advance is used). Every answer the algorithm got was then a legal answer for D_S,
// so it would have returned the same w on D_S; and since the pinning query did not expose S,
//   L_S(w) >= L_0(w) - factor * tau >= opt0 - factor * tau = optS + gap - factor * tau.
// certified = (a hypothesis was returned, the planted member was never exposed, factor * tau < gap):
// then the certified excess over optS is gap - factor * tau > 0 (factor = 2 for the lifted parity:
// certified iff tau < gap/2). Otherwise the result says plainly which condition failed.
#pragma once

#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/sq/harness.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sqsim::lower_bounds {

struct HardInstanceParams {
  double tolerance = 1e-3;        // tau of the adversary's bookkeeping (the algorithm picks its own)
  sq::Budget budget;              // the algorithm's budget
  std::optional<Subset> planted;  // a member fixed in advance; else chosen among the unexposed
  std::uint64_t seed = 1;         // the choice of the planted member (sq::Stream::planted)
  AdversaryParams adversary;
  bool record_trace = false;  // iterates with their loss under the planted member
  std::ostream* transcript = nullptr;
  bool check_answers = true;  // recompute every answer's error under the planted member
  void validate() const;
};

struct HardInstanceResult {
  sq::RunResult run;   // status, message, w, ledger, trace (loss under D_S)
  std::string family;  // description
  Subset planted;      // empty when every tracked member was exposed (nothing to plant)
  bool planted_in_advance = false;
  double loss = 0.0;  // L_S(w), exact (NaN without a hypothesis)
  FamilyFacts facts;  // opt0, optS, gap, beta, gamma
  double family_size = 0.0;
  std::uint64_t tracked_members = 0;
  bool subfamily = false;  // only a seeded sub-family was tracked: statements are about it
  std::uint64_t members_exposed = 0;
  std::vector<std::uint64_t> exposed_per_query;  // newly exposed members, per answered query (pin included last)
  double max_answer_error = 0.0;                 // max |answer - E_S[q]| over every answer (NaN if not checked)
  double pin_factor = 0.0;
  bool pinned = false;  // the loss-pinning query was asked and answered
  bool planted_exposed = false;
  bool certified = false;
  double certified_excess = 0.0;  // gap - factor * tau when certified, else 0
  std::string certificate;        // one sentence: what holds, or which condition failed
};

HardInstanceResult run_hard_instance(sq::Algorithm& algorithm, std::shared_ptr<HardFamily> family, const HardInstanceParams& params);

}  // namespace sqsim::lower_bounds