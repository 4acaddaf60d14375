#include "sqsim/lower_bounds/adversary.hpp"

#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"

#include <algorithm>

namespace sqsim::lower_bounds {

void AdversaryParams::validate() const {
  sq::require(subfamily_size >= 1, "subfamily_size", subfamily_size, "must be at least 1");
  sq::require(threads >= 0 && threads <= sq::kMaxThreads, "threads", threads, "must lie in [0, 1024] (0 = all hardware threads)");
}

MemberSet members_to_track(const HardFamily& family, const AdversaryParams& params) {
  return members_to_track(family, params, family.exposure()->tracking_limit());
}

MemberSet members_to_track(const HardFamily& family, const AdversaryParams& params, std::uint64_t tracking_limit) {
  params.validate();
  const std::uint64_t size = family.size();
  const std::uint64_t limit = params.max_tracked == 0 ? tracking_limit : params.max_tracked;
  if (size <= limit) return MemberSet::all(size);
  std::vector<std::uint64_t> ranks;
  for (const Subset& s :
       queries::random_subsets(static_cast<int>(family.dimension()), family.order(), std::min(params.subfamily_size, size), params.seed))
    ranks.push_back(queries::subset_rank(s));
  return MemberSet::subset(std::move(ranks));
}

AdversarialOracle::AdversarialOracle(std::shared_ptr<HardFamily> family, AdversaryParams params, std::unique_ptr<ExposureStrategy> exposure)
    : family_(std::move(family)),
      exposure_(exposure ? std::move(exposure) : family_->exposure()),
      params_(params),
      tracked_(members_to_track(*family_, params_, exposure_->tracking_limit())) {}

void AdversarialOracle::record(const std::string& name, double tolerance, const Exposure& exposure) {
  QueryRecord r{name, tolerance, exposure.count(), 0, exposure.largest_deviation};
  for (std::uint64_t i : exposure.members) r.newly_exposed += exposed_.insert(i, i + 1);
  for (const auto& [begin, end] : exposure.ranges) r.newly_exposed += exposed_.insert(begin, end);
  records_.push_back(std::move(r));
  if (params_.progress) params_.progress(records_.size(), exposed_.size(), tracked_.count());
}

sq::ScalarAnswer AdversarialOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  family_->check_bound(query);
  const double reference = family_->reference_answer(query);
  record(query.name(), tolerance, exposure_->expose(query, reference, tolerance, tracked_, params_.threads));
  if (params_.keep_queries) asked_.push_back({query, std::nullopt, tolerance, reference, {}});
  return {reference, std::nullopt};
}

sq::VectorAnswer AdversarialOracle::answer(const sq::VectorQuery& query, double tolerance) {
  family_->check_bound(query);
  const Vector reference = family_->reference_answer(query);
  record(query.name(), tolerance, exposure_->expose(query, reference, tolerance, tracked_, params_.threads));
  if (params_.keep_queries) asked_.push_back({std::nullopt, query, tolerance, 0.0, reference});
  return {reference, std::nullopt};
}

std::uint64_t AdversarialOracle::queries_until_consistent(std::uint64_t left) const {
  std::uint64_t exposed = 0;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    exposed += records_[i].newly_exposed;
    if (tracked_.count() - exposed <= left) return i + 1;
  }
  return records_.size();
}

bool AdversarialOracle::is_tracked(const Subset& sorted) const { return tracked_.index_of(queries::subset_rank(sorted)).has_value(); }

bool AdversarialOracle::is_exposed(const Subset& sorted) const {
  const auto index = tracked_.index_of(queries::subset_rank(sorted));
  return !index || exposed_.contains(*index);  // untracked members count as exposed
}

std::vector<Subset> AdversarialOracle::consistent(std::uint64_t limit) const {
  std::vector<Subset> result;
  for (std::uint64_t i : exposed_.absent(tracked_.count(), limit)) result.push_back(family_->member(tracked_.rank(i)));
  return result;
}

Subset AdversarialOracle::consistent_member(std::uint64_t target) const {
  sq::require(target < consistent_members(), "consistent member index", target,
              "must be below the number of consistent members " + std::to_string(consistent_members()));
  return family_->member(tracked_.rank(exposed_.nth_absent(target)));
}

}  // namespace sqsim::lower_bounds