#include "sqsim/lower_bounds/exposure.hpp"

#include "sqsim/oracles/perturbation.hpp"
#include "sqsim/sq/distributed.hpp"

#include <algorithm>
#include <cmath>

namespace sqsim::lower_bounds {

MemberSet MemberSet::all(std::uint64_t family_size) {
  MemberSet set;
  set.all_ = true;
  set.size_ = family_size;
  return set;
}

MemberSet MemberSet::subset(std::vector<std::uint64_t> sorted_ranks) {
  MemberSet set;
  set.all_ = false;
  set.ranks_ = std::move(sorted_ranks);
  set.size_ = set.ranks_.size();
  return set;
}

std::optional<std::uint64_t> MemberSet::index_of(std::uint64_t rank) const {
  if (all_) return rank < size_ ? std::optional<std::uint64_t>(rank) : std::nullopt;
  const auto it = std::lower_bound(ranks_.begin(), ranks_.end(), rank);
  if (it == ranks_.end() || *it != rank) return std::nullopt;
  return static_cast<std::uint64_t>(it - ranks_.begin());
}

std::uint64_t MemberSet::lower_index(std::uint64_t rank) const {
  if (all_) return std::min(rank, size_);
  return static_cast<std::uint64_t>(std::lower_bound(ranks_.begin(), ranks_.end(), rank) - ranks_.begin());
}

std::uint64_t Exposure::count() const {
  std::uint64_t total = members.size();
  for (const auto& [begin, end] : ranges) total += end - begin;
  return total;
}

std::vector<std::uint64_t> Exposure::indices() const {
  std::vector<std::uint64_t> all = members;
  for (const auto& [begin, end] : ranges)
    for (std::uint64_t i = begin; i < end; ++i) all.push_back(i);
  std::sort(all.begin(), all.end());
  return all;
}

double deviation_norm(const Vector& a, const Vector& b, sq::VectorNorm norm) {
  return norm == sq::VectorNorm::l2 ? (a - b).norm() : (a - b).cwiseAbs().maxCoeff();
}

namespace {

// Scans every member of `among` in contiguous blocks, one per task; deviation(member) -> (|dev|, exceeds).
template <class Deviation>
Exposure scan(const HardFamily& family, const MemberSet& among, int threads, Deviation&& deviation) {
  const std::uint64_t n = among.count();
  const auto blocks = static_cast<std::int64_t>(std::min<std::uint64_t>(n, 64));
  // Per block: [largest deviation, the indices exposed (exact as doubles below 2^53)]; under mpirun
  // each process scans a range of blocks (contiguous colex ranks) and receives the others'.
  const int workers = family.concurrent_answers() ? threads : 1;
  const auto parts = sq::distributed_map(blocks, workers, [&](std::int64_t b, int, std::vector<double>& out) {
    const std::uint64_t begin = n * static_cast<std::uint64_t>(b) / static_cast<std::uint64_t>(blocks);
    const std::uint64_t end = n * static_cast<std::uint64_t>(b + 1) / static_cast<std::uint64_t>(blocks);
    out.assign(1, 0.0);
    for (std::uint64_t i = begin; i < end; ++i) {
      const auto [size, exceeds] = deviation(family.member(among.rank(i)));
      out[0] = std::max(out[0], size);
      if (exceeds) out.push_back(static_cast<double>(i));
    }
  });
  Exposure total;
  for (const auto& part : parts) {
    total.largest_deviation = std::max(total.largest_deviation, part[0]);
    for (std::size_t i = 1; i < part.size(); ++i) total.members.push_back(static_cast<std::uint64_t>(part[i]));
  }
  return total;
}

}  // namespace

Exposure ExhaustiveExposure::expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among, int threads) {
  return scan(family_, among, threads, [&](const Subset& s) {
    const double value = family_.member_answer(query, s);
    const double size = std::abs(value - reference);
    return std::pair{size, size > oracles::allowed_error(query.kind(), value, tolerance)};
  });
}

Exposure ExhaustiveExposure::expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among,
                                    int threads) {
  return scan(family_, among, threads, [&](const Subset& s) {
    const double size = deviation_norm(family_.member_answer(query, s), reference, query.norm());
    return std::pair{size, size > tolerance};
  });
}

}  // namespace sqsim::lower_bounds