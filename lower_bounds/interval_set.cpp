#include "sqsim/lower_bounds/interval_set.hpp"

#include <algorithm>
#include <iterator>

namespace sqsim::lower_bounds {

std::uint64_t IntervalSet::insert(std::uint64_t begin, std::uint64_t end) {
  if (begin >= end) return 0;
  std::uint64_t covered = 0;  // of [begin, end), already in the set
  // The first interval that could touch [begin, end): the last one starting at or before begin.
  auto it = intervals_.upper_bound(begin);
  if (it != intervals_.begin() && std::prev(it)->second >= begin) --it;
  std::uint64_t new_begin = begin, new_end = end;
  while (it != intervals_.end() && it->first <= end) {
    covered += std::min(it->second, end) > std::max(it->first, begin) ? std::min(it->second, end) - std::max(it->first, begin) : 0;
    new_begin = std::min(new_begin, it->first);
    new_end = std::max(new_end, it->second);
    size_ -= it->second - it->first;
    it = intervals_.erase(it);
  }
  intervals_.emplace(new_begin, new_end);
  size_ += new_end - new_begin;
  return (end - begin) - covered;
}

bool IntervalSet::contains(std::uint64_t value) const {
  auto it = intervals_.upper_bound(value);
  return it != intervals_.begin() && std::prev(it)->second > value;
}

std::uint64_t IntervalSet::nth_absent(std::uint64_t i) const {
  // Walk the gaps in order; value = i plus the sizes of the intervals before it.
  std::uint64_t value = i;
  for (const auto& [b, e] : intervals_) {
    if (b > value) break;
    value += e - b;
  }
  return value;
}

std::vector<std::uint64_t> IntervalSet::absent(std::uint64_t universe, std::uint64_t limit) const {
  std::vector<std::uint64_t> out;
  std::uint64_t next = 0;
  for (const auto& [b, e] : intervals_) {
    for (std::uint64_t v = next; v < std::min(b, universe) && out.size() < limit; ++v) out.push_back(v);
    next = e;
    if (out.size() >= limit || next >= universe) return out;
  }
  for (std::uint64_t v = next; v < universe && out.size() < limit; ++v) out.push_back(v);
  return out;
}

}  // namespace sqsim::lower_bounds