// The lifted parity's exposure bookkeeping, exactly equivalent to the exhaustive scan (tested).
// A character moves one member, a character sum the members in its ranges, label-only queries none.
// Every other query is a ridge query in one direction u = w/|w|, and its deviation under member S
// is bounded by an increasing function of rho_S = sum_{j in S} u_j^2 (parity_ridge.cpp derives it):
//   scalar g(w.x, y):          (1 - 2 eta)/2 ||(h_even)_{>= k}|| rho_S^{k/2}
//   g(w.x, y) c.x, g(w.x, y) x: (1 - 2 eta)/2 |c| ||h_{>= k-1}|| sqrt(B_k(rho_S))
// So only members with rho_S at or above the rho where the bound reaches the tolerance can be
// exposed; they are enumerated heaviest-first (heavy_subsets.hpp) and evaluated exactly (the ReLU
// queries in closed form, any other g through ParityRidge); the rest are never visited. Memory
// grows with the candidates of one chunk and the members exposed, not with C(d, k).
#include "lower_bounds/lifted_parity.hpp"

#include "queries/parity.hpp"
#include "queries/relu_regression.hpp"
#include "sq/errors.hpp"
#include "sq/distributed.hpp"
#include "sq/parallel.hpp"
#include "lower_bounds/heavy_subsets.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <shared_mutex>
#include <span>

namespace lower_bounds {



namespace {

constexpr std::size_t kChunk = 1 << 15;  // candidates evaluated together (in parallel)

// The smallest rho at which bound(rho) exceeds the tolerance (bound increasing in rho; 2 if never).
template <class Bound>
double threshold_rho(const Bound& bound, double tolerance) {
  if (!(bound(1.0) > tolerance)) return 2.0;
  double lo = 0.0, hi = 1.0;
  if (bound(0.0) > tolerance) return 0.0;
  for (int i = 0; i < 50 && hi - lo > 1e-15; ++i) {  // 2^-50: the threshold stays valid (bound(lo) <= tolerance) either way
    const double mid = 0.5 * (lo + hi);
    (bound(mid) > tolerance ? hi : lo) = mid;
  }
  return lo;  // bound(lo) <= tolerance: members strictly below lo cannot be exposed
}

// ParityRidge's Hermite series for one query, built on first use (a scan may need none).
class LazySeries {
 public:
  LazySeries(std::shared_ptr<const ParityRidge> ridge, double norm, int k) : ridge_(std::move(ridge)), norm_(norm), k_(k) {}
  const ParityRidge::Series& get() {
    std::call_once(once_, [this] { series_ = std::make_unique<ParityRidge::Series>(*ridge_, norm_, k_); });
    return *series_;
  }

 private:
  std::shared_ptr<const ParityRidge> ridge_;
  double norm_;
  int k_;
  std::once_flag once_;
  std::unique_ptr<ParityRidge::Series> series_;
};

// Calls visit(i, subset) for i < n, subset i read from a flat array of k ints each, in up to 64
// blocks on `threads` (the members kept per chunk and per ray are stored that way: no unranking).
template <class Visit>
void for_each_flat_subset(const std::vector<int>& flat, int k, std::size_t n, int threads, Visit&& visit) {
  const std::size_t blocks = std::min<std::size_t>(n, 64);
  sq::parallel_for(static_cast<std::int64_t>(blocks), threads, [&](std::int64_t b, int) {
    const std::size_t begin = n * static_cast<std::size_t>(b) / blocks, end = n * static_cast<std::size_t>(b + 1) / blocks;
    Subset s(static_cast<std::size_t>(k));
    for (std::size_t i = begin; i < end; ++i) {
      for (int j = 0; j < k; ++j) s[static_cast<std::size_t>(j)] = flat[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(j)];
      visit(i, s);
    }
  });
}

// A member's deviation, with its O(k + 64) per-member bound asked first: what the bound rules out
// (returning the bound, <= tolerance) is never evaluated. Members whose closed-form parts an earlier
// query on the ray computed are evaluated at once (cheaper than the bound).
// bound(s, floor) may return any value in [the bound, floor] (see LiftedParityMemberDeviation).
template <class Bound, class Closed>
LiftedParityMemberDeviation bound_first(std::function<double(const Subset&)> inner, Bound bound, Closed closed, double tolerance) {
  // A query visits each member once, so only parts cached before it began can be found: a first
  // query on a ray skips the lookups.
  const bool any_cached = closed && closed->filled.load(std::memory_order_relaxed);
  return [inner = std::move(inner), bound = std::move(bound), closed = std::move(closed), tolerance, any_cached](const Subset& s, double floor) {
    if (any_cached && closed->cached(s)) return inner(s);
    const double b = bound(s, std::min(floor, tolerance));
    return b <= tolerance ? b : inner(s);
  };
}

// floor / factor, rounded down far enough that factor times anything at or below it stays <= floor.
double scaled_floor(double floor, double factor) { return floor / factor * (1.0 - 1e-15); }

// One process's share of a pruned scan, merged in part order so that the result does not depend on
// the processes. The largest deviation is the largest exposed one once a member is exposed, until
// then the largest bound (largest_is_bound).
struct PartialExposure {
  double largest = 0.0;
  bool largest_is_bound = true;
  std::uint64_t candidates = 0;
  std::vector<std::uint64_t> members;

  // A candidate's exact deviation.
  void evaluated(std::uint64_t member, double value, double tolerance) {
    if (largest_is_bound || value > largest) largest = largest_is_bound ? std::max(value, largest) : value;
    if (value > tolerance) {
      members.push_back(member);
      if (largest_is_bound) largest = value;
      largest_is_bound = false;
    }
  }
  // distributed_map carries doubles: [largest, is_bound, candidates, members...] (exact below 2^53).
  std::vector<double> encode() const {
    std::vector<double> out{largest, largest_is_bound ? 1.0 : 0.0, static_cast<double>(candidates)};
    for (std::uint64_t m : members) out.push_back(static_cast<double>(m));
    return out;
  }
  static PartialExposure decode(const std::vector<double>& in) {
    PartialExposure p{in[0], in[1] != 0.0, static_cast<std::uint64_t>(in[2]), {}};
    for (std::size_t i = 3; i < in.size(); ++i) p.members.push_back(static_cast<std::uint64_t>(in[i]));
    return p;
  }
  void merge_into(Exposure& exposure) const {
    exposure.members.insert(exposure.members.end(), members.begin(), members.end());
    if (!largest_is_bound) {
      exposure.largest_deviation = exposure.largest_is_bound ? largest : std::max(exposure.largest_deviation, largest);
      exposure.largest_is_bound = false;
    } else if (exposure.largest_is_bound) {
      exposure.largest_deviation = std::max(exposure.largest_deviation, largest);
    }
  }
};

}  // namespace

LiftedParity::RhoBounds LiftedParity::RhoBounds::of(std::shared_ptr<const ParityRidge> ridge, double norm, int k, double factor, bool linear) {
  // First the simple bound (Hermite levels up to k only: cheap); the level-by-level one only when
  // the simple one lets the heaviest member through.
  RhoBounds bounds;
  if (linear) {
    bounds.simple = [a = factor * ridge->tail(norm, k - 1), k](double rho) { return a * ParityRidge::vector_bound_factor(k, rho); };
    bounds.sharp = [ridge, norm, k, factor]() -> std::function<double(double)> {
      return [factor, b = ridge->vector_bound(norm, k)](double rho) { return factor * b(rho); };
    };
  } else {
    bounds.simple = [a = factor * ridge->tail_even(norm, k), k](double rho) { return a * std::pow(rho, 0.5 * k); };
    bounds.sharp = [ridge, norm, k, factor]() -> std::function<double(double)> {
      return [factor, b = ridge->scalar_bound(norm, k)](double rho) { return factor * b(rho); };
    };
  }
  return bounds;
}

const LiftedParity::KeyBounds& LiftedParity::key_bounds(int kind) const {
  // |R_S(u)| = |E[relu(u.x) chi_S]| and |grad R_S(u)| = |E[1{u.x > 0} x chi_S]| at |u| = 1: the bounds
  // of ParityRidge for h = relu (scalar) and h = step (vector), whatever the ray and the query's scale.
  const bool gradient = kind != 0;
  std::call_once(key_bounds_once_[gradient], [this, gradient] {
    const int k = params_.k;
    auto h = gradient ? std::function<double(double)>([](double z) { return z > 0.0 ? 1.0 : 0.0; })
                      : std::function<double(double)>([](double z) { return z > 0.0 ? z : 0.0; });
    auto ridge = std::make_shared<const ParityRidge>(std::move(h), std::vector<double>{}, 1.0, std::min(k + 1, kMaxParityOrder + 1));
    const RhoBounds of_rho = RhoBounds::of(ridge, 1.0, k, 1.0, gradient);
    KeyBounds& b = key_bounds_[gradient];
    b.simple = of_rho.simple;
    b.sharp = of_rho.sharp();
    b.series = std::make_unique<const ParityRidge::Series>(*ridge, 1.0, k);
    b.gradient = gradient;
  });
  return key_bounds_[gradient];
}

double LiftedParity::KeyBounds::threshold(bool sharp_one, double factor, double tolerance) const {
  const std::lock_guard lock(mutex);
  for (const auto& t : thresholds)
    if (t.sharp == sharp_one && t.factor == factor && t.tolerance == tolerance) return t.rho;
  const auto& of = sharp_one ? sharp : simple;
  const double rho = threshold_rho([&of, factor](double r) { return factor * of(r); }, tolerance);
  if (thresholds.size() >= 16) thresholds.erase(thresholds.begin());
  thresholds.push_back({sharp_one, factor, tolerance, rho});
  return rho;
}

double LiftedParity::KeyBounds::member_bound(const Vector& u, std::span<const int> S) const {
  return gradient ? series->vector_bound(u, S) : series->scalar_bound(u, S);
}

double LiftedParity::KeyBounds::member_bound(const Vector& u, std::span<const int> S, double floor) const {
  return gradient ? series->vector_bound(u, S, floor) : series->scalar_bound(u, S);
}

Exposure LiftedParity::pruned_exposure(const sq::RidgeForm& form, double tolerance, const MemberSet& among, int threads,
                                       const LiftedParityMemberDeviation& deviation, const RhoBounds& bounds,
                                       PruneStats* stats, const RayKey* ray_key) {
  Exposure exposure;
  const Vector w = form.W.col(0);
  const double norm = w.norm();
  const int k = params_.k;
  std::function<double(double)> bound = bounds.simple;
  const auto threshold = [&](bool sharp, const std::function<double(double)>& of) {
    return bounds.threshold ? bounds.threshold(sharp, tolerance) : threshold_rho(of, tolerance);
  };
  double theta = threshold(false, bound);
  const Vector u2 = (w / norm).cwiseAbs2();
  // The heaviest member's bound: what no unexposed member can exceed when none is a candidate.
  std::vector<double> sorted(u2.data(), u2.data() + u2.size());
  std::partial_sort(sorted.begin(), sorted.begin() + k, sorted.end(), std::greater<>());
  const double heaviest = std::min(1.0, std::accumulate(sorted.begin(), sorted.begin() + k, 0.0));
  if (theta <= 1.0 && heaviest >= theta * (1.0 - 1e-12) - 1e-15) {
    const std::function<double(double)> sharp = bounds.sharp();
    theta = std::max(theta, threshold(true, sharp));  // both are valid: members below either cannot be exposed
    bound = [bound, sharp](double rho) { return std::min(bound(rho), sharp(rho)); };
  }
  const double initial_largest = std::min(tolerance, bound(heaviest));
  // The heavy members are dealt out among the processes (heavy_subsets.hpp: branches of the search;
  // a sub-family by contiguous colex rank ranges). Each scans its part on its threads; the parts'
  // exposures are merged in part order, so the result does not depend on the processes.
  const int parts = sq::process_count();
  const auto scanned = sq::distributed_map(parts, 1, [&](std::int64_t part_index, int, std::vector<double>& out) {
    const int part = static_cast<int>(part_index);
    PartialExposure local{initial_largest, true, 0, {}};
    std::vector<std::uint64_t> chunk;  // indices into `among`
    std::vector<int> chunk_subsets;    // and their subsets, k ints each (no unranking)
    std::vector<double> values;
    std::uint64_t& candidates = local.candidates;
    auto flush = [&] {
      values.assign(chunk.size(), 0.0);
      // Few candidates (most queries on a ray, their parts cached): threads would only contend.
      for_each_flat_subset(chunk_subsets, k, chunk.size(), chunk.size() < 4096 ? 1 : threads,
                           [&](std::size_t i, const Subset& s) { values[i] = deviation(s, initial_largest); });
      for (std::size_t i = 0; i < chunk.size(); ++i) local.evaluated(chunk[i], values[i], tolerance);
      chunk.clear();
      chunk_subsets.clear();
    };
    if (theta <= 1.0) {
      const double cut = theta * (1.0 - 1e-12) - 1e-15;
      auto take = [&](std::uint64_t index, const int* subset) {
        ++candidates;
        chunk.push_back(index);
        for (int j = 0; j < k; ++j) chunk_subsets.push_back(subset[j]);  // element by element: no memmove call per member
        if (chunk.size() >= kChunk) flush();
      };
      CandidateCache& cache = candidates_;
      if (cache.complete && cache.among == among && cache.part == part && cache.parts == parts && cache.direction.size() == u2.size() &&
          (cache.direction - u2).norm() <= 1e-15 && cut >= cache.cut) {
        // A later query on the same ray at a threshold no lower. Members below its cut cannot be
        // exposed (their bound is <= tolerance), so the members kept by the first query hold every one.
        if (ray_key) {
          // deviation = factor * key: the exposed are a prefix of the members by decreasing key.
          auto& sorted = cache.by_key[static_cast<std::size_t>(ray_key->kind)];
          if (!cache.keyed[static_cast<std::size_t>(ray_key->kind)]) {
            sorted.resize(cache.index.size());
            for_each_flat_subset(cache.subsets, k, sorted.size(), threads, [&](std::size_t i, const Subset& s) {
              sorted[i] = {ray_key->key(s), static_cast<std::uint32_t>(i)};
            });
            std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
            cache.keyed[static_cast<std::size_t>(ray_key->kind)] = true;
          }
          candidates += sorted.size();
          for (const auto& [key, i] : sorted) {
            const double value = ray_key->factor * key;
            if (!(value > tolerance)) {
              if (local.largest_is_bound) local.largest = std::max(local.largest, value);
              break;
            }
            if (local.largest_is_bound) local.largest = value;  // the first is the largest
            local.largest_is_bound = false;
            local.members.push_back(cache.index[i]);
          }
        } else {
          for (std::size_t i = 0; i < cache.index.size(); ++i)
            if (cache.rho[i] >= cut) take(cache.index[i], cache.subsets.data() + i * static_cast<std::size_t>(k));
        }
      } else {
        // Refilled in place: its buffers keep their capacity (no fresh pages to fault in for every new ray).
        cache.direction = u2;
        cache.among = among;
        cache.cut = cut;
        cache.part = part;
        cache.parts = parts;
        cache.index.clear();
        cache.subsets.clear();
        cache.rho.clear();
        cache.complete = true;
        cache.keyed = {};
        auto keep = [&](std::uint64_t index, const Subset& subset) {
          if (cache.complete && cache.index.size() < CandidateCache::kMaxKept) {
            double rho = 0.0;
            for (int j : subset) {
              rho += u2[j];
              cache.subsets.push_back(j);
            }
            cache.index.push_back(index);
            cache.rho.push_back(rho);
          } else if (cache.complete) {
            cache.complete = false;  // too many to keep
            cache.index.clear();
            cache.subsets.clear();
            cache.rho.clear();
          }
          take(index, subset.data());
        };
        const std::span<const double> weights{u2.data(), static_cast<std::size_t>(u2.size())};
        if (!among.is_all() && count_heavy_subsets(weights, k, cut) > among.count()) {
          // A sub-family smaller than the heavy members of the whole family: visit the sub-family instead.
          const std::uint64_t n = among.count(), first = n * static_cast<std::uint64_t>(part) / static_cast<std::uint64_t>(parts),
                              last = n * static_cast<std::uint64_t>(part + 1) / static_cast<std::uint64_t>(parts);
          for (std::uint64_t i = first; i < last; ++i) {
            const Subset subset = member(among.rank(i));
            double rho = 0.0;
            for (int j : subset) rho += u2[j];
            if (rho >= cut) keep(i, subset);
          }
        } else {
          for_each_heavy_subset(
              weights, k, cut,
              [&](const Subset& subset, std::uint64_t rank) {
                if (among.is_all()) {
                  keep(rank, subset);
                } else if (const auto index = among.index_of(rank)) {
                  keep(*index, subset);
                }
              },
              part, parts);
        }
      }
      flush();
    }
    out = local.encode();
  });
  std::uint64_t candidates = 0;
  exposure.largest_deviation = initial_largest;
  exposure.largest_is_bound = true;
  for (const auto& encoded : scanned) {
    const PartialExposure part = PartialExposure::decode(encoded);
    candidates += part.candidates;
    part.merge_into(exposure);
  }
  std::sort(exposure.members.begin(), exposure.members.end());
  if (stats) *stats = {theta, candidates};
  return exposure;
}

Exposure LiftedParity::expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among,
                              int threads) {
  if (label_only(query.ridge())) return {};  // every member answers as D0
  if (query.kind() == sq::QueryKind::vstat) return exhaustive_exposure(query, reference, tolerance, among, threads);
  Exposure exposure;
  if (among.count() == 0) return exposure;
  if (const auto* q = query.as<queries::Character>()) {
    if (static_cast<int>(q->subset.size()) != params_.k) return exposure;
    if (const auto index = among.index_of(queries::subset_rank(q->subset))) {
      exposure.largest_deviation = 0.5 * signal();
      if (exposure.largest_deviation > tolerance) exposure.members.push_back(*index);
    }
    return exposure;
  }
  if (const auto* q = query.as<queries::CharacterSum>()) {
    // Every member in A moves by (1 - 2 eta)/N, the others not at all: whole index ranges, no scan.
    if (q->order != params_.k) return exposure;
    const double deviation = signal() / q->norm();
    for (const auto& [begin, end] : q->ranges) {
      const std::uint64_t first = among.is_all() ? begin : among.lower_index(begin), last = among.is_all() ? end : among.lower_index(end);
      if (first >= last) continue;
      exposure.largest_deviation = deviation;
      if (deviation > tolerance) exposure.ranges.emplace_back(first, last);
    }
    return exposure;
  }
  if (const auto* q = query.as<queries::ThresholdCorrelation>(); q && q->threshold == 0.0)
    return exposure;  // E[1{z > 0} chi_S] = 0 for even k: every member agrees with D0
  const sq::RidgeForm* form = query.ridge();
  if (!form || form->W.cols() != 1) return exhaustive_exposure(query, reference, tolerance, among, threads);  // refuses it
  const Vector w = form->W.col(0);
  const double norm = w.norm();
  const Vector u = w / norm;
  // The ReLU queries in closed form, from one ParityCorrelation at u over every coordinate.
  std::shared_ptr<const ClosedForm> closed;
  if (query.as<queries::SquareLoss>() || query.as<queries::ReluCorrelation>() || query.as<queries::HalfGradientCoordinate>())
    closed = closed_form_at(u);
  std::optional<RayKey> ray_key;
  const auto value_key = [closed](const Subset& s) { return std::abs(closed->parts(s).value); };
  if (const auto* q = query.as<queries::SquareLoss>()) ray_key = RayKey{0, signal() * norm / q->scale, value_key};
  if (const auto* q = query.as<queries::ReluCorrelation>()) ray_key = RayKey{0, 0.5 * signal() * norm / q->scale, value_key};
  if (ray_key) return keyed_exposure(*form, *ray_key, closed, tolerance, among, threads);
  const auto r = ridge(query);
  auto series = std::make_shared<LazySeries>(r, norm, params_.k);
  std::function<double(const Subset&)> deviation_of;
  if (const auto* q = query.as<queries::HalfGradientCoordinate>()) {
    const int i = static_cast<int>(q->coordinate);
    deviation_of = [closed, u, i, factor = 0.5 * signal() / q->scale](const Subset& s) {
      const auto parts = closed->parts(s);
      double partial = parts.off_coefficient * u[i];
      for (std::size_t j = 0; j < s.size(); ++j)
        if (s[j] == i) partial = parts.on_subset[j];
      return factor * std::abs(partial);
    };
  } else if (generic_form(query)) {
    // The candidates the per-member bound lets through are mostly ruled out by the Hermite series and
    // its rigorous error (returning that bound, <= tolerance); ParityRidge evaluates the rest.
    deviation_of = [this, &query, series, u, c = form->linear_factor, factor = 0.5 * signal(), tolerance](const Subset& s) {
      const ParityRidge::Estimate e = c ? series->get().linear(u, s, *c) : series->get().scalar(u, s);
      const double bound = factor * (std::abs(e.value) + e.error);
      return bound <= tolerance ? bound : std::abs(deviation(query, s));
    };
  } else {
    deviation_of = [this, &query](const Subset& s) { return std::abs(deviation(query, s)); };
  }
  const bool linear = form->linear_factor.has_value();
  const LiftedParityMemberDeviation member_deviation = bound_first(
      std::move(deviation_of),
      [series, u, c = form->linear_factor, factor = 0.5 * signal()](const Subset& s, double floor) {
        if (!c) return factor * series->get().scalar_bound(u, s);
        const double f = factor * c->norm();
        return f * series->get().vector_bound(u, s, scaled_floor(floor, f));
      },
      closed, tolerance);
  const RhoBounds bounds = RhoBounds::of(r, norm, params_.k, 0.5 * signal() * (linear ? form->linear_factor->norm() : 1.0), linear);
  return pruned_exposure(*form, tolerance, among, threads, member_deviation, bounds, &last_prune_);
}

Exposure LiftedParity::expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among,
                              int threads) {
  if (among.count() == 0 || label_only(query.ridge()) || query.as<queries::SurrogateGradient>() || query.as<queries::LabelCorrelation>() ||
      query.as<queries::ThresholdedLabelCorrelation>())
    return {};  // no member moves
  const sq::RidgeForm* form = query.ridge();
  if (!form || form->W.cols() != 1) return exhaustive_exposure(query, reference, tolerance, among, threads);  // refuses it
  const Vector w = form->W.col(0);
  const double norm = w.norm();
  const Vector u = w / norm;
  if (const auto* q = query.as<queries::HalfGradient>()) {
    const auto closed = closed_form_at(u);
    const bool l2 = query.norm() == sq::VectorNorm::l2;
    const RayKey ray_key{l2 ? 1 : 2, 0.5 * signal() / q->scale, [closed, l2](const Subset& s) {
                           const auto parts = closed->parts(s);
                           return l2 ? closed->correlation.gradient_norm_l2(s, parts) : closed->correlation.gradient_norm_linf(s, parts);
                         }};
    return keyed_exposure(*form, ray_key, closed, tolerance, among, threads);
  }
  const auto r = ridge(query);
  auto series = std::make_shared<LazySeries>(r, norm, params_.k);
  std::function<double(const Subset&)> deviation_of;
  if (generic_form(query)) {
    deviation_of = [this, &query, series, u, factor = 0.5 * signal(), tolerance](const Subset& s) {
      double error = 0.0;
      const Vector estimate = series->get().vector(u, s, &error);
      const double bound = factor * (deviation_norm(estimate, Vector::Zero(estimate.size()), query.norm()) + error);
      return bound <= tolerance ? bound : deviation_norm(deviation(query, s), Vector::Zero(params_.d), query.norm());
    };
  } else {
    deviation_of = [this, &query](const Subset& s) { return deviation_norm(deviation(query, s), Vector::Zero(params_.d), query.norm()); };
  }
  const LiftedParityMemberDeviation member_deviation = bound_first(
      std::move(deviation_of),
      [series, u, factor = 0.5 * signal()](const Subset& s, double floor) { return factor * series->get().vector_bound(u, s, scaled_floor(floor, factor)); },
      std::shared_ptr<const ClosedForm>{}, tolerance);
  return pruned_exposure(*form, tolerance, among, threads, member_deviation, RhoBounds::of(r, norm, params_.k, 0.5 * signal(), true), &last_prune_);
}

Exposure LiftedParity::keyed_exposure(const sq::RidgeForm& form, const RayKey& ray_key, std::shared_ptr<const ClosedForm> closed,
                                      double tolerance, const MemberSet& among, int threads) {
  // deviation = factor * key(S), and key(S) is bounded through relu's or the step's spectrum at
  // |u| = 1 (key_bounds): nothing here depends on the query's own h, so nothing is integrated per query.
  const KeyBounds& keys = key_bounds(ray_key.kind);
  const double factor = ray_key.factor;
  const Vector u = form.W.col(0).normalized();
  RhoBounds bounds;
  bounds.simple = [&keys, factor](double rho) { return factor * keys.simple(rho); };
  bounds.sharp = [&keys, factor]() -> std::function<double(double)> { return [&keys, factor](double rho) { return factor * keys.sharp(rho); }; };
  bounds.threshold = [&keys, factor](bool sharp, double tolerance) { return keys.threshold(sharp, factor, tolerance); };  // GD asks one ray at one tau
  const auto deviation_of = bound_first([key = ray_key.key, factor](const Subset& s) { return factor * key(s); },
                                        [&keys, u, factor](const Subset& s, double floor) { return factor * keys.member_bound(u, s, scaled_floor(floor, factor)); },
                                        closed, tolerance);
  return pruned_exposure(form, tolerance, among, threads, deviation_of, bounds, &last_prune_, &ray_key);
}

std::shared_ptr<const LiftedParity::ClosedForm> LiftedParity::closed_form_at(const Vector& u) {
  // Every query on one ray (GD under D0's answers) shares it: its tables cost O(d) special functions,
  // and each member's parts are computed once for all the ray's queries.
  if (!closed_ || (closed_->correlation.w() - u).norm() > 1e-15) closed_ = std::make_shared<ClosedForm>(u);
  return closed_;
}

bool LiftedParity::ClosedForm::cached(const Subset& s) const {
  const std::shared_lock lock(mutex);
  return cache.contains(queries::subset_rank(s));
}

ParityCorrelation::Parts LiftedParity::ClosedForm::parts(const Subset& s) const {
  const std::uint64_t rank = queries::subset_rank(s);
  {
    const std::shared_lock lock(mutex);
    if (const auto it = cache.find(rank); it != cache.end()) return it->second;
  }
  const ParityCorrelation::Parts p = correlation.evaluate(s);
  const std::unique_lock lock(mutex);
  if (cache.size() < kMaxCached && cache.emplace(rank, p).second) filled.store(true, std::memory_order_relaxed);
  return p;
}

std::pair<double, double> LiftedParity::largest_correlations(const Vector& direction, const MemberSet& among, int threads) {
  sq::require(among.count() <= 10'000'000, "members to evaluate", among.count(), "must be at most 10^7");
  if (among.count() == 0) return {0.0, 0.0};
  const ParityCorrelation correlation(direction / direction.norm());
  if (among.is_all()) return heaviest_correlations(correlation, threads);
  const auto blocks = static_cast<std::int64_t>(std::min<std::uint64_t>(among.count(), 256));
  // Per block {max |R_S|, max |grad R_S|}; under mpirun each process takes a range of blocks.
  const auto largest = sq::distributed_map(blocks, threads, [&](std::int64_t b, int, std::vector<double>& out) {
    const std::uint64_t begin = among.count() * static_cast<std::uint64_t>(b) / static_cast<std::uint64_t>(blocks);
    const std::uint64_t end = among.count() * static_cast<std::uint64_t>(b + 1) / static_cast<std::uint64_t>(blocks);
    out.assign(2, 0.0);
    for (std::uint64_t i = begin; i < end; ++i) {
      const Subset s = member(among.rank(i));
      const auto parts = correlation.evaluate(s);
      out[0] = std::max(out[0], std::abs(parts.value));
      out[1] = std::max(out[1], correlation.gradient_norm_l2(s, parts));
    }
  });
  std::pair<double, double> result{0.0, 0.0};
  for (const auto& block : largest) result = {std::max(result.first, block[0]), std::max(result.second, block[1])};
  return result;
}

std::pair<double, double> LiftedParity::heaviest_correlations(const ParityCorrelation& correlation, int threads) const {
  // |R_S| and |grad R_S| are bounded by increasing functions of rho_S (key_bounds): evaluate the
  // ~1000 heaviest members, then only those above the rho where both bounds fall below the maxima
  // found, each after its per-member bounds. The maxima are those of the whole family.
  const int k = params_.k;
  const Vector& u = correlation.w();
  const Vector u2 = u.cwiseAbs2();
  const std::span<const double> weights{u2.data(), static_cast<std::size_t>(u2.size())};
  double first_cut = 0.0, above = 1.0;  // count_heavy_subsets(first_cut) >= 1024 (or first_cut = 0)
  for (int i = 0; i < 40; ++i) {
    const double mid = 0.5 * (first_cut + above);
    (count_heavy_subsets(weights, k, mid) >= 1024 ? first_cut : above) = mid;
  }
  std::pair<double, double> best{0.0, 0.0};
  const KeyBounds &value = key_bounds(0), &gradient = key_bounds(1);
  // Members with rho_S >= cut not scanned before, evaluated unless both their bounds are <= the maxima so far.
  std::vector<std::uint64_t> scanned;  // colex ranks, sorted
  auto scan = [&](double cut) {
    std::vector<int> flat;
    std::vector<std::uint64_t> ranks;
    for_each_heavy_subset(weights, k, cut, [&](const Subset& s, std::uint64_t rank) {
      if (std::binary_search(scanned.begin(), scanned.end(), rank)) return;
      ranks.push_back(rank);
      flat.insert(flat.end(), s.begin(), s.end());
    });
    const std::size_t n = ranks.size(), blocks = std::min<std::size_t>(n, 64);
    std::vector<std::pair<double, double>> found(blocks, best);  // per block: the result does not depend on threads
    sq::parallel_for(static_cast<std::int64_t>(blocks), n < 4096 ? 1 : threads, [&](std::int64_t b, int) {
      auto& [v, g] = found[static_cast<std::size_t>(b)];
      Subset s(static_cast<std::size_t>(k));
      for (std::size_t i = n * static_cast<std::size_t>(b) / blocks; i < n * static_cast<std::size_t>(b + 1) / blocks; ++i) {
        std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(i) * k, k, s.begin());
        if (value.member_bound(u, s, v) <= v && gradient.member_bound(u, s, g) <= g) continue;
        const auto parts = correlation.evaluate(s);
        v = std::max(v, std::abs(parts.value));
        g = std::max(g, correlation.gradient_norm_l2(s, parts));
      }
    });
    for (const auto& [v, g] : found) best = {std::max(best.first, v), std::max(best.second, g)};
    scanned.insert(scanned.end(), ranks.begin(), ranks.end());
    std::sort(scanned.begin(), scanned.end());
  };
  scan(first_cut);
  if (first_cut <= 0.0) return best;
  const auto rho_where = [](const KeyBounds& b, double level) {
    return threshold_rho([&b](double rho) { return std::min(b.simple(rho), b.sharp(rho)); }, level);
  };
  const double theta = std::min(rho_where(value, best.first), rho_where(gradient, best.second));
  const double cut = theta * (1.0 - 1e-12) - 1e-15;  // members below theta cannot exceed either maximum
  if (cut < first_cut) scan(cut);
  return best;
}

}  // namespace lower_bounds
