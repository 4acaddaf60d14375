// sq's one-pass kernels (sq/vector_sums.hpp) against long-double references, the finiteness check
// on both of its paths, and the typed queries' lazily built ridge forms.
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/query.hpp"
#include "sqsim/sq/random.hpp"
#include "sqsim/sq/vector_sums.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

using namespace sqsim;

using sq::Vector;

namespace {

// Higham's gamma_n = n u / (1 - n u): a recursive or blocked sum of n terms is within gamma_n * sum |terms|.
double gamma(Eigen::Index n) {
  const double u = std::numeric_limits<double>::epsilon() / 2;
  return static_cast<double>(n + 1) * u / (1.0 - static_cast<double>(n + 1) * u);
}

Vector random_vector(Eigen::Index n, std::uint64_t seed) {
  return n == 0 ? Vector() : Vector(3.0 * sq::random_unit_vector(n, seed) * std::sqrt(static_cast<double>(n)));
}

}  // namespace

TEST_CASE("the one-pass sums equal long-double sums within gamma_n, at every length around the kernels' 8-wide steps") {
  for (Eigen::Index n : {0, 1, 3, 7, 8, 9, 15, 16, 17, 1000, 1003, 10007}) {
    CAPTURE(n);
    const Vector w = random_vector(n, 11 + static_cast<std::uint64_t>(n)), v = random_vector(n, 97 + static_cast<std::uint64_t>(n));
    long double ww = 0, wv = 0, abs_wv = 0;
    double smallest = n ? std::numeric_limits<double>::infinity() : 0.0, largest = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      ww += static_cast<long double>(w[i]) * w[i];
      wv += static_cast<long double>(w[i]) * v[i];
      abs_wv += std::fabs(static_cast<long double>(w[i]) * v[i]);
      smallest = std::min(smallest, w[i] * w[i]);
      largest = std::max(largest, w[i] * w[i]);
    }
    const sq::SquareRange range = sq::square_range(w);
    CHECK(std::fabs(range.sum - static_cast<double>(ww)) <= gamma(n) * static_cast<double>(ww));
    CHECK(range.smallest == smallest);  // min and max of the same products: exact
    CHECK(range.largest == largest);
    const sq::DotSums sums = sq::dot_sums(w, v);
    CHECK(sums.ww == range.sum);  // same order of summation
    CHECK(std::fabs(sums.wv - static_cast<double>(wv)) <= gamma(n) * static_cast<double>(abs_wv));
    CHECK(sq::squared_sum(w.data(), n) == range.sum);
    const Vector combined = sq::combine(0.25, w, -1.5, v);
    REQUIRE(combined.size() == n);
    for (Eigen::Index i = 0; i < n; ++i) CHECK(combined[i] == 0.25 * w[i] + -1.5 * v[i]);  // one rounding per product, as written
  }
}

TEST_CASE("all_finite finds a non-finite entry anywhere, and passes finite entries whose squares overflow") {
  for (Eigen::Index n : {1, 5, 8, 13, 1000}) {
    Vector w = random_vector(n, 5);
    CHECK(sq::all_finite(w));
    for (Eigen::Index at : {Eigen::Index{0}, n / 2, n - 1}) {
      for (double bad :
           {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        Vector x = w;
        x[at] = bad;
        CAPTURE(n);
        CAPTURE(at);
        CHECK_FALSE(sq::all_finite(x));
      }
    }
    Vector huge = w;
    huge[n - 1] = 1e300;  // finite, its square is not: the fast path's sum overflows, the exact check decides
    CHECK(sq::all_finite(huge));
    huge[0] = std::numeric_limits<double>::infinity();
    CHECK_FALSE(sq::all_finite(huge));
  }
  // A block of a larger matrix (not contiguous): the general path.
  sq::Matrix m = sq::Matrix::Ones(6, 4);
  m(5, 3) = std::numeric_limits<double>::quiet_NaN();
  CHECK(sq::all_finite(m.topLeftCorner(4, 4)));
  CHECK_FALSE(sq::all_finite(m.bottomRightCorner(2, 2)));
  CHECK(sq::all_finite(sq::Matrix(0, 3)));
}

namespace {

std::atomic<int> ridge_builds{0};

// A user's typed vector query g(w.x, y) x = (w.x - y) x / 4 that reports its dimension, so its ridge form
// is built only when an oracle asks for it. `rows` lets a faulty type disagree with its dimension().
struct CountedGradient {
  static constexpr std::string_view type_name = "counted_gradient";
  Vector w;
  Eigen::Index rows = 0;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  std::string name() const { return "counted"; }
  Eigen::Index dimension() const { return w.size(); }
  sq::RidgeForm ridge() const {
    ++ridge_builds;
    sq::RidgeForm form;
    form.W = sq::Matrix(w.head(rows));
    form.g = [](const Vector& z, double y) { return 0.25 * (z[0] - y); };
    return form;
  }
};

}  // namespace

TEST_CASE("a typed query's ridge form is built on its first use, once for all copies, and checked then") {
  ridge_builds = 0;
  const Vector w = 0.5 * sq::random_unit_vector(4, 3);
  const auto query = sq::VectorQuery::of(CountedGradient{w, 4});
  CHECK(ridge_builds == 0);
  CHECK(query.has_ridge());
  CHECK(query.dimension() == 4);
  const sq::VectorQuery copy = query;
  REQUIRE(copy.ridge() != nullptr);
  CHECK(ridge_builds == 1);
  CHECK(query.ridge() == copy.ridge());  // one form shared by the copies
  CHECK(ridge_builds == 1);
  Vector out(4);
  const Vector x = sq::random_unit_vector(4, 9);
  query.evaluate(x, 0.3, out);
  CHECK((out - 0.25 * (w.dot(x) - 0.3) * x).norm() <= 1e-15);
  CHECK(ridge_builds == 1);

  // The exact oracle integrates it (no closed form for this type): it asks for the form, and the
  // answer is E[(w.x - relu(v.x)) x] / 4 = (w - E[relu(v.x) x]) / 4 = (w - v/2) / 4.
  const Vector v = sq::random_unit_vector(4, 1);
  oracles::ExactOracle oracle(oracles::ReluWorld(oracles::WorldParams{oracles::LabelModel::relu, v, 0.0}));
  const Vector answer = oracle.answer(query, 1e-3).value;
  CHECK((answer - (w - 0.5 * v) / 4.0).norm() <= 1e-9);

  // A type whose form disagrees with its dimension() is caught when the form is built.
  const auto faulty = sq::VectorQuery::of(CountedGradient{w, 3});
  CHECK(faulty.dimension() == 4);
  CHECK_THROWS_WITH_AS(faulty.ridge(), doctest::Contains("query 'counted': W has 3 rows, but the query's dimension() is 4"),
                       std::invalid_argument);
}

TEST_CASE("the exact oracle answers GD's typed gradient without its ridge form, and still refuses a wrong dimension") {
  const Vector v = sq::random_unit_vector(5, 1);
  oracles::ExactOracle oracle(oracles::ReluWorld(oracles::WorldParams{oracles::LabelModel::relu, v, 0.0}));
  const auto wrong = queries::half_gradient(0.5 * sq::random_unit_vector(4, 2), 2.0);
  CHECK_THROWS_WITH_AS(oracle.answer(wrong, 1e-3), doctest::Contains("has W with 4 rows, the world has dimension 5"), sq::QueryRefused);
}
