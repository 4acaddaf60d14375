// A set of unsigned integers stored as disjoint half-open intervals: the adversary's exposed members.
// Memory grows with the number of intervals, so a character-sum query that exposes a rank range of
// 10^6 members costs one interval, and scattered exposures cost one each.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace sqsim::lower_bounds {

class IntervalSet {
 public:
  // Adds [begin, end); returns how many of its elements were not in the set before.
  std::uint64_t insert(std::uint64_t begin, std::uint64_t end);
  bool contains(std::uint64_t value) const;
  std::uint64_t size() const { return size_; }
  std::size_t intervals() const { return intervals_.size(); }
  // The i-th (0-based) value of [0, universe) that is not in the set (i < universe - size()).
  std::uint64_t nth_absent(std::uint64_t i) const;
  // Up to `limit` values of [0, universe) not in the set, in increasing order.
  std::vector<std::uint64_t> absent(std::uint64_t universe, std::uint64_t limit) const;

 private:
  std::map<std::uint64_t, std::uint64_t> intervals_;  // begin -> end, disjoint and not touching
  std::uint64_t size_ = 0;
};

}  // namespace sqsim::lower_bounds