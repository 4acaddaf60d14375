// The adversarial oracle's bookkeeping against brute force, the statistical-dimension lemma, the
// family's exact orthogonality, and what the hard instance does to gradient descent.
#include "algorithms/gradient_descent.hpp"
#include "algorithms/parity_search.hpp"
#include "lower_bounds/parity_oracles.hpp"
#include "lower_bounds/statistical_dimension.hpp"
#include "sq/errors.hpp"
#include "sq/harness.hpp"
#include "sq/random.hpp"
#include "sq/relu_queries.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <doctest/doctest.h>

#include <cmath>

using namespace lower_bounds;
using sq::Vector;

namespace {

std::vector<Subset> all_members(int d, int k) {
  std::vector<Subset> members;
  for (std::uint64_t r = 0; r < binomial_saturating(d, k); ++r) members.push_back(subset_unrank(r, k));
  return members;
}

}  // namespace

TEST_CASE("adversary bookkeeping matches brute force on every member (d = 8, k = 4)") {
  const LiftedParity family({8, 4, 0.1});
  AdversarialOracle adversary(family, {});
  REQUIRE(adversary.enumerates_all());
  REQUIRE(adversary.tracked_members() == 70);
  const auto members = all_members(8, 4);
  std::vector<bool> exposed(members.size(), false);
  sq::QueryChannel channel(adversary);
  const double tau = 0.004;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    // Points leaning toward some member so that a few are exposed and most are not.
    const Vector w = 0.6 * signed_parity_direction(8, members[seed * 7]) + 0.4 * sq::random_unit_vector(8, seed);
    const Vector g = 2 * channel.ask(sq::square_loss_half_gradient_query(w, 2.0), tau);
    CHECK((g / 2 - LiftedParity::reference_half_gradient(w) / 2).norm() < 1e-15);  // D0's answer
    channel.ask(sq::square_loss_query(w, 2.0), tau);
    channel.ask(sq::square_loss_half_gradient_coordinate(w, static_cast<Eigen::Index>(seed % 8), 2.0), tau);
    channel.ask(sq::parity_correlation_query(8, members[seed * 5]), tau);
  }
  // Recompute every record's exposures by brute force from LiftedParity's exact member values.
  for (const auto& record : adversary.records()) {
    CAPTURE(record.name);
    std::uint64_t count = 0, fresh = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      double dev;
      const ParityQuery& q = record.query;
      if (q.shape == ParityQuery::Shape::loss) {
        dev = std::abs(family.loss(q.w, members[i]) - LiftedParity::reference_loss(q.w)) / q.scale;
      } else if (q.shape == ParityQuery::Shape::parity_character) {
        dev = q.subset == members[i] ? 0.5 * family.signal() : 0.0;
      } else {
        const Vector diff = (family.half_gradient(q.w, members[i]) - LiftedParity::reference_half_gradient(q.w)) / q.scale;
        dev = q.vector ? diff.norm() : std::abs(q.factor->dot(diff));
      }
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
}

TEST_CASE("the lemma: no L2 query exposes (beta - gamma)/(tau^2 - gamma) members or more") {
  const LiftedParity family({10, 2, 0.0});
  const double beta = family.signal() * family.signal();
  for (double tau : {0.02, 0.05, 0.1}) {
    const auto bound = statistical_query_lower_bound(static_cast<double>(family.family_size()), beta, 0.0, tau);
    AdversarialOracle adversary(family, {});
    sq::QueryChannel channel(adversary);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      // Gradient coordinates and losses at points spread over many members at once.
      const Vector w = sq::random_unit_vector(10, seed) * 0.5;
      channel.ask(sq::square_loss_query(w, 2.0), tau);
      channel.ask(sq::square_loss_half_gradient_coordinate(w, static_cast<Eigen::Index>(seed % 10), 2.0), tau);
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
  boost::random::mt19937_64 engine(3);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  const long n = 1000000;
  double ss = 0, st = 0, su = 0, ss2 = 0, st2 = 0;
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
    ss2 += a * a * a * a;
    st2 += a * a * b * b;
  }
  // Each product is +-signal^2 with variance at most signal^4: 6 sigma = 6 signal^2 / sqrt(n).
  const double bar = 6 * signal * signal / std::sqrt(static_cast<double>(n));
  CHECK(std::abs(ss / n - signal * signal) <= bar);
  CHECK(std::abs(st / n) <= bar);
  CHECK(std::abs(su / n) <= bar);
}

TEST_CASE("parity search finds S with one correlational query per candidate up to S") {
  const LiftedParity family({12, 4, 0.1});
  const Subset S{1, 4, 7, 10};
  ParityOracle oracle(family, S, oracles::Perturbation::uniform, 5);
  algorithms::ParitySearch search({4, 0.05, true});
  const sq::RunResult result = sq::run(search, oracle);
  CHECK(search.found() == S);
  CHECK(static_cast<std::uint64_t>(result.spent.scalar_queries) == subset_rank(S) + 1);
  // Its hypothesis beats every ReLU that ignores S.
  CHECK(family.loss(*result.w, S) < family.facts().opt0 - 0.5 * family.facts().gap);
}

TEST_CASE("GD on the hard instance: every answer within tau of D_S, final loss >= optS + gap - 2 tau") {
  for (int k : {4, 6}) {
    CAPTURE(k);
    const LiftedParity family({20, k, 0.0});
    const auto& facts = family.facts();
    const double tau = 0.25 * facts.gap;
    AdversarialOracle adversary(family, {});
    algorithms::GradientDescentParams params;
    params.tolerance = tau;
    params.init = algorithms::Initialization::random;
    params.seed = 3;
    params.loss_queries = true;
    params.loss_query_scale = 2.0;  // an unexposed loss query then pins loss_S within 2 tau of loss_D0 >= opt0
    params.max_iterations = 100;
    params.stop_threshold = 1e-300;
    algorithms::GradientDescent gd(params);
    const sq::RunResult result = sq::run(gd, adversary);
    // Plant S among the members no answer exposed: then every answer was a legal D_S answer.
    const auto consistent = adversary.consistent(1);
    REQUIRE(!consistent.empty());
    const Subset S = consistent.front();
    for (const auto& record : adversary.records()) {
      const double truth_dev = record.query.vector
                                   ? member_deviation_vector(record.query, family, S).norm()
                                   : std::abs(member_deviation(record.query, family, S));
      CHECK(truth_dev <= tau);
    }
    const double loss = family.loss(*result.w, S);
    MESSAGE("k = " << k << ": loss " << loss << ", optS " << facts.optS << ", opt0 " << facts.opt0 << ", exposed "
                   << adversary.exposed_members() << " of " << adversary.tracked_members());
    CHECK(loss >= facts.optS + facts.gap - 2 * tau);
  }
}
