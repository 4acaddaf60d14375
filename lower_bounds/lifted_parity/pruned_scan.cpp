#include "sqsim/lower_bounds/lifted_parity/pruned_scan.hpp"

#include "sqsim/lower_bounds/lifted_parity/heavy_subsets.hpp"
#include "sqsim/sq/distributed.hpp"
#include "sqsim/sq/parallel.hpp"

#include <algorithm>
#include <numeric>
#include <span>

namespace sqsim::lower_bounds {
namespace {

constexpr std::size_t kChunk = 1 << 15;  // candidates evaluated together (in parallel)

// Calls visit(i, subset) for i < n, subset i read from a flat array of k ints each, in up to 64
// blocks on `threads` (the members kept per chunk and per ray are stored that way: no unranking).
template <class Visit>
void for_each_flat_subset(const std::vector<int>& flat, int k, std::size_t n, int threads, Visit&& visit) {
  const std::size_t blocks = std::min<std::size_t>(n, 64);
  const auto width = static_cast<std::size_t>(k);
  sq::parallel_for(static_cast<std::int64_t>(blocks), threads, [&](std::int64_t b, int) {
    const std::size_t begin = n * static_cast<std::size_t>(b) / blocks, end = n * static_cast<std::size_t>(b + 1) / blocks;
    Subset s(width);
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = 0; j < width; ++j) s[j] = flat[i * width + j];
      visit(i, s);
    }
  });
}

// The candidates of one part, gathered in chunks and evaluated in parallel.
class ChunkEvaluator {
 public:
  ChunkEvaluator(int k, int threads, const MemberDeviation& deviation, double floor, double tolerance, PartialExposure& local)
      : k_(k), threads_(threads), deviation_(deviation), floor_(floor), tolerance_(tolerance), local_(local) {}
  void take(std::uint64_t index, const int* subset) {
    ++local_.candidates;
    chunk_.push_back(index);
    for (int j = 0; j < k_; ++j) subsets_.push_back(subset[j]);  // element by element: no memmove call per member
    if (chunk_.size() >= kChunk) flush();
  }
  void flush() {
    values_.assign(chunk_.size(), 0.0);
    // Few candidates (most queries on a ray, their parts cached): threads would only contend.
    for_each_flat_subset(subsets_, k_, chunk_.size(), chunk_.size() < 4096 ? 1 : threads_,
                         [&](std::size_t i, const Subset& s) { values_[i] = deviation_(s, floor_); });
    for (std::size_t i = 0; i < chunk_.size(); ++i) local_.evaluated(chunk_[i], values_[i], tolerance_);
    chunk_.clear();
    subsets_.clear();
  }

 private:
  int k_, threads_;
  const MemberDeviation& deviation_;
  double floor_, tolerance_;
  PartialExposure& local_;
  std::vector<std::uint64_t> chunk_;  // indices into the scanned MemberSet
  std::vector<int> subsets_;          // and their subsets, k ints each (no unranking)
  std::vector<double> values_;
};

double rho_of(const Subset& subset, const Vector& u2) {
  double rho = 0.0;
  for (int j : subset) rho += u2[j];
  return rho;
}

}  // namespace

void PartialExposure::evaluated(std::uint64_t member, double value, double tolerance) {
  if (largest_is_bound || value > largest) largest = largest_is_bound ? std::max(value, largest) : value;
  if (value > tolerance) {
    members.push_back(member);
    if (largest_is_bound) largest = value;
    largest_is_bound = false;
  }
}

std::vector<double> PartialExposure::encode() const {
  std::vector<double> out{largest, largest_is_bound ? 1.0 : 0.0, static_cast<double>(candidates)};
  for (std::uint64_t m : members) out.push_back(static_cast<double>(m));
  return out;
}

PartialExposure PartialExposure::decode(const std::vector<double>& in) {
  PartialExposure p{in[0], in[1] != 0.0, static_cast<std::uint64_t>(in[2]), {}};
  for (std::size_t i = 3; i < in.size(); ++i) p.members.push_back(static_cast<std::uint64_t>(in[i]));
  return p;
}

void PartialExposure::merge_into(Exposure& exposure) const {
  exposure.members.insert(exposure.members.end(), members.begin(), members.end());
  if (!largest_is_bound) {
    exposure.largest_deviation = exposure.largest_is_bound ? largest : std::max(exposure.largest_deviation, largest);
    exposure.largest_is_bound = false;
  } else if (exposure.largest_is_bound) {
    exposure.largest_deviation = std::max(exposure.largest_deviation, largest);
  }
}

bool PrunedScan::CandidateCache::holds(const Vector& u2, const MemberSet& set, int part_index, int part_count, double at) const {
  // A later query on the same ray at a threshold no lower: members below its cut cannot be exposed
  // (their bound is <= tolerance), so the members kept by the first query hold every one.
  return complete && among == set && part == part_index && parts == part_count && direction.size() == u2.size() &&
         (direction - u2).norm() <= 1e-15 && at >= cut;
}

void PrunedScan::CandidateCache::reset(const Vector& u2, const MemberSet& set, int part_index, int part_count, double at) {
  // Refilled in place: its buffers keep their capacity (no fresh pages to fault in for every new ray).
  direction = u2;
  among = set;
  cut = at;
  part = part_index;
  parts = part_count;
  index.clear();
  subsets.clear();
  rho.clear();
  complete = true;
  keyed = {};
}

void PrunedScan::CandidateCache::keep(std::uint64_t member_index, const Subset& subset, const Vector& u2) {
  if (!complete) return;
  if (index.size() >= kMaxKept) {  // too many to keep
    complete = false;
    index.clear();
    subsets.clear();
    rho.clear();
    return;
  }
  subsets.insert(subsets.end(), subset.begin(), subset.end());
  index.push_back(member_index);
  rho.push_back(rho_of(subset, u2));
}

const std::vector<std::pair<double, std::uint32_t>>& PrunedScan::CandidateCache::sorted_by(const RayKey& ray_key, int k, int threads) {
  const auto kind = static_cast<std::size_t>(ray_key.kind);
  auto& sorted = by_key[kind];
  if (!keyed[kind]) {
    sorted.resize(index.size());
    for_each_flat_subset(subsets, k, sorted.size(), threads, [&](std::size_t i, const Subset& s) {
      sorted[i] = {ray_key.key(s), static_cast<std::uint32_t>(i)};
    });
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    keyed[kind] = true;
  }
  return sorted;
}

PrunedScan::Threshold PrunedScan::threshold(const Vector& u2, double tolerance, const RhoBounds& bounds) const {
  const int k = family_.order();
  std::function<double(double)> bound = bounds.simple;
  const auto threshold_of = [&](bool sharp, const std::function<double(double)>& of) {
    return bounds.threshold ? bounds.threshold(sharp, tolerance) : threshold_rho(of, tolerance);
  };
  double theta = threshold_of(false, bound);
  // The heaviest member's bound: what no unexposed member can exceed when none is a candidate.
  std::vector<double> sorted(u2.data(), u2.data() + u2.size());
  std::partial_sort(sorted.begin(), sorted.begin() + k, sorted.end(), std::greater<>());
  const double heaviest = std::min(1.0, std::accumulate(sorted.begin(), sorted.begin() + k, 0.0));
  if (theta <= 1.0 && heaviest >= theta * (1.0 - 1e-12) - 1e-15) {
    const std::function<double(double)> sharp = bounds.sharp();
    theta = std::max(theta, threshold_of(true, sharp));  // both are valid: members below either cannot be exposed
    bound = [bound, sharp](double rho) { return std::min(bound(rho), sharp(rho)); };
  }
  return {theta, std::min(tolerance, bound(heaviest))};
}

void PrunedScan::enumerate_candidates(const Vector& u2, double cut, const MemberSet& among, int part, int parts,
                                      const std::function<void(std::uint64_t index, const Subset&)>& take) const {
  const int k = family_.order();
  const std::span<const double> weights{u2.data(), static_cast<std::size_t>(u2.size())};
  if (!among.is_all() && count_heavy_subsets(weights, k, cut) > among.count()) {
    // A sub-family smaller than the heavy members of the whole family: visit the sub-family instead
    // (contiguous ranges of it per process).
    const auto n = among.count(), first = n * static_cast<std::uint64_t>(part) / static_cast<std::uint64_t>(parts),
               last = n * static_cast<std::uint64_t>(part + 1) / static_cast<std::uint64_t>(parts);
    for (std::uint64_t i = first; i < last; ++i) {
      const Subset subset = family_.member(among.rank(i));
      if (rho_of(subset, u2) >= cut) take(i, subset);
    }
    return;
  }
  // The heavy members, the branches of the search dealt out among the processes (heavy_subsets.hpp).
  for_each_heavy_subset(
      weights, k, cut,
      [&](const Subset& subset, std::uint64_t rank) {
        if (among.is_all()) {
          take(rank, subset);
        } else if (const auto index = among.index_of(rank)) {
          take(*index, subset);
        }
      },
      part, parts);
}

void PrunedScan::scan_part(const Vector& u2, double cut, const MemberSet& among, int part, int parts, int threads,
                           const MemberDeviation& deviation, double tolerance, const RayKey* ray_key, PartialExposure& local) {
  const int k = family_.order();
  const bool cached = cache_.holds(u2, among, part, parts, cut);
  if (cached && ray_key) {
    // deviation = factor * key: the exposed are a prefix of the members by decreasing key.
    const auto& sorted = cache_.sorted_by(*ray_key, k, threads);
    local.candidates += sorted.size();
    for (const auto& [key, i] : sorted) {
      const double value = ray_key->factor * key;
      if (!(value > tolerance)) {
        if (local.largest_is_bound) local.largest = std::max(local.largest, value);
        break;
      }
      if (local.largest_is_bound) local.largest = value;  // the first is the largest
      local.largest_is_bound = false;
      local.members.push_back(cache_.index[i]);
    }
    return;
  }
  ChunkEvaluator evaluate(k, threads, deviation, local.largest, tolerance, local);
  if (cached) {
    for (std::size_t i = 0; i < cache_.index.size(); ++i)
      if (cache_.rho[i] >= cut) evaluate.take(cache_.index[i], cache_.subsets.data() + i * static_cast<std::size_t>(k));
  } else {
    cache_.reset(u2, among, part, parts, cut);
    enumerate_candidates(u2, cut, among, part, parts, [&](std::uint64_t index, const Subset& subset) {
      cache_.keep(index, subset, u2);
      evaluate.take(index, subset.data());
    });
  }
  evaluate.flush();
}

Exposure PrunedScan::run(const Vector& w, double tolerance, const MemberSet& among, int threads, const MemberDeviation& deviation,
                         const RhoBounds& bounds, const RayKey* ray_key) {
  const Vector u2 = (w / w.norm()).cwiseAbs2();
  const Threshold t = threshold(u2, tolerance, bounds);
  const double cut = t.theta * (1.0 - 1e-12) - 1e-15;
  // Each process scans its part on its threads; the parts are merged in part order.
  const int parts = sq::process_count();
  const auto scanned = sq::distributed_map(parts, 1, [&](std::int64_t part, int, std::vector<double>& out) {
    PartialExposure local{t.initial_largest, true, 0, {}};
    if (t.theta <= 1.0) scan_part(u2, cut, among, static_cast<int>(part), parts, threads, deviation, tolerance, ray_key, local);
    out = local.encode();
  });
  Exposure exposure;
  exposure.largest_deviation = t.initial_largest;
  exposure.largest_is_bound = true;
  std::uint64_t candidates = 0;
  for (const auto& encoded : scanned) {
    const PartialExposure part = PartialExposure::decode(encoded);
    candidates += part.candidates;
    part.merge_into(exposure);
  }
  std::sort(exposure.members.begin(), exposure.members.end());
  last_ = {t.theta, candidates};
  return exposure;
}

}  // namespace sqsim::lower_bounds