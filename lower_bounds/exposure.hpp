// Which members of a hard family an answer exposes, and the strategy an adversary uses to find them.
// An answer exposes a member when the member's exact answer differs from it by more than the error
// the oracle may make; the exhaustive strategy asks every member (the reference), a family may offer
// a faster, exactly equivalent one (HardFamily::exposure; the lifted parity prunes by rho_S).
#pragma once

#include "sqsim/lower_bounds/hard_family.hpp"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace sqsim::lower_bounds {

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
  std::vector<std::uint64_t> members;                           // single members, increasing
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // and whole index ranges [begin, end)
  double largest_deviation = 0.0;                               // max over the scanned members of |E_S[q] - E_D0[q]| (in the query's norm)
  bool largest_is_bound = false;  // a pruned scan that exposed no member: largest_deviation is an upper bound (<= tolerance)
  std::uint64_t count() const;
  std::vector<std::uint64_t> indices() const;  // members and ranges, expanded and sorted (for tests)
};

// |a - b| in the vector query's norm.
double deviation_norm(const Vector& a, const Vector& b, sq::VectorNorm norm);

// How an adversary finds the members an answer exposes. A strategy belongs to one adversary (it may
// keep tables from query to query: not thread-safe) and refers to its family, which must outlive it.
class ExposureStrategy {
 public:
  virtual ~ExposureStrategy() = default;
  // The members of `among` that `reference` (the answer given, E_D0[q]) exposes, on up to `threads`
  // threads (the result never depends on them). Throws sq::QueryRefused for a query the family
  // cannot answer exactly.
  virtual Exposure expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among, int threads) = 0;
  virtual Exposure expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among, int threads) = 0;
  // How many members an adversary tracks exactly by default: scanning every member costs time in
  // their number per query; a strategy that prunes raises it.
  virtual std::uint64_t tracking_limit() const = 0;
};

// The reference strategy: member_answer for every member of `among`, in blocks (one per task; under
// mpirun each process scans a range of blocks). Threads only when the family answers concurrently.
class ExhaustiveExposure final : public ExposureStrategy {
 public:
  explicit ExhaustiveExposure(const HardFamily& family) : family_(family) {}
  Exposure expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among, int threads) override;
  Exposure expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among, int threads) override;
  std::uint64_t tracking_limit() const override { return 10'000'000; }

 private:
  const HardFamily& family_;
};

}  // namespace sqsim::lower_bounds