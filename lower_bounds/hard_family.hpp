// The interface every hard family implements (DESIGN.md, "One interface"). A family is a set of
// distributions D_S indexed by the k-subsets S of [d] (by colex rank), a reference distribution D0
// that no member can be told apart from by few queries, and exact answers under both. One member
// oracle and one adversary (member_oracle.hpp, adversary.hpp) work over any family.
//
// Ownership: families are shared (std::shared_ptr) by the oracles and runs that use them; a family
// owns everything it depends on. A family is not thread-safe: one oracle at a time may call it
// (its `expose` keeps per-direction tables).
#pragma once

#include "queries/subsets.hpp"
#include "sq/dispatch.hpp"
#include "sq/errors.hpp"
#include "sq/oracle.hpp"

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lower_bounds {

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

// The members a scan covers: all of them (ranks [0, family size)) or a sorted list of ranks.
class MemberSet {
 public:
  static MemberSet all(std::uint64_t family_size);
  static MemberSet subset(std::vector<std::uint64_t> sorted_ranks);
  bool is_all() const { return all_; }
  std::uint64_t count() const { return all_ ? size_ : ranks_.size(); }
  std::uint64_t rank(std::uint64_t index) const { return all_ ? index : ranks_[index]; }
  // The index of a rank in this set, if it is in it.
  std::optional<std::uint64_t> index_of(std::uint64_t rank) const;
  // The number of members of the set with rank below `rank` (the index where it would stand).
  std::uint64_t lower_index(std::uint64_t rank) const;
  bool operator==(const MemberSet&) const = default;

 private:
  bool all_ = true;
  std::uint64_t size_ = 0;
  std::vector<std::uint64_t> ranks_;
};

// The members (indices into the scanned MemberSet) whose exact answer to a query differs from D0's
// by more than the error the oracle may make (tolerance; for VSTAT max(tau, sqrt(p(1-p)tau))).
struct Exposure {
  std::vector<std::uint64_t> members;                               // single members, increasing
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;      // and whole index ranges [begin, end)
  double largest_deviation = 0.0;  // max over the scanned members of |E_S[q] - E_D0[q]| (in the query's norm)
  bool largest_is_bound = false;   // a pruned scan that exposed no member: largest_deviation is an upper bound (<= tolerance)
  std::uint64_t count() const;
  std::vector<std::uint64_t> indices() const;  // members and ranges, expanded and sorted (for tests)
};

class HardFamily {
 public:
  virtual ~HardFamily() = default;

  virtual std::string name() const = 0;         // e.g. "lifted-parity"
  virtual std::string description() const = 0;  // name with its parameters
  virtual Eigen::Index dimension() const = 0;
  virtual int order() const = 0;                // k: members are the k-subsets of [d]
  std::uint64_t size() const;                   // C(d, k), saturating at 2^64 - 1
  Subset member(std::uint64_t rank) const { return queries::subset_unrank(rank, order()); }
  std::uint64_t rank(const Subset& sorted) const { return queries::subset_rank(sorted); }
  void check_member(const Subset& member) const;  // throws std::invalid_argument naming "member"

  // The query class the lower bound speaks of: l2 (bounded-norm) or correlational.
  virtual sq::QueryKind model() const = 0;
  virtual FamilyFacts facts() const = 0;
  virtual Vector optimal_w(const Subset& member) const = 0;    // a minimiser of member's loss, |w| <= 1
  virtual double loss(const Vector& w, const Subset& member) const = 0;  // E_S[(relu(w.x) - y)^2]
  virtual double reference_loss(const Vector& w) const = 0;              // under D0
  // One sample (x, y) of member S: writes x, returns y.
  virtual double sample(boost::random::mt19937_64& engine, const Subset& member, Eigen::Ref<Vector> x) const = 0;

  // Exact answers. Each throws sq::QueryRefused naming the query (and listing what the family
  // answers) for a query it cannot answer exactly; never approximates.
  virtual double reference_answer(const sq::ScalarQuery& query) const = 0;
  virtual Vector reference_answer(const sq::VectorQuery& query) const = 0;
  virtual double member_answer(const sq::ScalarQuery& query, const Subset& member) const = 0;
  virtual Vector member_answer(const sq::VectorQuery& query, const Subset& member) const = 0;
  // Throws sq::QueryRefused unless the query keeps its declared bound (under D0 for l2 queries).
  virtual void check_bound(const sq::ScalarQuery& query) const = 0;
  virtual void check_bound(const sq::VectorQuery& query) const = 0;
  // How many members an adversary tracks exactly by default: the exhaustive scan costs time in
  // C(d, k) per query; a family whose expose() prunes raises it.
  virtual std::uint64_t exact_tracking_limit() const { return 10'000'000; }
  // What the family answers, for messages.
  virtual std::string answers() const = 0;

  // The members of `among` that the reference answer exposes. The default asks member_answer for
  // every member (exhaustive: the reference implementation); families override it with faster,
  // exactly equivalent ways (tested against exhaustive_exposure).
  virtual Exposure expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among, int threads);
  virtual Exposure expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among,
                          int threads);
  Exposure exhaustive_exposure(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among,
                               int threads) const;
  Exposure exhaustive_exposure(const sq::VectorQuery& query, const Vector& reference, double tolerance,
                               const MemberSet& among, int threads) const;

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

// |a - b| in the vector query's norm.
double deviation_norm(const Vector& a, const Vector& b, sq::VectorNorm norm);

}  // namespace lower_bounds
