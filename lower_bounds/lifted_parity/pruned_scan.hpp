// The lifted parity's pruned exposure scan for a query in one direction u = w/|w|, exactly equivalent
// to asking every member (tested). A member's deviation is bounded by an increasing function of
// rho_S = sum_{j in S} u_j^2 (key_bounds.hpp), so in four steps:
//   threshold   the rho below which the bound keeps every member within the tolerance;
//   candidates  the members at or above it, enumerated heaviest-first (heavy_subsets.hpp), dealt
//               out among the processes, and kept for the ray's later queries (CandidateCache);
//   evaluate    each candidate's deviation, exactly or by a per-member bound, in parallel chunks;
//   merge       the processes' PartialExposures in part order (the result does not depend on them).
// Memory grows with the candidates of one chunk and the members exposed, not with C(d, k).
// Internal to the lifted parity; not installed.
#pragma once

#include "sqsim/lower_bounds/exposure.hpp"
#include "sqsim/lower_bounds/lifted_parity/key_bounds.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace sqsim::lower_bounds {

// A member's |deviation| (or a bound on it when that is <= tolerance), given a floor: it may return
// any value in [its bound, floor] when it can show the bound is at most floor (what the scan reports
// as the largest is then unchanged: it starts at floor).
using MemberDeviation = std::function<double(const Subset& subset, double floor)>;

// A typed ReLU query's deviation is factor * key(S) with key fixed by the ray (|R_S|, |grad R_S| in
// l2 or max norm): on a ray already scanned, its members sorted by key make each exposure a prefix.
struct RayKey {
  int kind = 0;  // 0: |R_S|, 1: |grad R_S|_2, 2: |grad R_S|_inf
  double factor = 0.0;
  std::function<double(const Subset&)> key;
};

// What the last scan did: the rho it started at and how many members it evaluated.
struct PruneStats {
  double threshold_rho = 0.0;
  std::uint64_t candidates = 0;
};

// One process's share of a scan. The largest deviation is the largest exposed one once a member is
// exposed, until then the largest bound (largest_is_bound).
struct PartialExposure {
  double largest = 0.0;
  bool largest_is_bound = true;
  std::uint64_t candidates = 0;
  std::vector<std::uint64_t> members;

  void evaluated(std::uint64_t member, double value, double tolerance);  // a candidate's exact deviation
  // sq::distributed_map carries doubles: [largest, is_bound, candidates, members...] (exact below 2^53).
  std::vector<double> encode() const;
  static PartialExposure decode(const std::vector<double>& in);
  void merge_into(Exposure& exposure) const;
};

class PrunedScan {
 public:
  explicit PrunedScan(const HardFamily& family) : family_(family) {}
  // The members of `among` exposed by a query in direction w whose deviation `deviation` computes
  // and `bounds` bound by rho_S; with a ray key, exposures on a scanned ray are prefixes by key.
  Exposure run(const Vector& w, double tolerance, const MemberSet& among, int threads, const MemberDeviation& deviation,
               const RhoBounds& bounds, const RayKey* ray_key = nullptr);
  PruneStats last() const { return last_; }

 private:
  // The candidates of the last scan that enumerated (direction as u^2, members with their rho), for
  // the next queries on the same ray: they need only the members above their own, higher threshold.
  struct CandidateCache {
    static constexpr std::size_t kMaxKept = 1'000'000;  // 40 MB; beyond, the ray's later queries search again
    Vector direction;
    MemberSet among;
    double cut = 2.0;
    int part = 0, parts = 1;  // this process's part of the heavy members
    std::vector<std::uint64_t> index;
    std::vector<int> subsets;
    std::vector<double> rho;
    bool complete = false;  // every candidate was kept
    // Per RayKey kind, once asked: (key, position in index) by decreasing key.
    std::array<std::vector<std::pair<double, std::uint32_t>>, 3> by_key;
    std::array<bool, 3> keyed{};

    bool holds(const Vector& u2, const MemberSet& set, int part, int parts, double cut) const;
    void reset(const Vector& u2, const MemberSet& set, int part, int parts, double cut);
    void keep(std::uint64_t index, const Subset& subset, const Vector& u2);
    const std::vector<std::pair<double, std::uint32_t>>& sorted_by(const RayKey& ray_key, int k, int threads);
  };
  struct Threshold {
    double theta = 2.0;            // members with rho_S below it cannot be exposed
    double initial_largest = 0.0;  // the heaviest member's bound (<= tolerance): the largest when no member is exposed
  };
  Threshold threshold(const Vector& u2, double tolerance, const RhoBounds& bounds) const;
  // This process's part: the candidates above cut, evaluated (or read off the ray's sorted keys).
  void scan_part(const Vector& u2, double cut, const MemberSet& among, int part, int parts, int threads, const MemberDeviation& deviation,
                 double tolerance, const RayKey* ray_key, PartialExposure& local);
  void enumerate_candidates(const Vector& u2, double cut, const MemberSet& among, int part, int parts,
                            const std::function<void(std::uint64_t index, const Subset&)>& take) const;

  const HardFamily& family_;
  CandidateCache cache_;
  PruneStats last_;
};

}  // namespace sqsim::lower_bounds