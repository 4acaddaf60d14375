// Typed queries: every closed form an oracle uses equals its own quadrature of the same type's g
// (so no closed form can drift from its query), the lifted parity's exact answers and declared
// bounds against Monte Carlo, and the character-sum evaluator against brute force.
#include "monte_carlo.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/dispatch.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>

using namespace sqsim;

using namespace queries;
using sq::Vector;

TEST_CASE("every closed form of the exact oracle equals the quadrature of the same typed query's g (1e-9)") {
  for (oracles::LabelModel labels : {oracles::LabelModel::relu, oracles::LabelModel::noisy_relu, oracles::LabelModel::clipped_relu,
                                     oracles::LabelModel::agnostic, oracles::LabelModel::band, oracles::LabelModel::mirror}) {
    for (std::uint64_t seed : {1u, 2u}) {
      const Vector v = 1.2 * sq::random_unit_vector(5, seed);
      const double noise = labels == oracles::LabelModel::relu ? 0.0 : labels == oracles::LabelModel::band ? 0.1 : 0.3;
      const oracles::ReluWorld world({labels, v, noise});
      const oracles::ExactOracle exact(world);
      for (const Vector& w :
           {Vector(0.7 * v + 0.5 * sq::random_unit_vector(5, seed + 10)), Vector(-v), Vector(Vector::Zero(5)), Vector(0.5 * v)}) {
        CAPTURE(w.transpose());
        for (const sq::ScalarQuery& q : {square_loss(w, 3.0), half_gradient_coordinate(w, 2, 2.0), relu_correlation(w, 2.0)}) {
          CAPTURE(q.name());
          CHECK(std::abs(exact.expectation(q, true) - exact.expectation(q, false)) <= 1e-9);
        }
        for (const sq::VectorQuery& q :
             {half_gradient(w, 2.0), surrogate_gradient(w, 3.0), label_correlation(5, 2.0), thresholded_label_correlation(5, 0.3, 2.0)}) {
          CAPTURE(q.name());
          CHECK((exact.expectation(q, true) - exact.expectation(q, false)).cwiseAbs().maxCoeff() <= 1e-9);
        }
      }
    }
  }
}

TEST_CASE("a typed query carries its parameters and its own g, and dispatch finds the type") {
  const Vector w = Vector::LinSpaced(4, -1.0, 1.0);
  const sq::ScalarQuery q = square_loss(w, 2.5);
  REQUIRE(q.as<SquareLoss>() != nullptr);
  CHECK(q.as<SquareLoss>()->w == w);
  CHECK(q.as<SquareLoss>()->scale == 2.5);
  CHECK(q.as<ReluCorrelation>() == nullptr);
  CHECK(q.type_name() == "square_loss");
  CHECK(q.scale() == 2.5);
  // The point evaluator is the type's g: (relu(w.x) - y)^2 / scale.
  const Vector x = Vector::Constant(4, 0.3);
  CHECK(q.evaluate(x, 0.2) == doctest::Approx(std::pow(relu(w.dot(x)) - 0.2, 2) / 2.5));
  using Types = sq::QueryTypes<ReluCorrelation, SquareLoss>;
  CHECK(Types::names() == "relu_correlation, square_loss");
  CHECK(Types::visit(q, [](const auto& typed) { return std::string(typed.type_name); }) == std::optional<std::string>("square_loss"));
  CHECK_FALSE(Types::contains(character(4, {1})));
  // Parameters are validated where the query is built, naming the parameter.
  CHECK_THROWS_WITH_AS(square_loss(w, 0.0), doctest::Contains("query scale = 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(half_gradient_coordinate(w, 7), doctest::Contains("coordinate = 7"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(character(4, {2, 1}), doctest::Contains("distinct and increasing"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(character_sum(6, 2, {{3, 20}}), doctest::Contains("C(d, k) = 15"), std::invalid_argument);
}

TEST_CASE("the character sum's O(d k) evaluation equals the explicit sum over its subsets") {
  sq::Engine engine(5);
  boost::random::normal_distribution<double> normal;
  for (int k : {1, 2, 3, 4}) {
    const int d = 9;
    const std::uint64_t total = binomial_saturating(d, k);
    for (const std::vector<RankRange>& ranges : std::vector<std::vector<RankRange>>{{{0, total}}, {{3, 4}}, {{1, 3}, {4, total - 1}}}) {
      const CharacterSum q{d, k, ranges};
      q.validate();
      for (int trial = 0; trial < 5; ++trial) {
        Vector x(d);
        for (int j = 0; j < d; ++j) x[j] = normal(engine);
        double explicit_sum = 0.0;
        for (const auto& [begin, end] : ranges)
          for (std::uint64_t r = begin; r < end; ++r) {
            double chi = 1.0;
            for (int j : subset_unrank(r, k)) chi *= x[j] > 0 ? 1.0 : -1.0;
            explicit_sum += chi;
          }
        CHECK(q.evaluate(x, 1.0) == doctest::Approx(explicit_sum / std::sqrt(static_cast<double>(q.size()))).epsilon(1e-12));
        CHECK(q.evaluate(x, 0.0) == doctest::Approx(-explicit_sum / std::sqrt(static_cast<double>(q.size()))).epsilon(1e-12));
      }
    }
  }
}

namespace {

// Monte Carlo under member S (or under D0 when S is empty: y ~ Bernoulli(1/2) independent of x).
testing::MonteCarloEstimate lifted_monte_carlo(const lower_bounds::LiftedParity& family, const Subset& s, long n, std::uint64_t seed,
                                               const std::function<double(const Vector&, double)>& f) {
  sq::Engine engine(seed);
  boost::random::uniform_01<double> uniform;
  Vector x(family.dimension());
  double sum = 0, sum_sq = 0;
  for (long i = 0; i < n; ++i) {
    double y;
    if (s.empty()) {
      boost::random::normal_distribution<double> normal;
      for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
      y = uniform(engine) < 0.5 ? 1.0 : 0.0;
    } else {
      y = family.sample(engine, s, x);
    }
    const double v = f(x, y);
    sum += v;
    sum_sq += v * v;
  }
  const double mean = sum / n;
  return {mean, std::sqrt(std::max(0.0, sum_sq / n - mean * mean) / n)};
}

}  // namespace

TEST_CASE("the lifted parity's exact answers, references and declared bounds against Monte Carlo (6 sigma)") {
  const lower_bounds::LiftedParity family({6, 2, 0.1});
  const Subset S{1, 4};
  const Vector w = 0.8 * parity_relu_direction(6, S) + 0.3 * sq::random_unit_vector(6, 2);
  const long n = 400000;
  std::uint64_t seed = 50;
  const std::vector<sq::ScalarQuery> scalars{square_loss(w, 2.0),
                                             half_gradient_coordinate(w, 4, 2.0),
                                             half_gradient_coordinate(w, 0, 2.0),
                                             relu_correlation(w, 1.0),
                                             threshold_correlation(w, 0.0),
                                             threshold_correlation(w, 0.3),
                                             character(6, S),
                                             character(6, {1, 2}),
                                             character_sum(6, 2, {{0, 10}})};
  for (const sq::ScalarQuery& q : scalars) {
    CAPTURE(q.name());
    const auto f = [&](const Vector& x, double y) { return q.evaluate(x, y); };
    const auto member = lifted_monte_carlo(family, S, n, ++seed, f);
    CHECK(std::abs(family.member_answer(q, S) - member.mean) <= member.six_sigma());
    const auto reference = lifted_monte_carlo(family, {}, n, ++seed, f);
    CHECK(std::abs(family.reference_answer(q) - reference.mean) <= reference.six_sigma());
    // The declared bound: E_D0[q^2], for the l2 queries (the family refuses above 1).
    if (q.kind() == sq::QueryKind::l2) {
      const auto second =
          lifted_monte_carlo(family, {}, n, ++seed, [&](const Vector& x, double y) { return std::pow(q.evaluate(x, y), 2); });
      CHECK_NOTHROW(family.check_bound(q));
      CHECK(second.mean <= 1.0 + second.six_sigma());
    }
  }
  for (const sq::VectorQuery& q :
       {half_gradient(w, 2.0), surrogate_gradient(w, 2.0), label_correlation(6, 1.0), thresholded_label_correlation(6, 0.5)}) {
    CAPTURE(q.name());
    const Vector exact = family.member_answer(q, S), reference = family.reference_answer(q);
    for (Eigen::Index i = 0; i < 6; ++i) {
      const auto f = [&](const Vector& x, double y) {
        Vector out(6);
        q.evaluate(x, y, out);
        return out[i];
      };
      const auto member = lifted_monte_carlo(family, S, n, ++seed, f);
      CHECK(std::abs(exact[i] - member.mean) <= member.six_sigma());
      const auto d0 = lifted_monte_carlo(family, {}, n, ++seed, f);
      CHECK(std::abs(reference[i] - d0.mean) <= d0.six_sigma());
    }
  }
  // Queries in two directions are refused, naming what it answers (one direction: test_parity_ridge.cpp).
  sq::Matrix two(6, 2);
  two << w, sq::random_unit_vector(6, 9);
  CHECK_THROWS_WITH_AS(family.reference_answer(sq::ScalarQuery::ridge_query(
                           sq::QueryKind::l2, "tanh", two, [](const Vector& z, double y) { return std::tanh(z[0] * z[1]) * y; })),
                       doctest::Contains("answers exactly only"), sq::QueryRefused);
}

TEST_CASE("the lifted parity's declared second moments equal Monte Carlo's E_D0[q^2] and are enforced") {
  const lower_bounds::LiftedParity family({5, 2, 0.0});
  const Vector w = 0.9 * sq::random_unit_vector(5, 8);
  const long n = 400000;
  std::uint64_t seed = 900;
  // E_D0[q^2] = 1 exactly for scale s = sqrt(E_D0[q^2] at scale 1): below it the query is refused.
  for (const auto& [name, build] : std::vector<std::pair<std::string, std::function<sq::ScalarQuery(double)>>>{
           {"square_loss", [&](double s) { return square_loss(w, s); }},
           {"half_gradient[1]", [&](double s) { return half_gradient_coordinate(w, 1, s); }},
           {"relu_correlation", [&](double s) { return relu_correlation(w, s); }}}) {
    CAPTURE(name);
    const sq::ScalarQuery unit = build(1.0);
    const auto second =
        lifted_monte_carlo(family, {}, n, ++seed, [&](const Vector& x, double y) { return std::pow(unit.evaluate(x, y), 2); });
    // The family's exact moment, recovered from where check_bound starts refusing.
    double lo = 1e-3, hi = 1e3;
    for (int i = 0; i < 200; ++i) {
      const double mid = std::sqrt(lo * hi);
      try {
        family.check_bound(build(mid));
        hi = mid;
      } catch (const sq::QueryRefused&) {
        lo = mid;
      }
    }
    CHECK(std::abs(hi * hi - second.mean) <= second.six_sigma());
  }
}

TEST_CASE("every typed query's batch g equals its point g") {
  const Vector w = 0.7 * sq::random_unit_vector(4, 3);
  sq::Engine engine(8);
  boost::random::normal_distribution<double> normal;
  const long n = 64;
  sq::Matrix Z(1, n);
  Vector y(n), z(1), out(n);
  for (long j = 0; j < n; ++j) {
    Z(0, j) = j == 0 ? 0.0 : normal(engine);  // z = 0 exercises relu'(0) = 1/2
    y[j] = 0.5 + 0.5 * std::tanh(normal(engine));
  }
  auto check = [&](const sq::RidgeForm* form) {
    REQUIRE(form != nullptr);
    REQUIRE(form->g_batch);
    form->g_batch(Z, y, out);
    for (long j = 0; j < n; ++j) {
      z[0] = Z(0, j);
      CHECK(out[j] == form->g(z, y[j]));
    }
  };
  for (const sq::ScalarQuery& q :
       {square_loss(w, 2.0), half_gradient_coordinate(w, 1, 2.0), relu_correlation(w, 3.0), threshold_correlation(w, 0.2)}) {
    CAPTURE(q.name());
    check(q.ridge());
  }
  for (const sq::VectorQuery& q :
       {half_gradient(w, 2.0), surrogate_gradient(w), label_correlation(4, 2.0), thresholded_label_correlation(4, 0.5)}) {
    CAPTURE(q.name());
    check(q.ridge());
  }
}

TEST_CASE("the lifted parity answers ridge queries whose directions are zero (functions of the label) as D0 does, against Monte Carlo") {
  const lower_bounds::LiftedParity family({6, 2, 0.1});
  const Subset S{1, 4};
  const sq::Matrix zero = sq::Matrix::Zero(6, 1);
  const auto y_times_x = sq::VectorQuery::ridge_times_x(sq::QueryKind::l2, "y x", zero, [](const Vector&, double y) { return y; });
  const auto label = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "y", zero, [](const Vector&, double y) { return y; });
  const auto label_times_x0 = sq::ScalarQuery::ridge_times_linear(
      sq::QueryKind::l2, "y x_1", zero, [](const Vector&, double y) { return y; }, Vector::Unit(6, 1));
  CHECK(family.member_answer(y_times_x, S).isZero(0.0));
  CHECK(family.member_answer(y_times_x, S) == family.member_answer(label_correlation(6), S));  // the typed twin
  CHECK(family.member_answer(label, S) == 0.5);
  CHECK(family.reference_answer(label) == 0.5);
  CHECK(family.member_answer(label_times_x0, S) == 0.0);
  CHECK_NOTHROW(family.check_bound(y_times_x));
  // Monte Carlo under the member: E_S[y x_1] (x_1 in S) and E_S[y], 6 sigma.
  const long n = 400000;
  const auto mc_x = lifted_monte_carlo(family, S, n, 71, [](const Vector& x, double y) { return y * x[1]; });
  CHECK(std::abs(mc_x.mean) <= mc_x.six_sigma());
  const auto mc_y = lifted_monte_carlo(family, S, n, 72, [](const Vector&, double y) { return y; });
  CHECK(std::abs(mc_y.mean - 0.5) <= mc_y.six_sigma());
  // Too large, and a nonzero direction: refused.
  const auto loud = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "3y", zero, [](const Vector&, double y) { return 3 * y; });
  CHECK_THROWS_AS(family.check_bound(loud), sq::QueryRefused);
  sq::Matrix two = sq::Matrix::Zero(6, 2);
  two(1, 0) = two(2, 1) = 1.0;
  const auto tanh_query =
      sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "tanh", two, [](const Vector& z, double y) { return std::tanh(z[0] + z[1]) * y; });
  CHECK_THROWS_WITH_AS(family.member_answer(tanh_query, S), doctest::Contains("answers exactly only"), sq::QueryRefused);
}
