// The sample oracle: answers with empirical means. Fresh samples per query (m chosen from the
// tolerance and the failure probability delta, by the bound stated in plan_samples), or one
// fixed pool of samples (drawn once, or a data set loaded from CSV) for every query. Declared bounds
// are checked: |q| <= 1 (stat), [0, 1] (vstat), |h| <= 1 on every sampled value, and E_D0[q^2] <= 1 (l2)
// on a pilot of 4096 D0 samples, refused when the pilot is above 1 by more than three standard errors
// (a query just above 1 can pass: the pilot cannot tell it from one at 1).
#pragma once

#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/oracles/relu_world.hpp"

#include "sqsim/sq/oracle.hpp"
#include "sqsim/sq/random.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sqsim::oracles {

struct SampleOracleParams {
  double failure_probability = 0.01;  // delta: per query, P(error > tau) <= delta (fresh mode)
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all hardware threads; the answers never depend on it
  // A query whose plan needs more fresh samples than this is refused (QueryRefused naming tau,
  // delta and the count) instead of running for hours: 1e9 samples are ~1e10 normals at d = 10.
  double max_samples = 1e9;
  // Optional: fresh samples drawn so far of the current query's total, reported from the calling
  // thread's worker (at most once per chunk of 4096 samples); for progress lines.
  std::function<void(double done, double total)> progress = nullptr;
  void validate() const;
};

// How many samples a query gets, and why. groups > 1 means median of `groups` means. Counts are
// whole numbers kept in floating point, so that an absurd plan (tau = 1e-9) is representable and
// refused rather than overflowing.
struct SamplePlan {
  double samples_per_group = 0;
  double groups = 1;
  std::string bound;
  double total() const { return samples_per_group * groups; }
};

// STAT: Hoeffding, m = ceil(2 ln(2/delta) / tau^2) (q in [-1, 1]).
// VSTAT(t = 1/tau): Bernstein, m = ceil(8 t ln(2/delta)).
// L2 and correlational (E q^2 <= 1): the cheaper of Chebyshev, m = ceil(1/(delta tau^2)), and median
//   of K = odd >= 8 ln(1/delta) means of ceil(4/tau^2) samples (each fails w.p. <= 1/4 by Chebyshev;
//   Hoeffding on the failures).
// Vector of dimension m_q in l2 (linf): the cheaper of Chebyshev on the whole vector,
//   n = ceil(m_q/(delta tau^2)) (E|mean - mu|^2 <= m_q/n), and the coordinate-wise median of
//   K = odd >= 8 ln(m_q/delta) means of ceil(4 m_q/tau^2) (ceil(4/tau^2)) samples, union bound over coordinates.
SamplePlan plan_samples(sq::QueryKind kind, double tolerance, double failure_probability);
SamplePlan plan_samples(Eigen::Index dimension, sq::VectorNorm norm, double tolerance, double failure_probability);

class SampleOracle : public sq::Oracle {
 public:
  // Fresh samples of the world (its own copy) for every query.
  SampleOracle(ReluWorld world, SampleOracleParams params);
  // Fresh samples of any distribution: sampler(engine, x) writes x (length dimension) and returns y.
  // It must draw only from the engine it is given (each chunk of samples has its own seeded engine).
  using Sampler = std::function<double(sq::Engine& engine, Eigen::Ref<Vector> x)>;
  SampleOracle(Eigen::Index dimension, Sampler sampler, std::string source, SampleOracleParams params);
  // Every query answered by the mean over this fixed data set (shared, never modified).
  SampleOracle(std::shared_ptr<const Dataset> pool, SampleOracleParams params);
  SampleOracle(Dataset pool, SampleOracleParams params);

  Eigen::Index dimension() const override;
  std::string name() const override;
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

  // Samples used so far (all queries).
  std::int64_t samples_used() const { return samples_used_; }
  // Throws QueryRefused naming the query, tau, delta and the count when the plan exceeds max_samples.
  void check_plan(const SamplePlan& plan, const std::string& label, double tolerance) const;

 private:
  // Adds the query's values summed over a block of samples (X: d x n, one sample per column) to sum.
  using Accumulate = std::function<void(const Eigen::Ref<const Matrix>& X, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> sum)>;
  Vector estimate(Eigen::Index m, const SamplePlan& plan, const Accumulate& accumulate);
  // An l2 query's declared bound E_D0[q_i^2] <= 1, checked on a pilot of D0 samples (each x paired with
  // the label of another draw): refused when the pilot puts it above 1 by more than three standard errors.
  void check_second_moment(Eigen::Index m, const std::string& label, const Accumulate& accumulate);

  std::optional<ReluWorld> world_;
  Sampler sampler_;
  Eigen::Index sampler_dimension_ = 0;
  std::string source_;
  std::shared_ptr<const Dataset> pool_;
  SampleOracleParams params_;
  std::uint64_t queries_answered_ = 0;
  std::int64_t samples_used_ = 0;
};

}  // namespace sqsim::oracles