// The sample oracle keeps its promise: the error exceeds tau in at most a delta fraction of
// seeded trials (checked against a binomial tail bound), its answers do not depend on the thread
// count, and data sets load or fail with a message naming the line.
#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>
#include <boost/math/distributions/binomial.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace sqsim;

using namespace oracles;
using sq::Matrix;
using sq::QueryKind;
using sq::Vector;

namespace {

ReluWorld small_world(LabelModel model = LabelModel::clipped_relu) {
  return ReluWorld(WorldParams{model, sq::random_unit_vector(3, 4), 0.2});
}

// Largest failure count whose probability under Binomial(trials, delta) is not below 1e-6: if the
// oracle fails with probability <= delta per query, exceeding it has probability < 1e-6.
long failure_ceiling(long trials, double delta) {
  const boost::math::binomial binomial(static_cast<double>(trials), delta);
  return static_cast<long>(boost::math::quantile(boost::math::complement(binomial, 1e-6)));
}

template <class Query, class Distance>
long count_failures(const ReluWorld& world, const Query& query, double tau, double delta, long trials, Distance distance) {
  ExactOracle exact(world);
  const auto truth = exact.expectation(query);
  SampleOracle oracle(world, SampleOracleParams{delta, 2024, 0});
  long failures = 0;
  for (long i = 0; i < trials; ++i)
    if (distance(oracle.answer(query, tau).value, truth) > tau) ++failures;
  return failures;
}

double scalar_distance(double a, double b) { return std::abs(a - b); }

}  // namespace

TEST_CASE("sample sizes follow the stated bounds") {
  const SamplePlan stat = plan_samples(QueryKind::stat, 0.1, 0.05);
  CHECK(stat.total() == static_cast<std::int64_t>(std::ceil(2 * std::log(2 / 0.05) / 0.01)));
  const SamplePlan l2 = plan_samples(QueryKind::l2, 0.1, 0.05);
  CHECK(l2.groups == 1);  // Chebyshev is cheaper at delta = 0.05
  CHECK(l2.total() == 2000);
  const SamplePlan l2_small_delta = plan_samples(QueryKind::l2, 0.1, 1e-4);
  CHECK(l2_small_delta.groups == 75);  // odd >= 8 ln(1e4) = 73.7
  CHECK(l2_small_delta.samples_per_group == 400);
  const SamplePlan vstat = plan_samples(QueryKind::vstat, 0.01, 0.05);
  CHECK(vstat.total() == static_cast<std::int64_t>(std::ceil(8 * 100 * std::log(2 / 0.05))));
}

TEST_CASE("STAT queries: error > tau in at most a delta fraction of 1000 trials") {
  const ReluWorld world = small_world();
  const Vector w = 0.8 * sq::random_unit_vector(3, 8);
  const auto query =
      sq::ScalarQuery::ridge_query(QueryKind::stat, "tanh", Matrix(w), [](const Vector& z, double y) { return std::tanh(2 * z[0] - y); });
  const long failures = count_failures(world, query, 0.05, 0.05, 1000, scalar_distance);
  MESSAGE("STAT failures: " << failures << " of 1000 (ceiling " << failure_ceiling(1000, 0.05) << ")");
  CHECK(failures <= failure_ceiling(1000, 0.05));
}

TEST_CASE("L2 queries, Chebyshev and median-of-means: error > tau in at most a delta fraction") {
  const ReluWorld world = small_world(LabelModel::noisy_relu);
  const Vector w = 0.8 * sq::random_unit_vector(3, 8);
  const auto query = queries::square_loss(w, 4.0);
  for (double delta : {0.05, 0.001}) {
    CAPTURE(delta);
    const long failures = count_failures(world, query, 0.05, delta, 1000, scalar_distance);
    CHECK(failures <= failure_ceiling(1000, delta));
  }
}

TEST_CASE("vector queries: l2 error > tau in at most a delta fraction") {
  const ReluWorld world = small_world(LabelModel::relu);
  const Vector w = 0.8 * sq::random_unit_vector(3, 8);
  const auto query = queries::half_gradient(w);
  const long failures = count_failures(world, query, 0.1, 0.05, 1000, [](const Vector& a, const Vector& b) { return (a - b).norm(); });
  CHECK(failures <= failure_ceiling(1000, 0.05));
}

TEST_CASE("10^4 seeded queries of every kind and norm: the fraction with error > tau stays within delta's binomial ceiling") {
  // VSTAT: the allowed error is max(tau, sqrt(p (1 - p) tau)) around the true p.
  const ReluWorld world = small_world(LabelModel::noisy_relu);
  const Vector w = 0.8 * sq::random_unit_vector(3, 8);
  const Matrix W(w);
  const long trials = 10000;
  const double delta = 0.1;
  const std::vector<std::pair<sq::ScalarQuery, double>> scalars{
      {sq::ScalarQuery::ridge_query(QueryKind::stat, "tanh", W, [](const Vector& z, double y) { return std::tanh(2 * z[0] - y); }), 0.2},
      {sq::ScalarQuery::ridge_query(QueryKind::vstat, "threshold", W, [](const Vector& z, double) { return z[0] > 0.3 ? 1.0 : 0.0; },
                                    {sq::Breakpoint{0, 0.3}}),
       0.02},
      {queries::square_loss(w, 4.0), 0.2},
      {sq::ScalarQuery::correlational("sign", W, [](const Vector& z) { return z[0] > 0 ? 1.0 : -1.0; }), 0.2}};
  for (const auto& [query, tau] : scalars) {
    CAPTURE(query.label());
    const double truth = ExactOracle(world).expectation(query);
    const double allowed = query.kind() == QueryKind::vstat ? std::max(tau, std::sqrt(truth * (1 - truth) * tau)) : tau;
    const long failures =
        count_failures(world, query, tau, delta, trials, [&](double a, double b) { return std::abs(a - b) * tau / allowed; });
    MESSAGE(query.label() << ": " << failures << " of " << trials << " beyond tau (ceiling " << failure_ceiling(trials, delta) << ")");
    CHECK(failures <= failure_ceiling(trials, delta));
  }
  for (sq::VectorNorm norm : {sq::VectorNorm::l2, sq::VectorNorm::linf}) {
    CAPTURE(sq::to_string(norm));
    const auto query = queries::half_gradient(w, 2.0, norm);
    const long failures = count_failures(world, query, 0.25, delta, trials, [&](const Vector& a, const Vector& b) {
      return norm == sq::VectorNorm::l2 ? (a - b).norm() : (a - b).cwiseAbs().maxCoeff();
    });
    MESSAGE("vector " << sq::to_string(norm) << ": " << failures << " of " << trials);
    CHECK(failures <= failure_ceiling(trials, delta));
  }
}

TEST_CASE("the trial count can catch a short sample: a quarter of Hoeffding's m fails") {
  // A +-1 query with mean 0 makes Hoeffding nearly tight: with m samples P(|mean| > tau) ~ 0.007
  // at delta = 0.05, with m/4 (asked at 2 tau, judged at tau) ~ 0.17, far above the ceiling.
  const ReluWorld world = small_world();
  const auto sign = sq::ScalarQuery::black_box(QueryKind::stat, "sign", [](const Vector& x, double) { return x[0] > 0 ? 1.0 : -1.0; });
  SampleOracle oracle(world, SampleOracleParams{0.05, 99, 0});
  const double tau = 0.05;
  long honest = 0, short_sample = 0;
  for (int i = 0; i < 1000; ++i) {
    honest += std::abs(oracle.answer(sign, tau).value) > tau;
    short_sample += std::abs(oracle.answer(sign, 2 * tau).value) > tau;
  }
  CHECK(honest <= failure_ceiling(1000, 0.05));
  CHECK(short_sample > failure_ceiling(1000, 0.05));
}

TEST_CASE("answers are identical whatever the thread count") {
  const ReluWorld world = small_world();
  const Vector w = 0.8 * sq::random_unit_vector(3, 8);
  SampleOracle one(world, SampleOracleParams{0.01, 5, 1}), two(world, SampleOracleParams{0.01, 5, 2}),
      three(world, SampleOracleParams{0.01, 5, 3});
  for (int i = 0; i < 3; ++i) {
    const auto q = queries::half_gradient(w);
    const Vector a = one.answer(q, 0.05).value, b = two.answer(q, 0.05).value, c = three.answer(q, 0.05).value;
    CHECK(a == b);
    CHECK(a == c);
  }
  SampleOracle other_seed(world, SampleOracleParams{0.01, 6, 2});
  CHECK(other_seed.answer(queries::square_loss(w, 4.0), 0.05).value !=
        SampleOracle(world, SampleOracleParams{0.01, 5, 2}).answer(queries::square_loss(w, 4.0), 0.05).value);
}

TEST_CASE("pool mode answers the mean over the fixed data set") {
  const ReluWorld world = small_world();
  Dataset data = draw_dataset(world, 10000, 3);
  const Vector w = 0.8 * sq::random_unit_vector(3, 8);
  const auto q = queries::square_loss(w, 4.0);
  double mean = 0;
  for (Eigen::Index i = 0; i < data.size(); ++i) mean += q.evaluate(data.X.col(i), data.y[i]);
  mean /= static_cast<double>(data.size());
  SampleOracle pool(data, SampleOracleParams{0.01, 1, 2});
  CHECK(pool.answer(q, 0.1).value == doctest::Approx(mean).epsilon(1e-12));
  CHECK(pool.answer(q, 0.001).value == pool.answer(q, 0.1).value);  // the same data whatever tau
}

TEST_CASE("STAT bound violated on a sample is refused") {
  const ReluWorld world = small_world();
  SampleOracle oracle(world, SampleOracleParams{});
  const auto q = sq::ScalarQuery::black_box(QueryKind::stat, "unbounded", [](const Vector& x, double) { return x[0]; });
  CHECK_THROWS_WITH_AS(oracle.answer(q, 0.1), doctest::Contains("'unbounded' (stat) took the value"), sq::QueryRefused);
}

// The pilot refuses when its mean exceeds 1 by three standard errors: for q = c x_0 (E_D0[q^2] = c^2,
// Var(q^2) = 2 c^4) over 4096 samples the standard error is c^2 sqrt(2/4096) = 0.022 c^2. So c^2 = 50
// (50 +- 1.1) is refused, c^2 = 1 (the bound, 1 +- 0.022) passes unless the pilot errs by 3 of them,
// and c^2 = 0.8 passes. Seeded: each case is one draw, the same on every run.
TEST_CASE("L2 bound checked: a query with E_D0[q^2] = 50 is refused by a pilot of D0, one at the bound answered") {
  const ReluWorld world = small_world();
  const auto scaled = [](double c) {
    return sq::ScalarQuery::black_box(QueryKind::l2, "c_x0", [c](const Vector& x, double) { return c * x[0]; });
  };
  for (std::uint64_t seed : {1, 2, 3}) {
    SampleOracle oracle(world, SampleOracleParams{0.01, seed, 1});
    CHECK_THROWS_WITH_AS(oracle.answer(scaled(std::sqrt(50.0)), 0.1), doctest::Contains("'c_x0' (l2) has E_D0[q^2] = "), sq::QueryRefused);
    CHECK(std::abs(oracle.answer(scaled(1.0), 0.1).value) <= 0.1);
    CHECK(std::abs(oracle.answer(scaled(std::sqrt(0.8)), 0.1).value) <= 0.1);
  }
  // A vector query: one coordinate over the bound is enough; the data set's pool too.
  SampleOracle oracle(world, SampleOracleParams{0.01, 4, 1});
  const auto loud = sq::VectorQuery::black_box(QueryKind::l2, "loud_coordinate", 3, [](const Vector& x, double, Eigen::Ref<Vector> out) {
    out = x;
    out[2] *= 7.0;
  });
  CHECK_THROWS_WITH_AS(oracle.answer(loud, 0.1), doctest::Contains("has a coordinate with E_D0[q^2] = "), sq::QueryRefused);
  SampleOracle pool(draw_dataset(world, 5000, 3), SampleOracleParams{0.01, 1, 1});
  CHECK_THROWS_AS(pool.answer(scaled(std::sqrt(50.0)), 0.1), sq::QueryRefused);
  CHECK_NOTHROW(pool.answer(scaled(1.0), 0.1));
}

TEST_CASE("CSV data sets: good rows load, bad rows are refused naming the line") {
  const auto dir = std::filesystem::temp_directory_path() / "sqsim_csv_test";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const Dataset good = load_csv(write("good.csv", "# x1,x2,y\n0.5, -1, 0.25\n\n1e-3,2,1\n"));
  CHECK(good.dimension() == 2);
  CHECK(good.size() == 2);
  CHECK(good.X(1, 0) == -1.0);
  CHECK(good.y[1] == 1.0);
  CHECK_THROWS_WITH_AS(load_csv(write("ragged.csv", "1,2,0.5\n1,0.5\n")), doctest::Contains("line 2: has 2 fields"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_csv(write("text.csv", "1,2,0.5\n1,abc,0.5\n")), doctest::Contains("line 2: field 2 'abc' is not a number"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_csv(write("nan.csv", "1,nan,0.5\n")), doctest::Contains("line 1: field 2 is nan, not finite"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_csv(write("inf.csv", "1,2,0.5\n\n1,2,inf\n")), doctest::Contains("line 3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_csv(write("range.csv", "1,2,1.5\n")), doctest::Contains("line 1: label 1.5 is outside [0, 1]"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_csv((dir / "missing.csv").string()), doctest::Contains("cannot open"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_csv(write("empty.csv", "# nothing\n")), doctest::Contains("no data rows"), std::invalid_argument);
  std::filesystem::remove_all(dir);
}
