// The adversarial oracle's bookkeeping against brute force, the fast exposure paths against the
// exhaustive scan, the statistical-dimension lemma, the family's exact orthogonality, and the
// certificates of hard-instance runs (both sides).
#include "all_members.hpp"
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/group_testing.hpp"
#include "sqsim/algorithms/parity_search.hpp"
#include "sqsim/lower_bounds/hard_instance.hpp"
#include "sqsim/lower_bounds/interval_set.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity_exposure.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>

using namespace sqsim;

using namespace lower_bounds;
using queries::parity_relu_direction;
using sq::Vector;
using testing::all_members;

namespace {

// A point leaning toward one member, so that a few members are exposed and most are not.
Vector leaning(int d, const Subset& toward, std::uint64_t seed) {
  return 0.6 * parity_relu_direction(d, toward) + 0.4 * sq::random_unit_vector(d, seed);
}

}  // namespace

TEST_CASE("adversary bookkeeping matches brute force on every member (d = 8, k = 4)") {
  const auto family = LiftedParity::make({8, 4, 0.1});
  AdversarialOracle adversary(family, {});
  REQUIRE(adversary.tracks_all());
  REQUIRE(adversary.tracked_members() == 70);
  const auto members = all_members(8, 4);
  sq::QueryChannel channel(adversary);
  const double tau = 0.004;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Vector w = leaning(8, members[seed * 7], seed);
    const Vector g = 2 * channel.ask(queries::half_gradient(w, 2.0), tau);
    CHECK((g / 2 - LiftedParity::reference_half_gradient(w) / 2).norm() < 1e-15);  // D0's answer
    channel.ask(queries::square_loss(w, 2.0), tau);
    channel.ask(queries::half_gradient_coordinate(w, static_cast<Eigen::Index>(seed % 8), 2.0), tau);
    channel.ask(queries::character(8, members[seed * 5]), tau);
    channel.ask(queries::relu_correlation(w, 1.0), tau);
  }
  // Recompute every record's exposures by brute force from the family's exact member answers.
  std::vector<bool> exposed(members.size(), false);
  REQUIRE(adversary.asked().size() == adversary.records().size());
  for (std::size_t q = 0; q < adversary.records().size(); ++q) {
    const auto& record = adversary.records()[q];
    const auto& asked = adversary.asked()[q];
    CAPTURE(record.name);
    std::uint64_t count = 0, fresh = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      const double dev = asked.scalar ? std::abs(family->member_answer(*asked.scalar, members[i]) - asked.scalar_answer)
                                      : (family->member_answer(*asked.vector, members[i]) - asked.vector_answer).norm();
      if (dev > record.tolerance) {
        ++count;
        if (!exposed[i]) ++fresh;
        exposed[i] = true;
      }
    }
    CHECK(record.exposed == count);
    CHECK(record.newly_exposed == fresh);
  }
  std::uint64_t still = 0;
  for (bool e : exposed) still += !e;
  CHECK(adversary.consistent_members() == still);
  CHECK(adversary.consistent(1000).size() == still);
  CHECK(adversary.exposed_members() > 0);  // the test exercises exposure, not just silence
  CHECK(still > 0);
  for (std::size_t i = 0; i < members.size(); ++i) CHECK(adversary.is_exposed(members[i]) == exposed[i]);
}

TEST_CASE("fast exposure equals the exhaustive scan for every query type, on all members and on a sub-family") {
  const auto family = LiftedParity::make({9, 4, 0.1});
  const auto members = all_members(9, 4);
  const MemberSet all = MemberSet::all(members.size());
  const MemberSet some = MemberSet::subset({0, 3, 17, 40, 41, 77, 100, 125});
  LiftedParityExposure fast_scan(*family);
  ExhaustiveExposure slow_scan(*family);
  const Vector w = leaning(9, members[30], 4);
  std::vector<sq::ScalarQuery> scalars{queries::square_loss(w, 2.0),
                                       queries::relu_correlation(w, 1.0),
                                       queries::half_gradient_coordinate(w, 3, 2.0),
                                       queries::half_gradient_coordinate(w, members[30][1], 2.0),
                                       queries::character(9, members[30]),
                                       queries::character(9, {2, 5}),
                                       queries::character_sum(9, 4, {{10, 14}, {30, 31}}),
                                       queries::character_sum(9, 4, {{2, 50}}, queries::CharacterSum::Normalization::stat),
                                       queries::threshold_correlation(w, 0.0)};
  std::vector<sq::VectorQuery> vectors{queries::half_gradient(w, 2.0), queries::half_gradient(w, 2.0, sq::VectorNorm::linf),
                                       queries::surrogate_gradient(w, 2.0), queries::label_correlation(9, 1.0)};
  // For each query, tolerances at fractions of its largest deviation, so that some members are exposed.
  auto compare = [&](const auto& q, const auto& reference, const MemberSet& among) {
    CAPTURE(q.name());
    const Exposure slow = slow_scan.expose(q, reference, 1.0, among, 1);  // largest deviation only
    for (double fraction : {0.3, 0.7, 0.999}) {
      const double tau = std::max(1e-12, fraction * slow.largest_deviation);
      const Exposure fast = fast_scan.expose(q, reference, tau, among, 2);
      const Exposure exhaustive = slow_scan.expose(q, reference, tau, among, 2);
      CHECK(fast.indices() == exhaustive.indices());
      CHECK(std::abs(fast.largest_deviation - exhaustive.largest_deviation) <= 1e-12);
    }
  };
  for (const MemberSet* among : {&all, &some}) {
    for (const sq::ScalarQuery& q : scalars) compare(q, family->reference_answer(q), *among);
    for (const sq::VectorQuery& q : vectors) compare(q, family->reference_answer(q), *among);
  }
}

TEST_CASE("the lemma: no L2 query exposes (beta - gamma)/(tau^2 - gamma) members or more") {
  const auto family = LiftedParity::make({10, 2, 0.0});
  const auto facts = family->facts();
  for (double tau : {0.02, 0.05, 0.1}) {
    const auto bound = statistical_query_lower_bound(static_cast<double>(family->size()), facts.beta, facts.gamma, tau);
    AdversarialOracle adversary(family, {});
    sq::QueryChannel channel(adversary);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      // Gradient coordinates and losses at points spread over many members at once.
      const Vector w = sq::random_unit_vector(10, seed) * 0.5;
      channel.ask(queries::square_loss(w, 2.0), tau);
      channel.ask(queries::half_gradient_coordinate(w, static_cast<Eigen::Index>(seed % 10), 2.0), tau);
      channel.ask(queries::character_sum(10, 2, {{seed, seed + 3}}), tau);
    }
    for (const auto& record : adversary.records()) CHECK(static_cast<double>(record.exposed) <= bound.max_exposed_per_query);
  }
  const auto b = statistical_query_lower_bound(230300, 1.0, 0.0, 0.1);
  CHECK(b.max_exposed_per_query == 99);  // fewer than 1/0.01 = 100
  CHECK(b.queries == std::ceil(230299.0 / 99));
  CHECK(std::isinf(statistical_query_lower_bound(100, 0.25, 0.0, 0.6).queries));  // tau above every signal
}

TEST_CASE("pairwise correlations chi_D0(D_S, D_T) = (1 - 2 eta)^2 [S = T], by Monte Carlo") {
  // D_S/D0 (x, y) = 1 + (1 - 2 eta) chi_S(sign x) (2y - 1); sample from D0.
  const double eta = 0.15, signal = 1 - 2 * eta;
  const Subset S{0, 1, 2, 3}, T{0, 1, 2, 4}, U{2, 3, 4, 5};
  sq::Engine engine(3);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  const long n = 1000000;
  double ss = 0, st = 0, su = 0;
  for (long i = 0; i < n; ++i) {
    double x[6];
    for (double& v : x) v = normal(engine);
    const double y = uniform(engine) < 0.5 ? 1.0 : -1.0;  // 2y - 1
    auto chi = [&](const Subset& s) {
      double c = 1;
      for (int j : s) c *= x[j] > 0 ? 1 : -1;
      return signal * c * y;
    };
    const double a = chi(S), b = chi(T), c = chi(U);
    ss += a * a;
    st += a * b;
    su += a * c;
  }
  // Each product is +-signal^2 with variance at most signal^4: 6 sigma = 6 signal^2 / sqrt(n).
  const double bar = 6 * signal * signal / std::sqrt(static_cast<double>(n));
  CHECK(std::abs(ss / n - signal * signal) <= bar);
  CHECK(std::abs(st / n) <= bar);
  CHECK(std::abs(su / n) <= bar);
}

TEST_CASE("parity search finds S with one correlational query per candidate up to S") {
  const auto family = LiftedParity::make({12, 4, 0.1});
  const Subset S{1, 4, 7, 10};
  MemberOracle oracle(family, S, oracles::Perturbation::uniform, 5);
  algorithms::ParitySearch search({4, 0.05, true});
  const sq::RunResult result = sq::run(search, oracle);
  CHECK(search.found() == S);
  CHECK(static_cast<std::uint64_t>(result.spent.scalar_queries) == queries::subset_rank(S) + 1);
  // Its hypothesis beats every ReLU that ignores S.
  CHECK(family->loss(*result.w, S) < family->facts().opt0 - 0.5 * family->facts().gap);
}

TEST_CASE("GD on the hard instance: certified, every answer within tau of D_S, loss >= optS + gap - 2 tau") {
  for (int k : {4, 6}) {
    CAPTURE(k);
    const auto family = LiftedParity::make({20, k, 0.0});
    const auto facts = family->facts();
    const double tau = 0.25 * facts.gap;
    algorithms::GradientDescentParams params;
    params.tolerance = tau;
    params.init = algorithms::Initialization::random;
    params.seed = 3;
    params.loss_queries = true;
    params.max_iterations = 100;
    params.stop_threshold = 1e-300;
    algorithms::GradientDescent gd(params);
    HardInstanceParams run;
    run.tolerance = tau;
    run.seed = 9;
    const HardInstanceResult result = run_hard_instance(gd, family, run);
    MESSAGE("k = " << k << ": loss " << result.loss << ", optS " << facts.optS << ", exposed " << result.members_exposed << " of "
                   << result.tracked_members << "; " << result.certificate);
    CHECK(result.run.status == sq::RunStatus::completed);
    CHECK(result.certified);
    CHECK(!result.planted_exposed);
    CHECK(result.pinned);
    CHECK(result.max_answer_error <= tau);  // every answer was legal for the planted member
    CHECK(result.certified_excess == doctest::Approx(facts.gap - 2 * tau));
    CHECK(result.loss >= facts.optS + result.certified_excess);                       // the theorem, checked on the exact loss
    CHECK(result.exposed_per_query.size() == result.run.spent.total_queries() + 1u);  // + the pinning query
  }
}

TEST_CASE("no certificate when tau is not below gap/2, or when the planted member was exposed") {
  const auto family = LiftedParity::make({12, 2, 0.0});
  const auto facts = family->facts();
  algorithms::GradientDescentParams params;
  params.tolerance = facts.gap;
  params.max_iterations = 5;
  algorithms::GradientDescent gd(params);
  HardInstanceParams run;
  run.tolerance = facts.gap;  // tau = gap > gap/2
  HardInstanceResult result = run_hard_instance(gd, family, run);
  CHECK_FALSE(result.certified);
  CHECK(result.certified_excess == 0.0);
  CHECK(result.certificate.find("is not below gap/2") != std::string::npos);

  // The parity search finds a member fixed in advance: it is exposed, so nothing is certified.
  algorithms::ParitySearch search({2, 0.05, true});
  run.tolerance = 0.05;
  run.planted = Subset{3, 8};
  result = run_hard_instance(search, family, run);
  CHECK(result.planted == Subset{3, 8});
  CHECK(result.planted_exposed);
  CHECK_FALSE(result.certified);
  CHECK(result.certificate.find("exposed") != std::string::npos);
}

TEST_CASE("the orthogonal-relu family through the same adversary: GD is certified to fail, answers checked") {
  const auto family = OrthogonalRelu::make({10, 2});
  const auto facts = family->facts();
  const double tau = 0.1 * facts.gap;
  algorithms::GradientDescentParams params;
  params.tolerance = tau;
  params.init = algorithms::Initialization::random;
  params.seed = 2;
  params.max_iterations = 50;
  algorithms::GradientDescent gd(params);
  HardInstanceParams run;
  run.tolerance = tau;
  const HardInstanceResult result = run_hard_instance(gd, family, run);
  MESSAGE(result.certificate << " (exposed " << result.members_exposed << " of " << result.tracked_members << ")");
  CHECK(result.run.status == sq::RunStatus::completed);
  CHECK(result.max_answer_error <= tau);
  CHECK(result.certified == (result.pin_factor * tau < facts.gap && !result.planted_exposed));
  if (result.certified) CHECK(result.loss >= facts.optS + result.certified_excess);
}

TEST_CASE("the interval set of exposed members counts new elements and finds the absent ones") {
  IntervalSet set;
  std::vector<bool> reference(100, false);
  auto insert = [&](std::uint64_t b, std::uint64_t e) {
    std::uint64_t fresh = 0;
    for (std::uint64_t i = b; i < e; ++i) fresh += !reference[i], reference[i] = true;
    CHECK(set.insert(b, e) == fresh);
  };
  insert(10, 20);
  insert(15, 25);
  insert(30, 31);
  insert(5, 10);  // touches [10, 25): merges
  insert(0, 0);   // empty
  insert(40, 60);
  insert(24, 45);  // bridges two intervals
  std::uint64_t size = 0;
  for (bool r : reference) size += r;
  CHECK(set.size() == size);
  CHECK(set.intervals() == 1);  // [5, 60)
  for (std::uint64_t i = 0; i < 100; ++i) CHECK(set.contains(i) == reference[i]);
  std::vector<std::uint64_t> absent;
  for (std::uint64_t i = 0; i < 100; ++i)
    if (!reference[i]) absent.push_back(i);
  CHECK(set.absent(100, 1000) == absent);
  for (std::uint64_t i = 0; i < absent.size(); ++i) CHECK(set.nth_absent(i) == absent[i]);
}

TEST_CASE("group testing finds S with about rank(S)/G + log2(G) character-sum queries, l2 and STAT") {
  for (double eta : {0.0, 0.1}) {
    const auto family = LiftedParity::make({16, 4, eta});
    const double tau = 0.02, signal = 1 - 2 * eta;
    for (auto kind : {algorithms::GroupQueries::l2, algorithms::GroupQueries::stat}) {
      for (std::uint64_t rank : {std::uint64_t{0}, std::uint64_t{777}, family->size() - 1}) {
        const Subset S = family->member(rank);
        CAPTURE(eta);
        CAPTURE(rank);
        MemberOracle oracle(family, S, oracles::Perturbation::worst_case);  // every answer moved by tau toward D0
        algorithms::GroupTesting search({4, tau, signal, kind});
        const sq::RunResult r = sq::run(search, oracle);
        CHECK(search.found() == S);
        const double group = static_cast<double>(search.group_size(16));
        CHECK(group == (kind == algorithms::GroupQueries::l2 ? std::round(signal * signal / (4 * tau * tau)) - 1
                                                             : std::round(signal / (2 * tau)) - 1));
        const double expected = std::floor(static_cast<double>(rank) / group) + 1 + std::ceil(std::log2(group)) + 1;  // scan, halve, fit
        CHECK(static_cast<double>(r.spent.total_queries()) <= expected);
        CHECK(family->loss(*r.w, S) == doctest::Approx(family->facts().optS).epsilon(1e-3));  // the fit reaches optS
      }
    }
  }
}

TEST_CASE("against the adversary no learner isolates S in fewer queries than the bound, and group testing is within 4x") {
  for (int d : {12, 20, 28}) {
    for (double tau : {0.05, 0.02, 0.01}) {
      const auto family = LiftedParity::make({d, 4, 0.0});
      const auto bound = statistical_query_lower_bound(static_cast<double>(family->size()), family->facts().beta, 0.0, tau);
      for (auto kind : {algorithms::GroupQueries::l2, algorithms::GroupQueries::stat}) {
        CAPTURE(d);
        CAPTURE(tau);
        AdversarialOracle adversary(family, {});
        algorithms::GroupTesting search({4, tau, 1.0, kind});
        sq::run(search, adversary);
        const std::uint64_t queries = adversary.queries_until_consistent(1);
        CHECK(adversary.consistent_members() <= 1);
        CHECK(static_cast<double>(queries) >= bound.queries);
        if (kind == algorithms::GroupQueries::l2) CHECK(static_cast<double>(queries) <= 4.0 * bound.queries + 4.0);
      }
    }
  }
}
