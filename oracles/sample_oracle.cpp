#include "sqsim/oracles/sample_oracle.hpp"

#include "sqsim/oracles/sampling.hpp"
#include "sqsim/sq/distributed.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"
#include "sqsim/sq/random.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

namespace sqsim::oracles {
namespace {

constexpr std::int64_t kChunk = 4096;  // samples per work unit; fixes the random streams, not the threads

double ceil_count(double x) { return std::ceil(x); }
double odd_at_least(double x) {
  const double k = std::max(1.0, std::ceil(x));
  return std::fmod(k, 2.0) == 1.0 ? k : k + 1.0;
}

SamplePlan cheaper(SamplePlan a, SamplePlan b) { return a.total() <= b.total() ? a : b; }

}  // namespace

void SampleOracleParams::validate() const {
  sq::require(std::isfinite(failure_probability) && failure_probability > 0.0 && failure_probability < 1.0, "delta", failure_probability,
              "must lie in (0, 1)");
  sq::require(threads >= 0 && threads <= sq::kMaxThreads, "threads", threads, "must lie in [0, 1024] (0 = all hardware threads)");
  sq::require(std::isfinite(max_samples) && max_samples >= 1.0 && max_samples <= 1e12, "max-samples", max_samples, "must lie in [1, 1e12]");
}

void SampleOracle::check_plan(const SamplePlan& plan, const std::string& label, double tolerance) const {
  if (pool_ || plan.total() <= params_.max_samples) return;
  throw sq::QueryRefused(label + " at tau = " + sq::format_number(tolerance) +
                         ", delta = " + sq::format_number(params_.failure_probability) + " needs " + sq::format_number(plan.total()) +
                         " fresh samples (" + plan.bound + "), above the cap of " + sq::format_number(params_.max_samples) +
                         " per query (--max-samples): raise tau or delta");
}

SamplePlan plan_samples(sq::QueryKind kind, double tolerance, double delta) {
  switch (kind) {
    case sq::QueryKind::stat:
      return {ceil_count(2.0 * std::log(2.0 / delta) / (tolerance * tolerance)), 1, "Hoeffding, q in [-1, 1]"};
    case sq::QueryKind::vstat:
      return {ceil_count(8.0 * std::log(2.0 / delta) / tolerance), 1, "Bernstein, q in [0, 1], t = 1/tau"};
    case sq::QueryKind::l2:
    case sq::QueryKind::correlational:
      return cheaper({ceil_count(1.0 / (delta * tolerance * tolerance)), 1, "Chebyshev, E q^2 <= 1"},
                     {ceil_count(4.0 / (tolerance * tolerance)), odd_at_least(8.0 * std::log(1.0 / delta)), "median of means, E q^2 <= 1"});
  }
  return {};
}

SamplePlan plan_samples(Eigen::Index dimension, sq::VectorNorm norm, double tolerance, double delta) {
  const double m = static_cast<double>(dimension);
  const SamplePlan chebyshev{ceil_count(m / (delta * tolerance * tolerance)), 1, "Chebyshev on the vector, E q_i^2 <= 1"};
  const double per_coordinate = norm == sq::VectorNorm::l2 ? tolerance / std::sqrt(m) : tolerance;
  const SamplePlan median{ceil_count(4.0 / (per_coordinate * per_coordinate)), odd_at_least(8.0 * std::log(m / delta)),
                          "coordinate-wise median of means, union bound"};
  return cheaper(chebyshev, median);
}

SampleOracle::SampleOracle(ReluWorld world, SampleOracleParams params) : world_(std::move(world)), params_(params) { params_.validate(); }

SampleOracle::SampleOracle(Eigen::Index dimension, Sampler sampler, std::string source, SampleOracleParams params)
    : sampler_(std::move(sampler)), sampler_dimension_(dimension), source_(std::move(source)), params_(params) {
  params_.validate();
  sq::require(dimension >= 1, "dimension", dimension, "must be at least 1");
  sq::require(static_cast<bool>(sampler_), "sampler", "(empty)", "must be a function");
}

SampleOracle::SampleOracle(std::shared_ptr<const Dataset> pool, SampleOracleParams params) : pool_(std::move(pool)), params_(params) {
  params_.validate();
  sq::require(pool_ != nullptr, "data", "(none)", "must be a data set");
  sq::require(pool_->size() >= 1, "data size", pool_->size(), "must be at least 1 sample");
}

SampleOracle::SampleOracle(Dataset pool, SampleOracleParams params)
    : SampleOracle(std::make_shared<const Dataset>(std::move(pool)), params) {}

Eigen::Index SampleOracle::dimension() const { return pool_ ? pool_->dimension() : world_ ? world_->dimension() : sampler_dimension_; }

std::string SampleOracle::name() const { return pool_ ? "sample/pool" : sampler_ ? "sample/" + source_ : "sample/fresh"; }

Vector SampleOracle::estimate(Eigen::Index m, const SamplePlan& plan, const Accumulate& accumulate) {
  const std::int64_t per_group = pool_ ? pool_->size() : static_cast<std::int64_t>(plan.samples_per_group);
  const std::int64_t groups = pool_ ? 1 : static_cast<std::int64_t>(plan.groups);
  const std::int64_t chunks_per_group = (per_group + kChunk - 1) / kChunk;
  const std::int64_t chunks = chunks_per_group * groups;
  const std::uint64_t query_seed = sq::derive_seed(params_.seed, queries_answered_++);
  // One block buffer per worker; chunk c's stream depends only on c, so the sums depend neither on the
  // threads nor on the processes (under mpirun each takes a range of chunks; all receive every sum).
  const int threads = sq::resolve_threads(params_.threads);
  std::vector<Matrix> x_blocks(static_cast<std::size_t>(threads));
  std::vector<Vector> y_blocks(static_cast<std::size_t>(threads));
  std::atomic<std::int64_t> drawn{0};
  const double planned = static_cast<double>(per_group * groups);
  const auto chunk_sums = sq::distributed_map(chunks, threads, [&](std::int64_t c, int worker, std::vector<double>& out) {
    const std::int64_t begin = (c % chunks_per_group) * kChunk;
    const std::int64_t n = std::min(per_group, begin + kChunk) - begin;
    out.assign(static_cast<std::size_t>(m), 0.0);
    Eigen::Map<Vector> sum(out.data(), m);
    if (pool_) {
      accumulate(pool_->X.middleCols(begin, n), pool_->y.segment(begin, n), sum);  // no copy: memory speed
      return;
    }
    Matrix& X = x_blocks[static_cast<std::size_t>(worker)];
    Vector& y = y_blocks[static_cast<std::size_t>(worker)];
    X.resize(dimension(), n);
    y.resize(n);
    sq::Engine engine(sq::derive_seed(query_seed, static_cast<std::uint64_t>(c)));
    if (world_) {
      draw_block(*world_, engine, X, y);
    } else {
      for (Eigen::Index i = 0; i < n; ++i) y[i] = sampler_(engine, X.col(i));
    }
    accumulate(X, y, sum);
    if (params_.progress) {
      const std::int64_t so_far = drawn.fetch_add(n, std::memory_order_relaxed) + n;
      if (worker == 0) params_.progress(static_cast<double>(so_far), planned);
    }
  });
  samples_used_ += per_group * groups;

  Matrix means(m, groups);
  for (std::int64_t g = 0; g < groups; ++g) {
    Vector total = Vector::Zero(m);
    for (std::int64_t c = g * chunks_per_group; c < (g + 1) * chunks_per_group; ++c)
      total += Eigen::Map<const Vector>(chunk_sums[static_cast<std::size_t>(c)].data(), m);
    means.col(g) = total / static_cast<double>(per_group);
  }
  if (groups == 1) return means.col(0);
  Vector median(m);
  std::vector<double> row(static_cast<std::size_t>(groups));
  for (Eigen::Index i = 0; i < m; ++i) {
    for (std::int64_t g = 0; g < groups; ++g) row[static_cast<std::size_t>(g)] = means(i, g);
    std::nth_element(row.begin(), row.begin() + groups / 2, row.end());
    median[i] = row[static_cast<std::size_t>(groups / 2)];
  }
  return median;
}

void SampleOracle::check_second_moment(Eigen::Index m, const std::string& label, const Accumulate& accumulate) {
  // A pilot of one chunk, from its own stream (the answers' streams are untouched). Under D0 x and y are
  // independent: sample j's x is paired with sample j+1's label, two independent draws of D.
  const Eigen::Index n = pool_ ? std::min<Eigen::Index>(kChunk, pool_->size()) : kChunk;
  Matrix X(dimension(), n);
  Vector y(n);
  if (pool_) {
    X = pool_->X.leftCols(n);
    y = pool_->y.head(n);
  } else {
    sq::Engine engine(sq::derive_seed(sq::derive_seed(params_.seed, 0x5ec0d5ULL), queries_answered_));
    if (world_) {
      draw_block(*world_, engine, X, y);
    } else {
      for (Eigen::Index i = 0; i < n; ++i) y[i] = sampler_(engine, X.col(i));
    }
    samples_used_ += n;
  }
  Vector sum(m), squares = Vector::Zero(m), fourths = Vector::Zero(m);
  Vector other_label(1);
  for (Eigen::Index j = 0; j < n; ++j) {
    sum.setZero();
    other_label[0] = y[(j + 1) % n];
    accumulate(X.col(j), other_label, sum);  // the query's value at one D0 sample
    squares.array() += sum.array().square();
    fourths.array() += sum.array().square().square();
  }
  const double count = static_cast<double>(n);
  for (Eigen::Index i = 0; i < m; ++i) {
    const double mean = squares[i] / count;
    const double error = std::sqrt(std::max(0.0, fourths[i] / count - mean * mean) / count);
    if (!(mean - 3.0 * error <= 1.0))  // NaN too: a value that is not a number breaks every bound
      throw sq::QueryRefused(label + (m > 1 ? " has a coordinate with" : " has") + " E_D0[q^2] = " + sq::format_number(mean) + " +- " +
                             sq::format_number(error) + " (a pilot of " + std::to_string(n) +
                             " D0 samples) > 1: scale the query down (and its answer up)");
  }
}

namespace {

// The declared bound of a scalar query, checked on every sampled value (and on h for correlational queries).
void check_value(const sq::ScalarQuery& q, double value, const std::optional<double>& feature) {
  switch (q.kind()) {
    case sq::QueryKind::stat:
      if (!(std::abs(value) <= 1.0)) throw sq::QueryRefused(q.label() + " took the value " + sq::format_number(value) + ", |q| > 1");
      break;
    case sq::QueryKind::vstat:
      if (!(value >= 0.0 && value <= 1.0))
        throw sq::QueryRefused(q.label() + " took the value " + sq::format_number(value) + ", outside [0, 1]");
      break;
    case sq::QueryKind::correlational:
      if (feature && !(std::abs(*feature) <= 1.0))
        throw sq::QueryRefused(q.label() + " has |h| = " + sq::format_number(std::abs(*feature)) + " > 1");
      break;
    case sq::QueryKind::l2:
      break;
  }
}

// g over the columns of Z (s x n): the query's batch form when it has one, else one call per sample.
void ridge_values(const sq::RidgeForm& ridge, const Matrix& Z, const Eigen::Ref<const Vector>& y, Vector& values) {
  values.resize(Z.cols());
  if (ridge.g_batch) {
    ridge.g_batch(Z, y, values);
    return;
  }
  Vector z(Z.rows());
  for (Eigen::Index j = 0; j < Z.cols(); ++j) {
    z = Z.col(j);
    values[j] = ridge.g(z, y[j]);
  }
}

}  // namespace

sq::ScalarAnswer SampleOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  const sq::ScalarQuery* q = &query;
  Accumulate accumulate;
  if (const sq::RidgeForm* ridge = query.ridge()) {
    // Z = Wᵀ X by one matrix product per block; g per column; the linear factor as one more product.
    accumulate = [q, ridge](const Eigen::Ref<const Matrix>& X, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> sum) {
      const Matrix Z = ridge->W.transpose() * X;
      Vector values;
      ridge_values(*ridge, Z, y, values);
      if (ridge->linear_factor) values.array() *= (ridge->linear_factor->transpose() * X).transpose().array();
      if (q->kind() != sq::QueryKind::l2) {
        Vector z(Z.rows());
        for (Eigen::Index j = 0; j < values.size(); ++j) {
          std::optional<double> feature;
          if (ridge->feature) feature = ridge->feature(z = Z.col(j));
          check_value(*q, values[j], feature);
        }
      }
      sum[0] += values.sum();
    };
  } else {
    accumulate = [q](const Eigen::Ref<const Matrix>& X, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> sum) {
      Vector x(X.rows());
      for (Eigen::Index j = 0; j < X.cols(); ++j) {
        const double value = q->evaluate(x = X.col(j), y[j]);
        check_value(*q, value, std::nullopt);
        sum[0] += value;
      }
    };
  }
  const SamplePlan plan = plan_samples(query.kind(), tolerance, params_.failure_probability);
  check_plan(plan, query.label(), tolerance);
  if (query.kind() == sq::QueryKind::l2) check_second_moment(1, query.label(), accumulate);
  return sq::ScalarAnswer{estimate(1, plan, accumulate)[0], std::nullopt};
}

sq::VectorAnswer SampleOracle::answer(const sq::VectorQuery& query, double tolerance) {
  if (query.dimension() != dimension())
    throw sq::QueryRefused(query.label() + " has dimension " + std::to_string(query.dimension()) + ", the data " +
                           std::to_string(dimension()));
  const SamplePlan plan = plan_samples(query.dimension(), query.norm(), tolerance, params_.failure_probability);
  check_plan(plan, query.label(), tolerance);
  const sq::VectorQuery* q = &query;
  Accumulate accumulate;
  if (const sq::RidgeForm* ridge = query.ridge()) {
    // sum += X g(Wᵀ X, y): two matrix products per block.
    accumulate = [ridge](const Eigen::Ref<const Matrix>& X, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> sum) {
      const Matrix Z = ridge->W.transpose() * X;
      Vector values;
      ridge_values(*ridge, Z, y, values);
      sum.noalias() += X * values;
    };
  } else {
    accumulate = [q](const Eigen::Ref<const Matrix>& X, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> sum) {
      Vector x(X.rows()), out(q->dimension());
      for (Eigen::Index j = 0; j < X.cols(); ++j) {
        q->evaluate(x = X.col(j), y[j], out);
        sum += out;
      }
    };
  }
  if (query.kind() == sq::QueryKind::l2) check_second_moment(query.dimension(), query.label(), accumulate);
  return sq::VectorAnswer{estimate(query.dimension(), plan, accumulate), std::nullopt};
}

}  // namespace sqsim::oracles