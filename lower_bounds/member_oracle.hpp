// The exact oracle of one member D_S of a hard family, perturbed within the tolerance
// (worst-case: toward the D0 answer). Works over any HardFamily.
#pragma once

#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/oracles/perturbation.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <cstdint>
#include <memory>

namespace sqsim::lower_bounds {

class MemberOracle : public sq::Oracle {
 public:
  MemberOracle(std::shared_ptr<HardFamily> family, Subset member, oracles::Perturbation perturbation = oracles::Perturbation::truthful,
               std::uint64_t seed = 1);
  Eigen::Index dimension() const override { return family_->dimension(); }
  std::string name() const override;
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;
  const Subset& member() const { return member_; }

 private:
  std::shared_ptr<HardFamily> family_;
  Subset member_;
  oracles::Perturber perturber_;
};

// Scores a hypothesis under one member (outside any ledger): loss L_S(w), opt = optS.
class MemberEvaluator : public sq::Evaluator {
 public:
  MemberEvaluator(std::shared_ptr<const HardFamily> family, Subset member) : family_(std::move(family)), member_(std::move(member)) {}
  double loss(const Vector& w) const override { return family_->loss(w, member_); }
  std::optional<double> opt() const override { return family_->facts().optS; }

 private:
  std::shared_ptr<const HardFamily> family_;
  Subset member_;
};

}  // namespace sqsim::lower_bounds