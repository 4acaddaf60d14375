#include "lower_bounds/parity_oracles.hpp"

#include "sq/errors.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

namespace lower_bounds {
namespace {

// Next k-subset in colexicographic order (the order of subset_rank).
void next_subset(Subset& s, int d) {
  const int k = static_cast<int>(s.size());
  for (int i = 0; i < k; ++i) {
    const int limit = i + 1 < k ? s[static_cast<std::size_t>(i) + 1] : d;
    if (s[static_cast<std::size_t>(i)] + 1 < limit) {
      ++s[static_cast<std::size_t>(i)];
      for (int j = 0; j < i; ++j) s[static_cast<std::size_t>(j)] = j;
      return;
    }
  }
}

int thread_count(int requested) {
  return requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Runs body(begin, end, thread) over [0, n) split into contiguous blocks.
template <class Body>
void parallel_blocks(std::uint64_t n, int threads, Body&& body) {
  const auto t = static_cast<std::uint64_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(threads), std::max<std::uint64_t>(1, n)));
  std::vector<std::jthread> pool;
  for (std::uint64_t i = 1; i < t; ++i) pool.emplace_back([&, i] { body(n * i / t, n * (i + 1) / t, static_cast<int>(i)); });
  body(0, n / t, 0);
}

}  // namespace

ParityOracle::ParityOracle(const LiftedParity& family, Subset member, oracles::Perturbation perturbation, std::uint64_t seed)
    : family_(family), member_(std::move(member)), perturber_(perturbation, seed) {
  std::sort(member_.begin(), member_.end());
  sq::require(static_cast<int>(member_.size()) == family_.params().k, "member size", member_.size(),
              "must equal k = " + std::to_string(family_.params().k));
}

std::string ParityOracle::name() const { return "parity-exact/" + std::string(oracles::to_string(perturber_.policy())); }

sq::ScalarAnswer ParityOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  const ParityQuery q = recognize(query, dimension());
  check_bound(q, query.name, query.kind);
  const double reference = q.reference_value();
  const double truth = reference + member_deviation(q, family_, member_);
  return {perturber_.apply(truth, reference, tolerance, query.kind), truth};
}

sq::VectorAnswer ParityOracle::answer(const sq::VectorQuery& query, double tolerance) {
  const ParityQuery q = recognize(query, dimension());
  check_bound(q, query.name, query.kind);
  const Vector reference = q.reference_vector();
  const Vector truth = reference + member_deviation_vector(q, family_, member_);
  return {perturber_.apply(truth, reference, tolerance, query.norm), truth};
}

void AdversaryParams::validate() const {
  sq::require(max_enumerated >= 1, "max_enumerated", max_enumerated, "must be at least 1");
  sq::require(subfamily_size >= 1, "subfamily_size", subfamily_size, "must be at least 1");
  sq::require(threads >= 0, "threads", threads, "must be >= 0");
}

AdversarialOracle::AdversarialOracle(const LiftedParity& family, AdversaryParams params) : family_(family), params_(params) {
  params_.validate();
  const std::uint64_t size = family_.family_size();
  enumerated_all_ = size <= params_.max_enumerated;
  if (enumerated_all_) {
    tracked_ = size;
  } else {
    subfamily_ = random_subsets(family_.params().d, family_.params().k, std::min(params_.subfamily_size, size), params_.seed);
    tracked_ = subfamily_.size();
  }
  exposed_.assign(tracked_, 0);
}

Subset AdversarialOracle::member(std::uint64_t index) const {
  return enumerated_all_ ? subset_unrank(index, family_.params().k) : subfamily_[index];
}

std::optional<std::uint64_t> AdversarialOracle::index_of(const Subset& sorted) const {
  if (static_cast<int>(sorted.size()) != family_.params().k) return std::nullopt;
  const std::uint64_t rank = subset_rank(sorted);
  if (enumerated_all_) return rank;
  // The sub-family is sorted by rank.
  const auto it = std::lower_bound(subfamily_.begin(), subfamily_.end(), rank,
                                   [](const Subset& s, std::uint64_t r) { return subset_rank(s) < r; });
  if (it == subfamily_.end() || *it != sorted) return std::nullopt;
  return static_cast<std::uint64_t>(it - subfamily_.begin());
}

std::vector<Subset> AdversarialOracle::consistent(std::uint64_t limit) const {
  std::vector<Subset> result;
  for (std::uint64_t i = 0; i < tracked_ && result.size() < limit; ++i)
    if (!exposed_[i]) result.push_back(member(i));
  return result;
}

void AdversarialOracle::expose(QueryRecord& record, const std::function<double(std::uint64_t, const Subset&)>& deviation,
                               const std::function<bool(double)>& exceeds) {
  const int threads = thread_count(params_.threads);
  std::vector<std::uint64_t> exposed(static_cast<std::size_t>(threads), 0), fresh(static_cast<std::size_t>(threads), 0);
  std::vector<double> largest(static_cast<std::size_t>(threads), 0.0);
  parallel_blocks(tracked_, threads, [&](std::uint64_t begin, std::uint64_t end, int t) {
    if (begin >= end) return;
    Subset s = member(begin);
    for (std::uint64_t i = begin; i < end; ++i) {
      if (!enumerated_all_) s = subfamily_[i];
      const double dev = deviation(i, s);
      largest[static_cast<std::size_t>(t)] = std::max(largest[static_cast<std::size_t>(t)], dev);
      if (exceeds(dev)) {
        ++exposed[static_cast<std::size_t>(t)];
        if (!exposed_[i]) {
          exposed_[i] = 1;
          ++fresh[static_cast<std::size_t>(t)];
        }
      }
      if (enumerated_all_ && i + 1 < end) next_subset(s, family_.params().d);
    }
  });
  for (int t = 0; t < threads; ++t) {
    record.exposed += exposed[static_cast<std::size_t>(t)];
    record.newly_exposed += fresh[static_cast<std::size_t>(t)];
    record.largest_deviation = std::max(record.largest_deviation, largest[static_cast<std::size_t>(t)]);
  }
  exposed_count_ += record.newly_exposed;
}

void AdversarialOracle::ensure_direction(const Vector& direction) {
  if (cached_direction_ && (direction - *cached_direction_).norm() <= 1e-13) return;
  const int k = family_.params().k;
  const std::size_t stride = static_cast<std::size_t>(k) + 2;
  cache_.assign(tracked_ * stride, 0.0);
  abs_value_.assign(tracked_, 0.0);
  gradient_l2_.assign(tracked_, 0.0);
  gradient_linf_.assign(tracked_, 0.0);
  const ParityCorrelation correlation(direction);
  parallel_blocks(tracked_, thread_count(params_.threads), [&](std::uint64_t begin, std::uint64_t end, int) {
    if (begin >= end) return;
    Subset s = member(begin);
    for (std::uint64_t i = begin; i < end; ++i) {
      if (!enumerated_all_) s = subfamily_[i];
      const auto parts = correlation.evaluate(s);
      double* slot = cache_.data() + i * stride;
      slot[0] = parts.value;
      slot[1] = parts.off_coefficient;
      std::copy(parts.on_subset.begin(), parts.on_subset.begin() + k, slot + 2);
      abs_value_[i] = std::abs(parts.value);
      gradient_l2_[i] = correlation.gradient_norm_l2(s, parts);
      gradient_linf_[i] = correlation.gradient_norm_linf(s, parts);
      if (enumerated_all_ && i + 1 < end) next_subset(s, family_.params().d);
    }
  });
  auto descending = [&](const std::vector<double>& values, std::vector<std::uint64_t>& order) {
    order.resize(tracked_);
    std::iota(order.begin(), order.end(), std::uint64_t{0});
    std::sort(order.begin(), order.end(), [&](std::uint64_t a, std::uint64_t b) { return values[a] > values[b] || (values[a] == values[b] && a < b); });
  };
  descending(abs_value_, by_value_);
  descending(gradient_l2_, by_gradient_l2_);
  descending(gradient_linf_, by_gradient_linf_);
  cached_direction_ = direction;
}

void AdversarialOracle::expose_sorted(QueryRecord& record, const std::vector<std::uint64_t>& order,
                                      const std::vector<double>& values, double factor, double tolerance,
                                      const std::function<bool(double)>& exceeds) {
  if (!order.empty()) record.largest_deviation = values[order.front()] * factor;
  for (std::uint64_t i : order) {
    const double dev = values[i] * factor;
    if (!(dev > tolerance)) break;  // every allowed error is at least the tolerance
    if (!exceeds(dev)) continue;
    ++record.exposed;
    if (!exposed_[i]) {
      exposed_[i] = 1;
      ++record.newly_exposed;
      ++exposed_count_;
    }
  }
}

std::pair<double, double> AdversarialOracle::largest_correlations(const Vector& direction) {
  ensure_direction(direction / direction.norm());
  if (tracked_ == 0) return {0.0, 0.0};
  return {abs_value_[by_value_.front()], gradient_l2_[by_gradient_l2_.front()]};
}

const double* AdversarialOracle::cached_parts(std::uint64_t index) const {
  return cache_.data() + index * (static_cast<std::size_t>(family_.params().k) + 2);
}

sq::ScalarAnswer AdversarialOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  const ParityQuery q = recognize(query, dimension());
  check_bound(q, query.name, query.kind);
  const double reference = q.reference_value();
  QueryRecord record{query.name, tolerance, 0, 0, 0.0, q, query.kind, sq::VectorNorm::l2};
  auto exceeds = [&](double dev) { return dev > oracles::allowed_error(query.kind, reference + dev, tolerance); };
  const double signal = family_.signal();
  if (q.shape == ParityQuery::Shape::parity_character) {
    // Only member T itself is moved (by (1 - 2 eta)/2): look it up instead of scanning the family.
    if (const auto index = index_of(q.subset)) {
      const double dev = member_deviation(q, family_, q.subset);
      record.largest_deviation = dev;
      if (exceeds(dev)) {
        record.exposed = 1;
        if (!exposed_[*index]) {
          exposed_[*index] = 1;
          record.newly_exposed = 1;
          ++exposed_count_;
        }
      }
    }
  } else if (q.w.norm() > 0.0) {
    const double r = q.w.norm();
    const Vector direction = q.w / r;
    ensure_direction(direction);
    if (q.shape == ParityQuery::Shape::loss) {
      expose_sorted(record, by_value_, abs_value_, signal * r / q.scale, tolerance, exceeds);
    } else {
      const Vector& c = *q.factor;
      const double c_dot_w = c.dot(direction);
      expose(record, [&](std::uint64_t i, const Subset& s) {
        const double* p = cached_parts(i);
        double along = p[1] * c_dot_w;  // off-S part C_S (c.w - sum_S c_j w_j) plus the on-S part
        for (std::size_t j = 0; j < s.size(); ++j) along += c[s[j]] * (p[2 + j] - p[1] * direction[s[j]]);
        return std::abs(0.5 * signal * along / q.scale);
      }, exceeds);
    }
  } else {
    records_.push_back(record);  // at w = 0 every member agrees with D0 (E[chi_S x] = 0 for k >= 2)
    return {reference, std::nullopt};
  }
  records_.push_back(std::move(record));
  return {reference, std::nullopt};
}

sq::VectorAnswer AdversarialOracle::answer(const sq::VectorQuery& query, double tolerance) {
  const ParityQuery q = recognize(query, dimension());
  check_bound(q, query.name, query.kind);
  QueryRecord record{query.name, tolerance, 0, 0, 0.0, q, query.kind, query.norm};
  const double r = q.w.norm();
  if (r > 0.0) {
    const Vector direction = q.w / r;
    ensure_direction(direction);
    const bool l2 = query.norm == sq::VectorNorm::l2;
    expose_sorted(record, l2 ? by_gradient_l2_ : by_gradient_linf_, l2 ? gradient_l2_ : gradient_linf_,
                  0.5 * family_.signal() / q.scale, tolerance, [&](double dev) { return dev > tolerance; });
  }
  records_.push_back(std::move(record));
  return {q.reference_vector(), std::nullopt};
}

}  // namespace lower_bounds
