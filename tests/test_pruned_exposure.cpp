// The lifted parity's pruned exposure against brute force: the heavy-subset search against the
// enumeration of every k-subset, and the pruned exposure against the exhaustive scan over full runs of
// every shipped algorithm and of a user's queries.
#include "all_members.hpp"
#include "sqsim/algorithms/coordinate_csq.hpp"
#include "sqsim/algorithms/glmtron.hpp"
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/group_testing.hpp"
#include "sqsim/algorithms/label_correlation.hpp"
#include "sqsim/algorithms/parity_search.hpp"
#include "sqsim/algorithms/threshold_halfspace.hpp"
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/lifted_parity/heavy_subsets.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity_exposure.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace sqsim;

using namespace lower_bounds;
using sq::Vector;
using testing::all_members;

TEST_CASE("heavy subsets: exactly the k-subsets of weight >= threshold, their count, and parts that partition them") {
  const int d = 12;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const Vector u = sq::random_unit_vector(d, seed);
    const Vector u2 = u.cwiseAbs2();
    for (int k : {1, 2, 4, 7}) {
      for (double threshold : {0.0, 0.2, 0.5, 0.9}) {
        std::vector<std::uint64_t> found, expected;
        const std::uint64_t count =
            for_each_heavy_subset({u2.data(), static_cast<std::size_t>(d)}, k, threshold, [&](const Subset& s, std::uint64_t rank) {
              CHECK(std::is_sorted(s.begin(), s.end()));
              CHECK(rank == queries::subset_rank(s));
              found.push_back(rank);
            });
        for (const Subset& s : all_members(d, k)) {
          double weight = 0.0;
          for (int j : s) weight += u2[j];
          if (weight >= threshold) expected.push_back(queries::subset_rank(s));
        }
        std::sort(found.begin(), found.end());
        CHECK(found == expected);
        CHECK(count == expected.size());
        CHECK(count_heavy_subsets({u2.data(), static_cast<std::size_t>(d)}, k, threshold) == expected.size());
        // Dealt out in parts (one per process under mpirun): disjoint, and together every heavy subset.
        for (int parts : {2, 3}) {
          std::vector<std::uint64_t> union_of_parts;
          for (int part = 0; part < parts; ++part)
            for_each_heavy_subset(
                {u2.data(), static_cast<std::size_t>(d)}, k, threshold,
                [&](const Subset& s, std::uint64_t rank) {
                  CHECK(rank == queries::subset_rank(s));
                  union_of_parts.push_back(rank);
                },
                part, parts);
          std::sort(union_of_parts.begin(), union_of_parts.end());
          CHECK(union_of_parts == expected);  // sorted with repeats kept: a subset in two parts would show twice
        }
      }
    }
  }
}

namespace {

// A user's algorithm asking one-direction queries no closed form covers: scalar, scalar times c.x,
// vector, in directions leaning toward a member and in random ones.
class UserQueries : public sq::Algorithm {
 public:
  std::string name() const override { return "user-queries"; }
  Vector run(sq::QueryChannel& channel) override {
    const auto d = channel.dimension();
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      Vector w = sq::random_unit_vector(d, seed);
      if (seed % 2 == 0) w.head(4) += Vector::Constant(4, 0.8);  // leaning toward {0, 1, 2, 3}
      w *= 0.8;
      channel.ask(sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "tanh-y", sq::Matrix(w),
                                               [](const Vector& z, double y) { return std::tanh(2 * z[0]) * (2 * y - 1); }),
                  1e-3);
      channel.ask(sq::ScalarQuery::ridge_query(sq::QueryKind::correlational, "kink-y", sq::Matrix(w),
                                               [](const Vector& z, double y) { return std::min(1.0, std::abs(z[0] - 0.3)) * y; },
                                               {sq::Breakpoint{0, 0.3}, sq::Breakpoint{0, 1.3}, sq::Breakpoint{0, -0.7}}),
                  1e-3);
      channel.ask(sq::ScalarQuery::ridge_times_linear(sq::QueryKind::l2, "step-y-x1", sq::Matrix(w),
                                                      [](const Vector& z, double y) { return z[0] > 0.5 ? 0.5 * y : 0.0; },
                                                      Vector::Unit(d, 1), {sq::Breakpoint{0, 0.5}}),
                  1e-3);
      channel.ask(sq::VectorQuery::ridge_times_x(sq::QueryKind::l2, "relu-y-x", sq::Matrix(w),
                                                 [](const Vector& z, double y) { return 0.5 * std::max(z[0], 0.0) * y; }),
                  1e-3);
      channel.ask(queries::threshold_correlation(w, 0.6), 1e-3);
    }
    return Vector::Zero(d);
  }
};

// An adversary that checks, for every query, the family's pruned exposure against the exhaustive
// scan at the tolerance asked and at fractions of the largest deviation.
class CheckedAdversary : public sq::Oracle {
 public:
  CheckedAdversary(std::shared_ptr<LiftedParity> family) : family_(family), fast_(*family), exhaustive_(*family), inner_(family, {}) {}
  Eigen::Index dimension() const override { return inner_.dimension(); }
  std::string name() const override { return "checked-adversary"; }
  sq::ScalarAnswer answer(const sq::ScalarQuery& q, double tolerance) override {
    family_->check_bound(q);
    compare(q, family_->reference_answer(q), tolerance);
    return inner_.answer(q, tolerance);
  }
  sq::VectorAnswer answer(const sq::VectorQuery& q, double tolerance) override {
    family_->check_bound(q);
    compare(q, family_->reference_answer(q), tolerance);
    return inner_.answer(q, tolerance);
  }
  std::uint64_t comparisons = 0, with_exposures = 0;

 private:
  template <class Q, class R>
  void compare(const Q& q, const R& reference, double tolerance) {
    const MemberSet all = MemberSet::all(family_->size());
    const double largest = exhaustive_.expose(q, reference, 1e300, all, 1).largest_deviation;
    for (double tau : {tolerance, 0.3 * largest, 0.7 * largest, 0.999 * largest}) {
      if (!(tau > 1e-12)) continue;  // below, only rounding separates members
      CAPTURE(q.name());
      CAPTURE(tau);
      const Exposure fast = fast_.expose(q, reference, tau, all, 2);
      const Exposure exhaustive = exhaustive_.expose(q, reference, tau, all, 2);
      CHECK(fast.indices() == exhaustive.indices());
      if (!fast.largest_is_bound) CHECK(std::abs(fast.largest_deviation - exhaustive.largest_deviation) <= 1e-12);
      ++comparisons;
      with_exposures += exhaustive.count() > 0;
    }
  }
  std::shared_ptr<LiftedParity> family_;
  LiftedParityExposure fast_;
  ExhaustiveExposure exhaustive_;
  AdversarialOracle inner_;
};

}  // namespace

TEST_CASE("pruned exposure = exhaustive scan over full runs of every shipped algorithm and a user's queries (d = 9, k = 4 and 2)") {
  for (int k : {4, 2}) {
    CAPTURE(k);
    const auto family = LiftedParity::make({9, k, 0.1});
    std::vector<std::unique_ptr<sq::Algorithm>> runs;
    algorithms::GradientDescentParams gd;
    gd.tolerance = 1e-3;
    gd.init = algorithms::Initialization::random;
    gd.max_iterations = 6;
    gd.loss_queries = true;
    gd.mode = algorithms::GradientMode::coordinates;
    runs.push_back(std::make_unique<algorithms::GradientDescent>(gd));
    runs.push_back(std::make_unique<algorithms::LabelCorrelation>());
    algorithms::GlmtronParams glm;
    glm.max_iterations = 5;
    runs.push_back(std::make_unique<algorithms::Glmtron>(glm));
    runs.push_back(std::make_unique<algorithms::ThresholdHalfspace>());
    runs.push_back(std::make_unique<algorithms::CoordinateCsq>());
    runs.push_back(std::make_unique<algorithms::GroupTesting>(algorithms::GroupTestingParams{k, 0.05, 0.8}));
    runs.push_back(std::make_unique<algorithms::ParitySearch>(algorithms::ParitySearchParams{k, 0.05, true}));
    runs.push_back(std::make_unique<UserQueries>());
    for (const auto& algorithm : runs) {
      CAPTURE(algorithm->name());
      CheckedAdversary oracle(family);
      const sq::RunResult result = sq::run(*algorithm, oracle, {});
      CHECK(result.status == sq::RunStatus::completed);
      CHECK(oracle.comparisons > 0);
      // Under D0's answers label-correlation, GLMtron and threshold-halfspace stay at w = 0 (E_D0[y x] = 0): nothing to expose.
      if (algorithm->name() == "gd" || algorithm->name() == "group-testing" || algorithm->name() == "parity-search" ||
          algorithm->name() == "user-queries")
        CHECK(oracle.with_exposures > 0);
    }
  }
}
