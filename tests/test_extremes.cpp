// Extreme but legal inputs: d = 1 and d = 10^5, the largest parity order k = 16 at d = 16,
// tolerances at 1e-12 and 1e300, w = 0 for every typed query, and a teacher with one huge
// coordinate. Each gives a finite, correct answer or a clean refusal, never a crash or nonsense.
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/label_correlation.hpp"
#include "sqsim/lower_bounds/hard_instance.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/relu_closed_forms.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

using namespace sqsim;

using sq::Vector;

TEST_CASE("GD with the exact oracle at d = 1 and d = 10^5 reaches the teacher") {
  for (Eigen::Index d : {Eigen::Index{1}, Eigen::Index{100000}}) {
    CAPTURE(d);
    const oracles::ReluWorld world({oracles::LabelModel::relu, sq::random_unit_vector(d, 3), 0.0});
    oracles::ExactOracle exact(world);
    const oracles::Population population(world);
    algorithms::GradientDescentParams params;
    params.tolerance = 1e-9;
    algorithms::GradientDescent gd(params);
    const sq::RunResult r = sq::run(gd, exact, {}, &population);
    CHECK(r.status == sq::RunStatus::completed);
    CHECK((*r.w - world.teacher()).norm() < 1e-6);
  }
}

TEST_CASE("k = 16 at d = 16: one member, rho_16 as documented, and a certified run") {
  const auto family = lower_bounds::LiftedParity::make({16, 16, 0.0});
  CHECK(family->size() == 1);
  CHECK(family->facts().rho == doctest::Approx(1.1524e-5).epsilon(1e-3));
  CHECK(family->facts().gap > 0.0);
  algorithms::LabelCorrelation algorithm({1e-7, 1.0});
  lower_bounds::HardInstanceParams params;
  params.tolerance = 0.25 * family->facts().gap;
  const auto result = lower_bounds::run_hard_instance(algorithm, family, params);
  CHECK(result.run.status == sq::RunStatus::completed);
  CHECK(result.certified);
  CHECK(result.loss >= family->facts().optS + result.certified_excess);
}

TEST_CASE("tolerances at 1e-12 and 1e300 give finite answers within them") {
  const oracles::ReluWorld world({oracles::LabelModel::noisy_relu, sq::random_unit_vector(4, 2), 0.1});
  for (double tau : {1e-12, 1e300}) {
    CAPTURE(tau);
    oracles::ExactOracle uniform(world, {oracles::Perturbation::uniform, 4});
    const Vector w = 0.3 * sq::random_unit_vector(4, 5);
    const double truth = oracles::ExactOracle(world).expectation(queries::square_loss(w, 2.0));
    const double answer = uniform.answer(queries::square_loss(w, 2.0), tau).value;
    CHECK(std::isfinite(answer));
    CHECK(std::abs(answer - truth) <= tau);
  }
}

TEST_CASE("w = 0: every typed query is answered by the exact oracle and the lifted parity, with the known values") {
  const Vector v = sq::random_unit_vector(5, 6), zero = Vector::Zero(5);
  const oracles::ReluWorld world({oracles::LabelModel::relu, v, 0.0});
  const oracles::ExactOracle exact(world);
  CHECK(exact.expectation(queries::square_loss(zero)) == doctest::Approx(0.5));          // E[relu(v.x)^2] = 1/2
  CHECK((exact.expectation(queries::half_gradient(zero)) + v / 4).norm() < 1e-15);       // -E[y x]/2 = -v/4
  CHECK((exact.expectation(queries::surrogate_gradient(zero)) + v / 2).norm() < 1e-15);  // -E[y x]
  CHECK(exact.expectation(queries::relu_correlation(zero)) == 0.0);
  CHECK(exact.expectation(queries::threshold_correlation(zero, -1.0)) ==
        doctest::Approx(1 / std::sqrt(2 * std::numbers::pi)));  // E[y], z = 0 > -1
  const lower_bounds::LiftedParity family({5, 2, 0.0});
  const queries::Subset s{1, 3};
  for (const sq::ScalarQuery& q : {queries::square_loss(zero, 2.0), queries::half_gradient_coordinate(zero, 1, 2.0),
                                   queries::relu_correlation(zero), queries::threshold_correlation(zero, 0.5)}) {
    CAPTURE(q.name());
    CHECK(family.member_answer(q, s) == family.reference_answer(q));  // nothing at w = 0 sees the parity
  }
  CHECK((family.member_answer(queries::half_gradient(zero, 2.0), s) - family.reference_answer(queries::half_gradient(zero, 2.0))).norm() ==
        0.0);
}

TEST_CASE("a teacher with one huge coordinate: closed forms without cancellation, opt exactly 0, and a clean refusal") {
  Vector v(2);
  v << 1e150, 1.0;
  const oracles::ReluWorld world({oracles::LabelModel::relu, v, 0.0});
  CHECK(oracles::closed_form::realizable_square_loss(v, v) == 0.0);
  CHECK(oracles::closed_form::realizable_half_gradient(v, v).norm() == 0.0);
  const oracles::Population population(world);
  CHECK(*population.opt() == 0.0);
  // The default GD assumes E[y^2] <= 1: its first query breaks its declared bound and is refused, cleanly.
  oracles::ExactOracle exact(world);
  algorithms::GradientDescent gd(algorithms::GradientDescentParams{});
  const sq::RunResult refused = sq::run(gd, exact, {}, &population);
  CHECK(refused.status == sq::RunStatus::refused);
  CHECK(refused.message.find("E_D0[q_i^2]") != std::string::npos);
  // Told the label's second moment, it scales its queries and learns the teacher.
  algorithms::GradientDescentParams told;
  told.label_second_moment = 1e300;
  algorithms::GradientDescent scaled(told);
  const sq::RunResult learned = sq::run(scaled, exact, {}, &population);
  CHECK(learned.status == sq::RunStatus::completed);
  CHECK(*learned.loss == 0.0);
}
