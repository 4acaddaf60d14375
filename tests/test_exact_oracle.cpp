// Every exact-oracle answer against an independent computation: the closed forms of DESIGN.md
// (to 1e-10) and Monte Carlo with a 6-sigma error bar, for each label model and query kind.
#include "monte_carlo.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/relu_closed_forms.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include "subprocess.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <sstream>

using namespace sqsim;

using namespace oracles;
using sq::Matrix;
using sq::QueryKind;
using sq::Vector;

namespace {

ReluWorld make_world(LabelModel labels, Eigen::Index d, double noise, std::uint64_t seed = 7) {
  return ReluWorld(WorldParams{labels, 1.3 * sq::random_unit_vector(d, seed), noise});
}

const LabelModel kAllModels[] = {LabelModel::relu,     LabelModel::noisy_relu, LabelModel::clipped_relu,
                                 LabelModel::agnostic, LabelModel::band,       LabelModel::mirror};

// A direction correlated with the teacher but not parallel to it.
Vector probe_direction(const ReluWorld& world, std::uint64_t seed) {
  return 0.7 * world.teacher() / world.teacher().norm() + 0.6 * sq::random_unit_vector(world.dimension(), seed);
}

}  // namespace

TEST_CASE("closed forms: relu identities of DESIGN.md against the exact oracle's quadrature") {
  const ReluWorld world = make_world(LabelModel::relu, 6, 0.0);
  ExactOracle exact(world);
  const Vector w = probe_direction(world, 11);
  const double nw = w.norm();
  auto ridge = [&](sq::RidgeFunction g) { return sq::ScalarQuery::ridge_query(QueryKind::l2, "identity", Matrix(w), g); };
  CHECK(std::abs(exact.expectation(ridge([](const Vector& z, double) { return queries::relu(z[0]); })) -
                 nw / std::sqrt(2 * std::numbers::pi)) < 1e-12);
  CHECK(std::abs(exact.expectation(ridge([](const Vector& z, double) { return queries::relu(z[0]) * queries::relu(z[0]); })) -
                 nw * nw / 2) < 1e-12);
  const Vector relu_x = exact.expectation(
      sq::VectorQuery::ridge_times_x(QueryKind::l2, "relu x", Matrix(w), [](const Vector& z, double) { return queries::relu(z[0]); }));
  CHECK((relu_x - w / 2).norm() < 1e-12);
  const Vector step_x = exact.expectation(
      sq::VectorQuery::ridge_times_x(QueryKind::l2, "step x", Matrix(w), [](const Vector& z, double) { return z[0] > 0 ? 1.0 : 0.0; }));
  CHECK((step_x - w / nw / std::sqrt(2 * std::numbers::pi)).norm() < 1e-12);
  // Arc-cosine kernel E[y relu(w.x)] with y = relu(v.x).
  const double kernel = exact.expectation(ridge([](const Vector& z, double y) { return y * queries::relu(z[0]); }));
  CHECK(std::abs(kernel - closed_form::relu_kernel(w, world.teacher())) < 1e-12);
}

TEST_CASE("the angle is accurate on both sides of its cancellation switch (sin t = 0.1) and near 0 and pi") {
  // w = 2.5 (cos t a + sin t b) with a, b orthonormal in d = 7: the angle to v = 3a is t up to the
  // rounding of w's entries (~1e-16). The one-pass formula's error is ~ few eps / (2 sin t): at
  // sin t = 0.01 (where it must not be used) ~5e-14, above the 4e-15 asked here.
  const Vector a = sq::random_unit_vector(7, 3);
  Vector b = sq::random_unit_vector(7, 4);
  b = (b - b.dot(a) * a).normalized();
  for (double t : {1e-12, 1e-7, 1e-3, 0.01, 0.0999, 0.1001, 0.2, 0.5, 1.5, std::numbers::pi - 0.1001, std::numbers::pi - 0.0999,
                   std::numbers::pi - 1e-6}) {
    CAPTURE(t);
    const Vector w = 2.5 * (std::cos(t) * a + std::sin(t) * b);
    CHECK(std::abs(closed_form::angle(w, 3.0 * a) - t) <= 4e-15 + 1e-14 * t);
  }
}

TEST_CASE("closed forms: realizable loss and gradient agree with untagged quadrature") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const ReluWorld world = make_world(LabelModel::relu, 5, 0.0, seed);
    ExactOracle exact(world);
    for (const Vector& w :
         {probe_direction(world, seed + 10), Vector(-world.teacher()), Vector(Vector::Zero(5)), Vector(0.5 * world.teacher())}) {
      // closed_forms = false integrates the type's own g; otherwise the oracle uses the closed form.
      const double quadrature = 2.0 * exact.expectation(queries::square_loss(w, 2.0), /*closed_forms=*/false);
      CHECK(std::abs(quadrature - closed_form::realizable_square_loss(w, world.teacher())) < 1e-11);
      CHECK(std::abs(2.0 * exact.expectation(queries::square_loss(w, 2.0)) - closed_form::realizable_square_loss(w, world.teacher())) <
            1e-14);
      const Vector half_gradient = 2.0 * exact.expectation(queries::half_gradient(w, 2.0), /*closed_forms=*/false);
      CHECK((half_gradient - closed_form::realizable_half_gradient(w, world.teacher())).norm() < 1e-11);
      // DESIGN.md: grad L(w) = w - ((pi - th) v + |v| sin th w^)/pi for w != 0.
      if (w.norm() > 0) {
        const double th = closed_form::angle(w, world.teacher());
        const Vector design =
            w - ((std::numbers::pi - th) * world.teacher() + world.teacher().norm() * std::sin(th) * w / w.norm()) / std::numbers::pi;
        CHECK((2.0 * half_gradient - design).norm() < 1e-11);
      }
    }
  }
}

TEST_CASE("every label model x query kind against Monte Carlo (6-sigma bars)") {
  const long n = 400000;
  for (LabelModel model : kAllModels) {
    CAPTURE(to_string(model));
    const ReluWorld world = make_world(model, 4, model == LabelModel::band ? 0.1 : 0.2);
    ExactOracle exact(world);
    const Vector w = probe_direction(world, 5);
    const Matrix W(w);
    struct Case {
      sq::ScalarQuery query;
    };
    std::vector<sq::ScalarQuery> queries{
        queries::square_loss(w, 8.0),
        queries::relu_correlation(w, 2.0),
        sq::ScalarQuery::ridge_query(QueryKind::stat, "tanh", W, [](const Vector& z, double y) { return std::tanh(z[0] - y); }),
        sq::ScalarQuery::ridge_query(QueryKind::vstat, "threshold", W, [](const Vector& z, double) { return z[0] > 0.4 ? 1.0 : 0.0; },
                                     {sq::Breakpoint{0, 0.4}}),
        sq::ScalarQuery::correlational("sign correlation", W, [](const Vector& z) { return z[0] > 0 ? 1.0 : -1.0; }),
        sq::ScalarQuery::ridge_times_linear(
            QueryKind::l2, "gradient coordinate", W,
            [](const Vector& z, double y) { return (queries::relu(z[0]) - y) * queries::relu_derivative(z[0]) / 4; }, Vector::Unit(4, 2))};
    std::uint64_t seed = 100;
    for (const sq::ScalarQuery& q : queries) {
      CAPTURE(q.name());
      const double value = exact.expectation(q);
      const auto mc = testing::monte_carlo(world, n, ++seed, [&](const Vector& x, double y) { return q.evaluate(x, y); });
      CHECK(std::abs(value - mc.mean) <= mc.six_sigma());
    }
    // The vector queries (the approximation algorithms' included), coordinate by coordinate.
    for (const sq::VectorQuery& vector_query : {queries::half_gradient(w, 4.0), queries::surrogate_gradient(w, 2.0),
                                                queries::label_correlation(4), queries::thresholded_label_correlation(4, 0.35)}) {
      CAPTURE(vector_query.name());
      const Vector value = exact.expectation(vector_query);
      for (Eigen::Index i = 0; i < 4; ++i) {
        const auto mc = testing::monte_carlo(world, n, ++seed, [&](const Vector& x, double y) {
          Vector out(4);
          vector_query.evaluate(x, y, out);
          return out[i];
        });
        CHECK(std::abs(value[i] - mc.mean) <= mc.six_sigma());
      }
    }
  }
}

TEST_CASE("reference distribution D0: labels independent of x, same marginals") {
  for (LabelModel model : kAllModels) {
    CAPTURE(to_string(model));
    const ReluWorld world = make_world(model, 3, model == LabelModel::band ? 0.12 : 0.25);
    ExactOracle exact(world);
    const Vector w = probe_direction(world, 9);
    const sq::ScalarQuery q = sq::ScalarQuery::ridge_query(QueryKind::l2, "product", Matrix(w),
                                                           [](const Vector& z, double y) { return y * queries::relu(z[0]) - 0.3 * y * y; });
    // D0 by Monte Carlo: x from one sample, y from an independent one.
    sq::Engine engine(77);
    Vector x(3), x_other(3);
    const long n = 400000;
    double sum = 0, sum_sq = 0;
    for (long i = 0; i < n; ++i) {
      draw_sample(world, engine, x);
      const double y = draw_sample(world, engine, x_other);
      const double value = q.evaluate(x, y);
      sum += value;
      sum_sq += value * value;
    }
    const double mean = sum / n, se = std::sqrt((sum_sq / n - mean * mean) / n);
    CHECK(std::abs(exact.reference_expectation(q) - mean) <= 6 * se);
    // And the declared L2 norm E_D0[q^2], from the same draws' second moment (looser: 4th moments).
    CHECK(exact.reference_second_moment(q) == doctest::Approx(sum_sq / n).epsilon(0.02));
  }
}

TEST_CASE("queries the exact oracle refuses, each with a message naming it") {
  const ReluWorld world = make_world(LabelModel::relu, 5, 0.0);
  ExactOracle exact(world);
  const Vector w = probe_direction(world, 3);
  auto refused = [&](auto&& query, const std::string& fragment) {
    try {
      exact.answer(query, 0.01);
      FAIL("query was answered");
    } catch (const sq::QueryRefused& e) {
      CHECK(std::string(e.what()).find(fragment) != std::string::npos);
      CHECK(std::string(e.what()).find(query.name()) != std::string::npos);
    }
  };
  refused(sq::ScalarQuery::black_box(QueryKind::stat, "opaque", [](const Vector&, double) { return 0.0; }), "not a ridge query");
  refused(sq::ScalarQuery::ridge_query(QueryKind::stat, "too big", Matrix(w), [](const Vector& z, double) { return 2 * std::tanh(z[0]); }),
          "> 1");
  refused(
      sq::ScalarQuery::ridge_query(QueryKind::vstat, "negative", Matrix(w), [](const Vector& z, double) { return z[0] > 0 ? -0.5 : 0.5; }),
      "outside [0, 1]");
  refused(sq::ScalarQuery::correlational("wide h", Matrix(w), [](const Vector& z) { return 3 * std::tanh(z[0]); }), "|h|");
  refused(queries::square_loss(w, 0.1), "E_D0[q^2]");
  refused(queries::half_gradient(5 * w, 0.2), "E_D0[q_i^2]");
  Matrix two(5, 2);
  two << w, sq::random_unit_vector(5, 99);
  refused(
      sq::ScalarQuery::ridge_query(QueryKind::l2, "two directions", two, [](const Vector& z, double) { return std::tanh(z[0] * z[1]); }),
      "span 3");
}

TEST_CASE("perturbation policies stay within tolerance and move as documented") {
  const ReluWorld world = make_world(LabelModel::relu, 8, 0.0);
  const Vector w = probe_direction(world, 21);
  const sq::VectorQuery gradient = queries::half_gradient(w, 2.0);
  const sq::ScalarQuery loss = queries::square_loss(w, 4.0);
  ExactOracle truthful(world);
  const Vector truth = truthful.expectation(gradient);
  const Vector reference = truthful.reference_expectation(gradient);
  const double tau = 0.01;
  for (Perturbation policy : {Perturbation::truthful, Perturbation::uniform, Perturbation::worst_case, Perturbation::vstat}) {
    CAPTURE(to_string(policy));
    ExactOracle oracle(world, {policy, 5});
    for (int trial = 0; trial < 50; ++trial) {
      const sq::VectorAnswer a = oracle.answer(gradient, tau);
      CHECK((a.value - truth).norm() <= tau * (1 + 1e-12));
      CHECK(((a.value_is_true ? a.value : *a.true_value) - truth).norm() < 1e-14);
      const sq::ScalarAnswer s = oracle.answer(loss, tau);
      CHECK(std::abs(s.value - *s.true_value) <= tau * (1 + 1e-12));
    }
  }
  ExactOracle worst(world, {Perturbation::worst_case, 1});
  const Vector moved = worst.answer(gradient, tau).value;
  CHECK((moved - truth).norm() == doctest::Approx(tau));
  CHECK((moved - truth).dot(reference - truth) == doctest::Approx(tau * (reference - truth).norm()));
  // Same seed, same answers.
  ExactOracle a(world, {Perturbation::uniform, 42}), b(world, {Perturbation::uniform, 42});
  CHECK(a.answer(gradient, tau).value == b.answer(gradient, tau).value);
  // VSTAT width: for p = E[1{w.x > 0}] = 1/2 and tau = 0.01 the allowed error is sqrt(p(1-p) tau) = 0.05.
  CHECK(allowed_error(QueryKind::vstat, 0.5, 0.01) == doctest::Approx(0.05));
  CHECK(allowed_error(QueryKind::vstat, 0.0, 0.01) == doctest::Approx(0.01));
}

TEST_CASE("population: opt for each label model") {
  {
    const ReluWorld noisy = make_world(LabelModel::noisy_relu, 5, 0.3);
    Population population(noisy);
    CHECK(*population.opt() == doctest::Approx(0.09).epsilon(1e-10));
    CHECK(population.gradient(noisy.teacher()).norm() < 1e-12);
  }
  for (LabelModel model : {LabelModel::clipped_relu, LabelModel::agnostic, LabelModel::band, LabelModel::mirror}) {
    CAPTURE(to_string(model));
    const ReluWorld world = make_world(model, 5, model == LabelModel::band ? 0.1 : 0.2);
    Population population(world);
    const double opt = *population.opt();
    CHECK(std::abs(population.loss(population.optimum()) - opt) < 1e-10);
    CHECK(population.gradient(population.optimum()).norm() < 1e-7);
    CHECK(opt <= population.loss(world.teacher()));
    for (std::uint64_t seed = 1; seed <= 20; ++seed)
      CHECK(opt <= population.loss(population.optimum() + 0.3 * sq::random_unit_vector(5, seed)) + 1e-12);
    CHECK(opt > 0.0);
  }
}

namespace {
// Runs tests/reference/relu_world_loss.py (Debian's python3 with scipy: adaptive quadrature) with
// MODEL NOISE VNORM and the given arguments (no shell).
double run_reference(LabelModel model, double noise, double vnorm, const std::vector<std::string>& arguments) {
  auto number = [](double x) {
    std::ostringstream s;
    s.precision(17);
    s << x;
    return s.str();
  };
  std::vector<std::string> words{std::string(SQSIM_TEST_SOURCE_DIR) + "/reference/relu_world_loss.py", std::string(to_string(model)),
                                 number(noise), number(vnorm)};
  words.insert(words.end(), arguments.begin(), arguments.end());
  const testing::ProcessOutcome o = testing::run_process(SQSIM_REFERENCE_PYTHON, words);
  REQUIRE_MESSAGE(o.exit_code == 0, "reference failed: " << o.err);
  return std::stod(o.out);
}
double scipy_reference_loss(LabelModel model, double noise, double vnorm, double a, double b) {
  std::ostringstream first, second;
  first.precision(17);
  second.precision(17);
  first << a;
  second << b;
  return run_reference(model, noise, vnorm, {first.str(), second.str()});
}
}  // namespace

TEST_CASE("every label model: exact loss within 1e-9 of scipy's nested adaptive quadrature") {
  const double vnorm = 1.3;
  for (LabelModel model : kAllModels) {
    CAPTURE(to_string(model));
    const double noise = model == LabelModel::relu ? 0.0 : model == LabelModel::band ? 0.1 : 0.2;
    const Vector v = Vector::Unit(3, 0) * vnorm;
    const ReluWorld world(WorldParams{model, v, noise});
    ExactOracle exact(world);
    for (auto [a, b] : {std::pair{0.8, 0.5}, std::pair{-0.3, 1.1}, std::pair{1.5, 0.0}, std::pair{0.0, 0.7}}) {
      CAPTURE(a);
      CAPTURE(b);
      const Vector w = a * Vector::Unit(3, 0) + b * Vector::Unit(3, 1);
      // The tagged query uses the closed form where one exists; the untagged one is integrated.
      const double reference = scipy_reference_loss(model, noise, vnorm, a, b);
      CHECK(std::abs(exact.expectation(queries::square_loss(w)) - reference) <= 1e-9);
      CHECK(std::abs(2.0 * exact.expectation(queries::square_loss(w, 2.0), /*closed_forms=*/false) - reference) <= 1e-9);
    }
  }
}

TEST_CASE("every label model: the thresholded labels' Chow vector within 1e-9 of scipy, and where the label crosses t") {
  const double vnorm = 1.3;
  for (LabelModel model : kAllModels) {
    CAPTURE(to_string(model));
    const double noise = model == LabelModel::relu ? 0.0 : model == LabelModel::band ? 0.1 : 0.2;
    const ReluWorld world(WorldParams{model, Vector::Unit(3, 0) * vnorm, noise});
    ExactOracle exact(world);
    for (double t : {0.05, 0.35, 0.9, 1.5}) {
      CAPTURE(t);
      // label_crossings: the label equals t there, and a fine scan finds no other sign change away from
      // the breakpoints (a jump across t happens at a breakpoint, already a split of the quadrature).
      for (int branch = 0; branch < world.branch_count(); ++branch) {
        const std::vector<double> crossings = world.label_crossings(branch, t), breakpoints = world.label_breakpoints(branch);
        for (double u : crossings) CHECK(std::abs(world.label(u, branch) - t) <= 1e-9);
        int changes = 0;
        for (double u = -12.0; u < 12.0; u += 1e-3) {
          const bool jump = std::any_of(breakpoints.begin(), breakpoints.end(), [&](double b) { return b >= u && b <= u + 1e-3; });
          if (!jump && (world.label(u, branch) - t) * (world.label(u + 1e-3, branch) - t) < 0.0) ++changes;
        }
        CHECK(changes == static_cast<int>(crossings.size()));
      }
      const Vector chow = exact.expectation(queries::thresholded_label_correlation(3, t));
      CHECK(std::abs(chow[0] - run_reference(model, noise, vnorm, {"--chow", std::to_string(t)})) <= 1e-9);
      CHECK(std::abs(chow[1]) <= 1e-12);
      CHECK(std::abs(chow[2]) <= 1e-12);
    }
    if (model == LabelModel::relu) {  // and the closed form 2 phi(t/|v|) v^ of the realizable world
      const double t = 0.35;
      CHECK(std::abs(exact.expectation(queries::thresholded_label_correlation(3, t))[0] -
                     2.0 * std::exp(-0.5 * std::pow(t / vnorm, 2)) / std::sqrt(2.0 * M_PI)) <= 1e-12);
    }
  }
}
