#include "sqsim/lower_bounds/member_oracle.hpp"

#include <algorithm>

namespace sqsim::lower_bounds {

MemberOracle::MemberOracle(std::shared_ptr<HardFamily> family, Subset member, oracles::Perturbation perturbation, std::uint64_t seed)
    : family_(std::move(family)), member_(std::move(member)), perturber_(perturbation, seed) {
  std::sort(member_.begin(), member_.end());
  family_->check_member(member_);
}

std::string MemberOracle::name() const { return family_->name() + "-member/" + std::string(oracles::to_string(perturber_.policy())); }

sq::ScalarAnswer MemberOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  family_->check_bound(query);
  const double reference = family_->reference_answer(query);
  const double truth = family_->member_answer(query, member_);
  return {perturber_.apply(truth, reference, tolerance, query.kind()), truth};
}

sq::VectorAnswer MemberOracle::answer(const sq::VectorQuery& query, double tolerance) {
  family_->check_bound(query);
  const Vector reference = family_->reference_answer(query);
  const Vector truth = family_->member_answer(query, member_);
  return {perturber_.apply(truth, reference, tolerance, query.norm()), truth};
}

}  // namespace sqsim::lower_bounds