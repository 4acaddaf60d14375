#include "sqsim/lower_bounds/lifted_parity/lifted_parity_exposure.hpp"

#include "sqsim/lower_bounds/lifted_parity/detail/answered_types.hpp"

#include <atomic>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace sqsim::lower_bounds {

// R_S and its gradient at one direction, with each member's parts kept (up to 2^20 members).
struct LiftedParityExposure::ClosedForm {
  static constexpr std::size_t kMaxCached = std::size_t{1} << 20;
  explicit ClosedForm(const Vector& u) : correlation(u) {}
  ParityCorrelation correlation;
  mutable std::shared_mutex mutex;
  mutable std::unordered_map<std::uint64_t, ParityCorrelation::Parts> cache;
  mutable std::atomic<bool> filled{false};  // cache is not empty, readable without the lock

  bool cached(const Subset& s) const {
    const std::shared_lock lock(mutex);
    return cache.contains(queries::subset_rank(s));
  }
  ParityCorrelation::Parts parts(const Subset& s) const {
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
};

namespace {

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

// A member's deviation, with its O(k + 64) per-member bound asked first: what the bound rules out
// (returning the bound, <= tolerance) is never evaluated. Members whose closed-form parts an earlier
// query on the ray computed are evaluated at once (cheaper than the bound).
// bound(s, floor) may return any value in [the bound, floor] (see MemberDeviation).
template <class Bound, class Closed>
MemberDeviation bound_first(std::function<double(const Subset&)> inner, Bound bound, Closed closed, double tolerance) {
  // A query visits each member once, so only parts cached before it began can be found: a first
  // query on a ray skips the lookups.
  const bool any_cached = closed && closed->filled.load(std::memory_order_relaxed);
  return [inner = std::move(inner), bound = std::move(bound), closed = std::move(closed), tolerance, any_cached](const Subset& s,
                                                                                                                 double floor) {
    if (any_cached && closed->cached(s)) return inner(s);
    const double b = bound(s, std::min(floor, tolerance));
    return b <= tolerance ? b : inner(s);
  };
}

// floor / factor, rounded down far enough that factor times anything at or below it stays <= floor.
double scaled_floor(double floor, double factor) { return floor / factor * (1.0 - 1e-15); }

const sq::RidgeForm* one_direction_form(const sq::RidgeForm* form) { return form && form->W.cols() == 1 ? form : nullptr; }

}  // namespace

Exposure LiftedParityExposure::expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among,
                                      int threads) {
  if (label_only(query.ridge())) return {};  // every member answers as D0
  if (query.kind() == sq::QueryKind::vstat) return exhaustive_.expose(query, reference, tolerance, among, threads);
  if (among.count() == 0) return {};
  const Scan scan{tolerance, among, threads};
  if (const auto fast = LiftedParityScalarTypes::visit(query, [&](const auto& q) { return typed(q, query, scan); }); fast && *fast)
    return **fast;
  const sq::RidgeForm* form = one_direction_form(query.ridge());
  if (!form) return exhaustive_.expose(query, reference, tolerance, among, threads);  // refuses it
  std::function<double(const Subset&)> deviation_of = [this, &query](const Subset& s) { return std::abs(family_.deviation(query, s)); };
  return one_direction(query, *form, nullptr, std::move(deviation_of), scan);
}

Exposure LiftedParityExposure::expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among,
                                      int threads) {
  if (among.count() == 0 || label_only(query.ridge())) return {};  // no member moves
  const Scan scan{tolerance, among, threads};
  if (const auto fast = LiftedParityVectorTypes::visit(query, [&](const auto& q) { return typed(q, query, scan); }); fast && *fast)
    return **fast;
  const sq::RidgeForm* form = one_direction_form(query.ridge());
  if (!form) return exhaustive_.expose(query, reference, tolerance, among, threads);  // refuses it
  return one_direction(query, *form, scan);
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::Character& q, const sq::ScalarQuery&, const Scan& scan) {
  Exposure exposure;
  if (static_cast<int>(q.subset.size()) != family_.order()) return exposure;
  if (const auto index = scan.among.index_of(queries::subset_rank(q.subset))) {
    exposure.largest_deviation = 0.5 * family_.signal();
    if (exposure.largest_deviation > scan.tolerance) exposure.members.push_back(*index);
  }
  return exposure;
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::CharacterSum& q, const sq::ScalarQuery&, const Scan& scan) {
  // Every member in A moves by (1 - 2 eta)/N, the others not at all: whole index ranges, no scan.
  Exposure exposure;
  if (q.order != family_.order()) return exposure;
  const double deviation = family_.signal() / q.norm();
  const MemberSet& among = scan.among;
  for (const auto& [begin, end] : q.ranges) {
    const std::uint64_t first = among.is_all() ? begin : among.lower_index(begin), last = among.is_all() ? end : among.lower_index(end);
    if (first >= last) continue;
    exposure.largest_deviation = deviation;
    if (deviation > scan.tolerance) exposure.ranges.emplace_back(first, last);
  }
  return exposure;
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::ThresholdCorrelation& q, const sq::ScalarQuery&, const Scan&) {
  if (q.threshold == 0.0) return Exposure{};  // E[1{z > 0} chi_S] = 0 for even k: every member agrees with D0
  return std::nullopt;                        // a generic form: ParityRidge
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::SquareLoss& q, const sq::ScalarQuery& query, const Scan& scan) {
  const sq::RidgeForm* form = one_direction_form(query.ridge());
  if (!form) return std::nullopt;
  const auto closed = closed_form_at(form->W.col(0).normalized());
  const RayKey key{0, family_.signal() * form->W.col(0).norm() / q.scale,
                   [closed](const Subset& s) { return std::abs(closed->parts(s).value); }};
  return keyed(*form, key, closed, scan);
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::ReluCorrelation& q, const sq::ScalarQuery& query, const Scan& scan) {
  const sq::RidgeForm* form = one_direction_form(query.ridge());
  if (!form) return std::nullopt;
  const auto closed = closed_form_at(form->W.col(0).normalized());
  const RayKey key{0, 0.5 * family_.signal() * form->W.col(0).norm() / q.scale,
                   [closed](const Subset& s) { return std::abs(closed->parts(s).value); }};
  return keyed(*form, key, closed, scan);
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::HalfGradientCoordinate& q, const sq::ScalarQuery& query,
                                                    const Scan& scan) {
  const sq::RidgeForm* form = one_direction_form(query.ridge());
  if (!form) return std::nullopt;
  const Vector u = form->W.col(0).normalized();
  const auto closed = closed_form_at(u);
  const int i = static_cast<int>(q.coordinate);
  auto deviation_of = [closed, u, i, factor = 0.5 * family_.signal() / q.scale](const Subset& s) {
    const auto parts = closed->parts(s);
    double partial = parts.off_coefficient * u[i];
    for (std::size_t j = 0; j < s.size(); ++j)
      if (s[j] == i) partial = parts.on_subset[j];
    return factor * std::abs(partial);
  };
  return one_direction(query, *form, closed, std::move(deviation_of), scan);
}

std::optional<Exposure> LiftedParityExposure::typed(const queries::HalfGradient& q, const sq::VectorQuery& query, const Scan& scan) {
  const sq::RidgeForm* form = one_direction_form(query.ridge());
  if (!form) return std::nullopt;
  const auto closed = closed_form_at(form->W.col(0).normalized());
  const bool l2 = query.norm() == sq::VectorNorm::l2;
  const RayKey key{l2 ? 1 : 2, 0.5 * family_.signal() / q.scale, [closed, l2](const Subset& s) {
                     const auto parts = closed->parts(s);
                     return l2 ? closed->correlation.gradient_norm_l2(s, parts) : closed->correlation.gradient_norm_linf(s, parts);
                   }};
  return keyed(*form, key, closed, scan);
}

// E[chi_S x] = 0 and the label's correlations with chi_S(sign x) x vanish for k >= 2: no member moves.
std::optional<Exposure> LiftedParityExposure::typed(const queries::SurrogateGradient&, const sq::VectorQuery&, const Scan&) {
  return Exposure{};
}
std::optional<Exposure> LiftedParityExposure::typed(const queries::LabelCorrelation&, const sq::VectorQuery&, const Scan&) {
  return Exposure{};
}
std::optional<Exposure> LiftedParityExposure::typed(const queries::ThresholdedLabelCorrelation&, const sq::VectorQuery&, const Scan&) {
  return Exposure{};
}

Exposure LiftedParityExposure::one_direction(const sq::ScalarQuery& query, const sq::RidgeForm& form,
                                             std::shared_ptr<const ClosedForm> closed, std::function<double(const Subset&)> deviation_of,
                                             const Scan& scan) {
  const Vector w = form.W.col(0);
  const double norm = w.norm(), factor = 0.5 * family_.signal();
  const Vector u = w / norm;
  const auto ridge = family_.ridge(query);
  const int k = family_.order();
  auto series = std::make_shared<LazySeries>(ridge, norm, k);
  const auto& c = form.linear_factor;
  if (LiftedParity::generic_form(query)) {
    // The candidates the per-member bound lets through are mostly ruled out by the Hermite series and
    // its rigorous error (returning that bound, <= tolerance); ParityRidge evaluates the rest.
    deviation_of = [exact = std::move(deviation_of), series, u, c, factor, tolerance = scan.tolerance](const Subset& s) {
      const ParityRidge::Estimate e = c ? series->get().linear(u, s, *c) : series->get().scalar(u, s);
      const double bound = factor * (std::abs(e.value) + e.error);
      return bound <= tolerance ? bound : exact(s);
    };
  }
  const MemberDeviation member_deviation = bound_first(
      std::move(deviation_of),
      [series, u, c, factor](const Subset& s, double floor) {
        if (!c) return factor * series->get().scalar_bound(u, s);
        const double f = factor * c->norm();
        return f * series->get().vector_bound(u, s, scaled_floor(floor, f));
      },
      closed, scan.tolerance);
  const RhoBounds bounds = RhoBounds::of(ridge, norm, k, factor * (c ? c->norm() : 1.0), c.has_value());
  return scan_.run(w, scan.tolerance, scan.among, scan.threads, member_deviation, bounds);
}

Exposure LiftedParityExposure::one_direction(const sq::VectorQuery& query, const sq::RidgeForm& form, const Scan& scan) {
  const Vector w = form.W.col(0);
  const double norm = w.norm(), factor = 0.5 * family_.signal();
  const Vector u = w / norm;
  const auto ridge = family_.ridge(query);
  auto series = std::make_shared<LazySeries>(ridge, norm, family_.order());
  const Vector zero = Vector::Zero(w.size());
  std::function<double(const Subset&)> deviation_of = [this, &query, zero](const Subset& s) {
    return deviation_norm(family_.deviation(query, s), zero, query.norm());
  };
  if (LiftedParity::generic_form(query)) {
    deviation_of = [exact = std::move(deviation_of), &query, series, u, zero, factor, tolerance = scan.tolerance](const Subset& s) {
      double error = 0.0;
      const Vector estimate = series->get().vector(u, s, &error);
      const double bound = factor * (deviation_norm(estimate, zero, query.norm()) + error);
      return bound <= tolerance ? bound : exact(s);
    };
  }
  const MemberDeviation member_deviation = bound_first(
      std::move(deviation_of),
      [series, u, factor](const Subset& s, double floor) { return factor * series->get().vector_bound(u, s, scaled_floor(floor, factor)); },
      std::shared_ptr<const ClosedForm>{}, scan.tolerance);
  return scan_.run(w, scan.tolerance, scan.among, scan.threads, member_deviation,
                   RhoBounds::of(ridge, norm, family_.order(), factor, true));
}

Exposure LiftedParityExposure::keyed(const sq::RidgeForm& form, const RayKey& ray_key, std::shared_ptr<const ClosedForm> closed,
                                     const Scan& scan) {
  // deviation = factor * key(S), and key(S) is bounded through relu's or the step's spectrum at
  // |u| = 1 (key_bounds): nothing here depends on the query's own h, so nothing is integrated per query.
  const KeyBounds& keys = family_.key_bounds(ray_key.kind);
  const double factor = ray_key.factor;
  const Vector u = form.W.col(0).normalized();
  RhoBounds bounds;
  bounds.simple = [&keys, factor](double rho) { return factor * keys.simple(rho); };
  bounds.sharp = [&keys, factor]() -> std::function<double(double)> {
    return [&keys, factor](double rho) { return factor * keys.sharp(rho); };
  };
  bounds.threshold = [&keys, factor](bool sharp, double tolerance) {
    return keys.threshold(sharp, factor, tolerance);
  };  // GD asks one ray at one tau
  const auto deviation_of = bound_first(
      [key = ray_key.key, factor](const Subset& s) { return factor * key(s); },
      [&keys, u, factor](const Subset& s, double floor) { return factor * keys.member_bound(u, s, scaled_floor(floor, factor)); }, closed,
      scan.tolerance);
  return scan_.run(form.W.col(0), scan.tolerance, scan.among, scan.threads, deviation_of, bounds, &ray_key);
}

std::shared_ptr<const LiftedParityExposure::ClosedForm> LiftedParityExposure::closed_form_at(const Vector& u) {
  // Every query on one ray (GD under D0's answers) shares it: its tables cost O(d) special functions,
  // and each member's parts are computed once for all the ray's queries.
  if (!closed_ || (closed_->correlation.w() - u).norm() > 1e-15) closed_ = std::make_shared<ClosedForm>(u);
  return closed_;
}

}  // namespace sqsim::lower_bounds