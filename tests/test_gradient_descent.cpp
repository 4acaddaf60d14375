// SQ gradient descent through the oracle only: convergence on a realizable teacher, error that
// scales with the tolerance, and the same run for the same seed.
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>

using namespace sqsim;

using namespace oracles;
using algorithms::GradientDescent;
using algorithms::GradientDescentParams;
using sq::Vector;

TEST_CASE("d = 100, truthful exact oracle at tau = 1e-6: |w - v| <= 1e-4") {
  const ReluWorld world(WorldParams{LabelModel::relu, sq::random_unit_vector(100, 17), 0.0});
  ExactOracle oracle(world);
  for (auto mode : {algorithms::GradientMode::vector, algorithms::GradientMode::coordinates}) {
    GradientDescentParams params;
    params.tolerance = 1e-6;
    params.mode = mode;
    GradientDescent gd(params);
    Population population(world);
    const sq::RunResult result = sq::run(gd, oracle, {}, &population);
    REQUIRE(result.w);
    MESSAGE("mode " << to_string(mode) << ": |w - v| = " << (*result.w - world.teacher()).norm() << " after "
                    << result.spent.scalar_equivalent << " scalar-equivalent queries");
    CHECK((*result.w - world.teacher()).norm() <= 1e-4);
    CHECK(*result.loss <= 1e-8);
  }
}

TEST_CASE("from a random start GD still converges (the basin of Soltanolkotabi's analysis)") {
  const ReluWorld world(WorldParams{LabelModel::relu, sq::random_unit_vector(20, 3), 0.0});
  ExactOracle oracle(world);
  GradientDescentParams params;
  params.tolerance = 1e-8;
  params.init = algorithms::Initialization::random;
  params.init_scale = 0.5;
  params.seed = 4;
  params.step_size = 0.5;
  params.max_iterations = 500;
  GradientDescent gd(params);
  const sq::RunResult result = sq::run(gd, oracle);
  CHECK((*result.w - world.teacher()).norm() <= 1e-6);
}

TEST_CASE("with a uniform +-tau oracle the final error scales with tau") {
  const ReluWorld world(WorldParams{LabelModel::relu, sq::random_unit_vector(30, 5), 0.0});
  std::vector<double> errors;
  for (double tau : {1e-2, 1e-3, 1e-4}) {
    double worst = 0.0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      ExactOracle oracle(world, {Perturbation::uniform, seed});
      GradientDescentParams params;
      params.tolerance = tau;
      params.max_iterations = 50;
      params.stop_threshold = 1e-300;  // run all iterations: measure the noise floor, not the stop rule
      GradientDescent gd(params);
      worst = std::max(worst, (*sq::run(gd, oracle).w - world.teacher()).norm());
    }
    MESSAGE("tau = " << tau << ": worst |w - v| over 5 seeds = " << worst);
    // Near v the map w -> w - grad F(w) contracts (its Jacobian is ~0 at the teacher for step 1),
    // so each answer's error 2 tau moves w by at most ~2 tau and errors do not accumulate.
    CHECK(worst <= 4 * tau);
    errors.push_back(worst);
  }
  // ... and it is not zero: the error is the oracle's, of order tau.
  CHECK(errors[0] >= 0.1 * 1e-2);
  CHECK(errors[2] >= 0.1 * 1e-4);
}

TEST_CASE("GD on a sample oracle: same seed gives the same run with 1 and 2 threads") {
  const ReluWorld world(WorldParams{LabelModel::relu, sq::random_unit_vector(5, 2), 0.0});
  GradientDescentParams params;
  params.tolerance = 0.05;
  params.max_iterations = 5;
  std::vector<Vector> finals;
  for (int threads : {1, 2}) {
    SampleOracle oracle(world, SampleOracleParams{0.05, 11, threads});
    GradientDescent gd(params);
    finals.push_back(*sq::run(gd, oracle).w);
  }
  CHECK(finals[0] == finals[1]);
  CHECK((finals[0] - world.teacher()).norm() <= 0.5);
}

TEST_CASE("parameters are validated naming the parameter") {
  GradientDescentParams params;
  params.tolerance = -1;
  CHECK_THROWS_WITH_AS(GradientDescent{params}, doctest::Contains("tolerance = -1"), std::invalid_argument);
  params = {};
  params.max_iterations = 0;
  CHECK_THROWS_WITH_AS(GradientDescent{params}, doctest::Contains("max_iterations = 0"), std::invalid_argument);
  params = {};
  params.radius = 0;
  CHECK_THROWS_WITH_AS(GradientDescent{params}, doctest::Contains("radius = 0"), std::invalid_argument);
}

TEST_CASE("projection keeps |w| <= R") {
  const ReluWorld world(WorldParams{LabelModel::relu, 3.0 * sq::random_unit_vector(4, 2), 0.0});
  ExactOracle oracle(world);
  GradientDescentParams params;
  params.radius = 1.0;
  params.query_scale = 4.0;
  GradientDescent gd(params);
  const Vector w = *sq::run(gd, oracle).w;
  CHECK(w.norm() <= 1.0 + 1e-12);
  CHECK((w - world.teacher() / 3.0).norm() < 1e-3);  // the projection of the teacher's direction
}
