#include "sqsim/lower_bounds/hard_instance.hpp"

#include "sqsim/oracles/perturbation.hpp"
#include "sqsim/sq/errors.hpp"

#include <boost/random/uniform_int_distribution.hpp>
#include "sqsim/sq/random.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace sqsim::lower_bounds {

void HardInstanceParams::validate() const {
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  budget.validate();
  adversary.validate();
}

namespace {

// max |answer - E_S[q]| relative to nothing: the raw error of every answer under the member.
double largest_answer_error(const AdversarialOracle& adversary, const HardFamily& family, const Subset& member) {
  double largest = 0.0;
  for (const AdversarialOracle::Asked& a : adversary.asked()) {
    if (a.scalar)
      largest = std::max(largest, std::abs(family.member_answer(*a.scalar, member) - a.scalar_answer));
    else
      largest = std::max(largest, deviation_norm(family.member_answer(*a.vector, member), a.vector_answer, a.vector->norm()));
  }
  return largest;
}

std::string short_number(double value) {
  std::ostringstream out;
  out << std::setprecision(4) << value;
  return out.str();
}

// The verdict from what the run left: certified only with a hypothesis, a run that ended normally, a
// pinned loss, an unexposed planted member and tau below gap / (the pin's factor).
void decide_certificate(HardInstanceResult& result, double tolerance) {
  const double margin = result.facts.gap - result.pin_factor * tolerance;
  const std::string where = result.subfamily ? " (among the tracked sub-family)" : "";
  if (!result.run.w) {
    result.certificate = "no certificate: the run returned no hypothesis (" + std::string(sq::to_string(result.run.status)) + ")";
  } else if (result.run.status == sq::RunStatus::refused || result.run.status == sq::RunStatus::failed) {
    result.certificate =
        "no certificate: the run ended with status " + std::string(sq::to_string(result.run.status)) + " (" + result.run.message + ")";
  } else if (!result.pinned) {
    result.certificate = "no certificate: " + result.certificate;
  } else if (result.planted_exposed) {
    result.certificate = "no certificate: the planted member was exposed by an answer (the algorithm could tell it from D0)";
  } else if (!(margin > 0.0)) {
    result.certificate = "no certificate: tau = " + short_number(tolerance) + " is not below gap/" + short_number(result.pin_factor) +
                         " = " + short_number(result.facts.gap / result.pin_factor) +
                         ", so an unexposed member's loss is not pinned above optS";
  } else {
    result.certified = true;
    result.certified_excess = margin;
    result.certificate = "certified: every answer was legal for the planted member" + where + ", so its loss is >= optS + gap - " +
                         short_number(result.pin_factor) + " tau = optS + " + short_number(margin);
  }
}

}  // namespace

HardInstanceResult run_hard_instance(sq::Algorithm& algorithm, std::shared_ptr<HardFamily> family, const HardInstanceParams& params) {
  params.validate();
  HardInstanceResult result;
  result.family = family->description();
  result.facts = family->facts();
  result.family_size = queries::binomial(static_cast<int>(family->dimension()), family->order());
  if (params.planted) {
    Subset fixed = *params.planted;
    std::sort(fixed.begin(), fixed.end());
    family->check_member(fixed);
    result.planted = fixed;
    result.planted_in_advance = true;
  }

  AdversaryParams adversary_params = params.adversary;
  adversary_params.keep_queries = params.check_answers;  // the check needs them; nothing else does
  AdversarialOracle adversary(family, adversary_params);
  sq::RunOptions options;
  options.budget = params.budget;
  options.transcript = params.transcript;
  options.record_trace = params.record_trace;
  result.run = sq::run(algorithm, adversary, options);

  // The pinning query at the returned hypothesis, answered by the adversary like any other.
  if (result.run.w) {
    const HardFamily::LossPin pin = family->loss_pin(*result.run.w);
    result.pin_factor = pin.factor;
    try {
      adversary.answer(pin.query, params.tolerance);
      result.pinned = true;
    } catch (const sq::QueryRefused& refused) {
      result.certificate = std::string("the loss-pinning query was refused: ") + refused.what();
    }
  }
  for (const auto& record : adversary.records()) result.exposed_per_query.push_back(record.newly_exposed);
  result.tracked_members = adversary.tracked_members();
  result.subfamily = !adversary.tracks_all();
  result.members_exposed = adversary.exposed_members();

  const bool none_left = !params.planted && adversary.consistent_members() == 0;
  if (!params.planted && !none_left) {
    sq::Engine engine(params.seed);
    const std::uint64_t pick = boost::random::uniform_int_distribution<std::uint64_t>(0, adversary.consistent_members() - 1)(engine);
    result.planted = adversary.consistent_member(pick);
  }
  if (none_left) {
    // The answers tell every tracked member from D0: nothing can be planted, and nothing is claimed.
    result.planted_exposed = true;
    result.loss = std::numeric_limits<double>::quiet_NaN();
    result.run.loss.reset();
    result.run.opt = result.facts.optS;
    result.max_answer_error = std::numeric_limits<double>::quiet_NaN();
    result.certificate =
        "no certificate: every tracked member was exposed, so the answers tell each of them from D0 (no member can be planted)";
    return result;
  }
  result.planted_exposed = adversary.is_exposed(result.planted);

  result.loss = result.run.w ? family->loss(*result.run.w, result.planted) : std::numeric_limits<double>::quiet_NaN();
  result.run.loss = result.run.w ? std::optional<double>(result.loss) : std::nullopt;
  result.run.opt = result.facts.optS;
  for (sq::TracePoint& point : result.run.trace) point.loss = family->loss(point.w, result.planted);
  result.max_answer_error =
      params.check_answers ? largest_answer_error(adversary, *family, result.planted) : std::numeric_limits<double>::quiet_NaN();

  decide_certificate(result, params.tolerance);
  return result;
}

}  // namespace sqsim::lower_bounds