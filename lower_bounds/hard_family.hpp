// The interface every hard family implements (DESIGN.md, "One interface"). A family is a set of
// distributions D_S indexed by the k-subsets S of [d] (by colex rank), a reference distribution D0
// that no member can be told apart from by few queries, and exact answers under both. One member
// oracle and one adversary (member_oracle.hpp, adversary.hpp) work over any family.
//
// Ownership: families are shared (std::shared_ptr) by the oracles and runs that use them; a family
// owns everything it depends on. The tables an exposure scan keeps from query to query belong to
// the adversary's ExposureStrategy, not to the family.
#pragma once

#include "sqsim/queries/subsets.hpp"
#include "sqsim/sq/dispatch.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/oracle.hpp"

#include "sqsim/sq/random.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sqsim::lower_bounds {

class ExposureStrategy;

using queries::Subset;
using sq::Matrix;
using sq::Vector;

struct FamilyFacts {
  double opt0 = 0.0;   // min over |w| <= 1 of the loss under D0 (no hypothesis that ignores S does better)
  double optS = 0.0;   // min over |w| <= 1 of the loss under any member D_S
  double gap = 0.0;    // opt0 - optS
  double rho = 0.0;    // the largest correlation of one unit ReLU with a member's signal
  double beta = 0.0;   // chi_D0(D_S, D_S) <= beta
  double gamma = 0.0;  // |chi_D0(D_S, D_T)| <= gamma for S != T
  double noise = 0.0;  // eta: the labels' noise rate (0 for noiseless families)
};

class HardFamily {
 public:
  virtual ~HardFamily() = default;

  virtual std::string name() const = 0;         // e.g. "lifted-parity"
  virtual std::string description() const = 0;  // name with its parameters
  virtual Eigen::Index dimension() const = 0;
  virtual int order() const = 0;  // k: members are the k-subsets of [d]
  std::uint64_t size() const;     // C(d, k), saturating at 2^64 - 1
  Subset member(std::uint64_t rank) const { return queries::subset_unrank(rank, order()); }
  std::uint64_t rank(const Subset& sorted) const { return queries::subset_rank(sorted); }
  void check_member(const Subset& member) const;  // throws std::invalid_argument naming "member"

  // The query class the lower bound speaks of: l2 (bounded-norm) or correlational.
  virtual sq::QueryKind model() const = 0;
  virtual FamilyFacts facts() const = 0;
  virtual Vector optimal_w(const Subset& member) const = 0;              // a minimiser of member's loss, |w| <= 1
  virtual double loss(const Vector& w, const Subset& member) const = 0;  // E_S[(relu(w.x) - y)^2]
  virtual double reference_loss(const Vector& w) const = 0;              // under D0
  // One sample (x, y) of member S: writes x, returns y.
  virtual double sample(sq::Engine& engine, const Subset& member, Eigen::Ref<Vector> x) const = 0;

  // Exact answers. Each throws sq::QueryRefused naming the query (and listing what the family
  // answers) for a query it cannot answer exactly; never approximates.
  virtual double reference_answer(const sq::ScalarQuery& query) const = 0;
  virtual Vector reference_answer(const sq::VectorQuery& query) const = 0;
  virtual double member_answer(const sq::ScalarQuery& query, const Subset& member) const = 0;
  virtual Vector member_answer(const sq::VectorQuery& query, const Subset& member) const = 0;
  // Throws sq::QueryRefused unless the query keeps its declared bound (under D0 for l2 queries).
  virtual void check_bound(const sq::ScalarQuery& query) const = 0;
  virtual void check_bound(const sq::VectorQuery& query) const = 0;
  // What the family answers, for messages.
  virtual std::string answers() const = 0;

  // Whether the const methods (answers, losses, bounds) may be called from several threads at once:
  // exposure scans then run on their threads; a family that answers serially returns false.
  virtual bool concurrent_answers() const = 0;
  // The exposure strategy an adversary over this family owns (exposure.hpp); it refers to this family,
  // which must outlive it. The default asks member_answer for every member (ExhaustiveExposure).
  virtual std::unique_ptr<ExposureStrategy> exposure() const;

  // A query that pins the loss at w: |L_S(w) - L_0(w)| = factor * |E_S[q] - E_D0[q]| for every
  // member. A run that asks it (unexposed) certifies L_S(w) >= L_0(w) - factor * tau >= opt0 - factor * tau.
  struct LossPin {
    sq::ScalarQuery query;
    double factor = 1.0;
  };
  virtual LossPin loss_pin(const Vector& w) const = 0;
};

// Calls f(typed) for the query's type among Types (an sq::QueryTypes list), or refuses the query
// naming what the family answers: how a family dispatches its exact answers.
template <class Types, class Query, class F>
auto answer_typed(const HardFamily& family, const Query& query, F&& f) {
  if (auto result = Types::visit(query, f)) return *result;
  throw sq::QueryRefused(query.label() + ": the " + family.name() + " family answers exactly only " + family.answers() +
                         " (other queries are refused, never approximated)");
}

}  // namespace sqsim::lower_bounds