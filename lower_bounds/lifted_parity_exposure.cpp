// The lifted parity's fast exposure bookkeeping, exactly equivalent to the exhaustive scan
// (tested): queries on the ray of a unit direction u (loss, ReLU correlation, gradients) move
// member S by a multiple of R_S(u) or of grad R_S(u) (R_S is 1-homogeneous, its gradient
// 0-homogeneous), so one table of per-member parts at u, sorted by size, serves every query on the
// ray and a query visits only the members it exposes. A character moves one member; a character
// sum the members in its ranges; the other typed queries move no member at all.
#include "lower_bounds/lifted_parity.hpp"

#include "queries/parity.hpp"
#include "queries/relu_regression.hpp"
#include "sq/errors.hpp"
#include "sq/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lower_bounds {

struct LiftedParity::DirectionTable {
  Vector direction;
  MemberSet among;
  std::uint64_t count = 0;
  int k = 0;
  std::vector<double> parts;  // per member: R_S(u), C_S(u), dR/du_j for j in S
  std::vector<double> abs_value, gradient_l2, gradient_linf;
  std::vector<std::uint64_t> by_value, by_l2, by_linf;  // member indices by decreasing size (built on first use)

  const double* at(std::uint64_t i) const { return parts.data() + i * (static_cast<std::size_t>(k) + 2); }
  const std::vector<std::uint64_t>& order(std::vector<std::uint64_t>& cache, const std::vector<double>& values) {
    if (cache.size() != count) {
      cache.resize(count);
      std::iota(cache.begin(), cache.end(), std::uint64_t{0});
      std::sort(cache.begin(), cache.end(), [&](std::uint64_t a, std::uint64_t b) { return values[a] > values[b] || (values[a] == values[b] && a < b); });
    }
    return cache;
  }
};

LiftedParity::DirectionTable& LiftedParity::table(const Vector& direction, const MemberSet& among, int threads) {
  if (table_ && (direction - table_->direction).norm() <= 1e-13 && table_->among == among)
    return *table_;
  auto t = std::make_shared<DirectionTable>();
  t->direction = direction;
  t->among = among;
  t->count = among.count();
  t->k = params_.k;
  const std::size_t stride = static_cast<std::size_t>(params_.k) + 2;
  t->parts.assign(t->count * stride, 0.0);
  t->abs_value.assign(t->count, 0.0);
  t->gradient_l2.assign(t->count, 0.0);
  t->gradient_linf.assign(t->count, 0.0);
  const ParityCorrelation correlation(direction);
  const auto blocks = static_cast<std::int64_t>(std::min<std::uint64_t>(t->count, 256));
  sq::parallel_for(blocks, threads, [&](std::int64_t b, int) {
    const std::uint64_t begin = t->count * static_cast<std::uint64_t>(b) / static_cast<std::uint64_t>(blocks);
    const std::uint64_t end = t->count * static_cast<std::uint64_t>(b + 1) / static_cast<std::uint64_t>(blocks);
    if (begin >= end) return;
    Subset s = member(among.rank(begin));
    for (std::uint64_t i = begin; i < end; ++i) {
      if (!among.is_all()) s = member(among.rank(i));
      const auto parts = correlation.evaluate(s);
      double* slot = t->parts.data() + i * stride;
      slot[0] = parts.value;
      slot[1] = parts.off_coefficient;
      std::copy(parts.on_subset.begin(), parts.on_subset.begin() + params_.k, slot + 2);
      t->abs_value[i] = std::abs(parts.value);
      t->gradient_l2[i] = correlation.gradient_norm_l2(s, parts);
      t->gradient_linf[i] = correlation.gradient_norm_linf(s, parts);
      if (among.is_all() && i + 1 < end) queries::next_subset(s, params_.d);
    }
  });
  table_ = std::move(t);
  return *table_;
}

namespace {

// Members along `order` whose value times factor exceeds the tolerance: only the exposed prefix is visited.
Exposure sorted_prefix(const std::vector<std::uint64_t>& order, const std::vector<double>& values, double factor, double tolerance) {
  Exposure exposure;
  if (!order.empty()) exposure.largest_deviation = values[order.front()] * factor;
  for (std::uint64_t i : order) {
    if (!(values[i] * factor > tolerance)) break;
    exposure.members.push_back(i);
  }
  std::sort(exposure.members.begin(), exposure.members.end());
  return exposure;
}

}  // namespace

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
  if (query.as<queries::ThresholdCorrelation>()) {
    member_answer(query, member(among.rank(0)));  // refuses the thresholds it cannot answer
    return exposure;                              // every member agrees with D0
  }
  const double signal_half = 0.5 * signal();
  if (const auto* q = query.as<queries::SquareLoss>()) {
    const double r = q->w.norm();
    if (r == 0.0) return exposure;
    DirectionTable& t = table(q->w / r, among, threads);
    return sorted_prefix(t.order(t.by_value, t.abs_value), t.abs_value, signal() * r / q->scale, tolerance);
  }
  if (const auto* q = query.as<queries::ReluCorrelation>()) {
    const double r = q->w.norm();
    if (r == 0.0) return exposure;
    DirectionTable& t = table(q->w / r, among, threads);
    return sorted_prefix(t.order(t.by_value, t.abs_value), t.abs_value, signal_half * r / q->scale, tolerance);
  }
  if (const auto* q = query.as<queries::HalfGradientCoordinate>()) {
    const double r = q->w.norm();
    if (r == 0.0) return exposure;
    const Vector u = q->w / r;
    const DirectionTable& t = table(u, among, threads);
    const int i = static_cast<int>(q->coordinate);
    Subset s = member(among.rank(0));
    for (std::uint64_t m = 0; m < t.count; ++m) {
      if (!among.is_all()) s = member(among.rank(m));
      const double* p = t.at(m);
      double partial = p[1] * u[i];
      for (std::size_t j = 0; j < s.size(); ++j)
        if (s[j] == i) partial = p[2 + j];
      const double deviation = signal_half * std::abs(partial) / q->scale;
      exposure.largest_deviation = std::max(exposure.largest_deviation, deviation);
      if (deviation > tolerance) exposure.members.push_back(m);
      if (among.is_all() && m + 1 < t.count) queries::next_subset(s, params_.d);
    }
    return exposure;
  }
  return exhaustive_exposure(query, reference, tolerance, among, threads);
}

Exposure LiftedParity::expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among,
                              int threads) {
  if (among.count() == 0 || label_only(query.ridge()) || query.as<queries::SurrogateGradient>() || query.as<queries::LabelCorrelation>() ||
      query.as<queries::ThresholdedLabelCorrelation>())
    return {};  // no member moves
  if (const auto* q = query.as<queries::HalfGradient>()) {
    const double r = q->w.norm();
    if (r == 0.0) return {};
    DirectionTable& t = table(q->w / r, among, threads);
    const bool l2 = query.norm() == sq::VectorNorm::l2;
    auto& values = l2 ? t.gradient_l2 : t.gradient_linf;
    return sorted_prefix(t.order(l2 ? t.by_l2 : t.by_linf, values), values, 0.5 * signal() / q->scale, tolerance);
  }
  return exhaustive_exposure(query, reference, tolerance, among, threads);
}

std::pair<double, double> LiftedParity::largest_correlations(const Vector& direction, const MemberSet& among, int threads) {
  sq::require(among.count() <= 10'000'000, "members to tabulate", among.count(), "must be at most 10^7");
  const DirectionTable& t = table(direction / direction.norm(), among, threads);
  if (t.count == 0) return {0.0, 0.0};
  return {*std::max_element(t.abs_value.begin(), t.abs_value.end()), *std::max_element(t.gradient_l2.begin(), t.gradient_l2.end())};
}

}  // namespace lower_bounds
