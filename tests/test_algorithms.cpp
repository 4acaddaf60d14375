// Every shipped algorithm, and the README's own user-written one, against every oracle: it runs to
// the end where the oracle can answer its queries, and ends with a clean `refused` status (ledger
// and last iterate kept, message naming the query) where it cannot. Plus each algorithm's
// guarantee on realizable labels.
#include "algorithms/coordinate_csq.hpp"
#include "algorithms/glmtron.hpp"
#include "algorithms/gradient_descent.hpp"
#include "algorithms/label_correlation.hpp"
#include "algorithms/parity_search.hpp"
#include "lower_bounds/adversary.hpp"
#include "lower_bounds/lifted_parity.hpp"
#include "lower_bounds/member_oracle.hpp"
#include "lower_bounds/orthogonal_relu.hpp"
#include "oracles/exact_oracle.hpp"
#include "oracles/population.hpp"
#include "oracles/sample_oracle.hpp"
#include "queries/relu_regression.hpp"
#include "sq/harness.hpp"
#include "sq/random.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <memory>

using sq::Vector;

namespace {

// The README's example, verbatim in spirit: an untyped ridge query y * x, so 2 E[y x] in one query.
class ReadmeLabelCorrelation : public sq::Algorithm {
 public:
  explicit ReadmeLabelCorrelation(double tolerance) : tolerance_(tolerance) {}
  std::string name() const override { return "2E[yx]"; }
  sq::Vector run(sq::QueryChannel& channel) override {
    const auto query = sq::VectorQuery::ridge_times_x(sq::QueryKind::l2, "label_times_x", sq::Matrix::Zero(channel.dimension(), 1),
                                                      [](const sq::Vector&, double y) { return y; });
    return 2.0 * channel.ask(query, tolerance_);
  }

 private:
  double tolerance_;
};

using Factory = std::function<std::unique_ptr<sq::Algorithm>(double tolerance)>;
const std::vector<std::pair<std::string, Factory>>& algorithms_under_test() {
  static const std::vector<std::pair<std::string, Factory>> all{
      {"readme", [](double t) { return std::make_unique<ReadmeLabelCorrelation>(t); }},
      {"gd", [](double t) { algorithms::GradientDescentParams p; p.tolerance = t; p.max_iterations = 20; return std::make_unique<algorithms::GradientDescent>(p); }},
      {"label-correlation", [](double t) { return std::make_unique<algorithms::LabelCorrelation>(algorithms::LabelCorrelationParams{t, 1.0}); }},
      {"glmtron", [](double t) { algorithms::GlmtronParams p; p.tolerance = t; p.max_iterations = 20; return std::make_unique<algorithms::Glmtron>(p); }},
      {"coordinate-csq", [](double t) { return std::make_unique<algorithms::CoordinateCsq>(algorithms::CoordinateCsqParams{t, 0}); }},
      {"parity-search", [](double t) { return std::make_unique<algorithms::ParitySearch>(algorithms::ParitySearchParams{2, t, true}); }},
  };
  return all;
}

void expect(sq::Oracle& oracle, const std::string& algorithm, const sq::RunResult& r, const std::string& expected) {
  CAPTURE(oracle.name());
  CAPTURE(algorithm);
  CAPTURE(r.message);
  CHECK(std::string(sq::to_string(r.status)) == expected);
  if (r.status == sq::RunStatus::refused) {
    CHECK(r.message.find("query '") != std::string::npos);  // names the refused query
  } else {
    REQUIRE(r.w);
    CHECK(r.w->size() == oracle.dimension());
    CHECK(r.spent.total_queries() >= 1);
  }
}

}  // namespace

TEST_CASE("every algorithm against the exact, sample, adversarial and member oracles") {
  const oracles::ReluWorld world({oracles::LabelModel::relu, sq::random_unit_vector(6, 4), 0.0});
  const auto parity = lower_bounds::LiftedParity::make({8, 2, 0.1});
  const auto orthogonal = lower_bounds::OrthogonalRelu::make({8, 2});
  for (const auto& [name, make] : algorithms_under_test()) {
    {
      oracles::ExactOracle exact(world);
      // Characters on two coordinates span three dimensions with the teacher: beyond the exact oracle.
      expect(exact, name, sq::run(*make(1e-3), exact), name == "parity-search" ? "refused" : "completed");
    }
    {
      oracles::SampleOracle sample(world, {0.05, 3, 2});
      expect(sample, name, sq::run(*make(0.2), sample), "completed");
    }
    {
      // Generic ridge queries (the README's) are refused by the lifted parity; every typed query is answered.
      lower_bounds::AdversarialOracle adversary(parity, {});
      expect(adversary, name, sq::run(*make(0.02), adversary), name == "readme" ? "refused" : "completed");
      lower_bounds::MemberOracle member(parity, {2, 5});
      expect(member, name, sq::run(*make(0.02), member), name == "readme" ? "refused" : "completed");
    }
    {
      // The orthogonal-relu family answers the correlational and gradient queries; the others are refused.
      lower_bounds::AdversarialOracle adversary(orthogonal, {});
      const bool answered = name == "gd" || name == "label-correlation" || name == "glmtron" || name == "coordinate-csq" || name == "parity-search";
      expect(adversary, name, sq::run(*make(0.02), adversary), answered ? "completed" : "refused");
    }
  }
}

TEST_CASE("a refusal mid-run keeps the ledger and the last iterate") {
  class LegalThenOpaque : public sq::Algorithm {
   public:
    std::string name() const override { return "legal-then-opaque"; }
    sq::Vector run(sq::QueryChannel& channel) override {
      const Vector w = 2.0 * channel.ask(queries::label_correlation(channel.dimension()), 1e-3);
      channel.report_iterate(w);
      channel.ask(sq::ScalarQuery::black_box(sq::QueryKind::stat, "opaque", [](const Vector&, double) { return 0.0; }), 1e-3);
      return Vector::Zero(channel.dimension());
    }
  } algorithm;
  const oracles::ReluWorld world({oracles::LabelModel::relu, sq::random_unit_vector(5, 1), 0.0});
  oracles::ExactOracle exact(world);
  const oracles::Population population(world);
  const sq::RunResult r = sq::run(algorithm, exact, {}, &population);
  CHECK(r.status == sq::RunStatus::refused);
  CHECK(r.message.find("'opaque'") != std::string::npos);
  CHECK(r.spent.vector_queries == 1);  // the answered query is on the ledger, the refused one is not
  CHECK(r.spent.scalar_queries == 0);
  REQUIRE(r.w);
  CHECK((*r.w - world.teacher()).norm() < 1e-12);  // the last reported iterate: 2 E[y x] = v
  CHECK(*r.loss < 1e-20);
}

TEST_CASE("guarantees on realizable labels with the exact oracle: each algorithm reaches the teacher") {
  const Vector v = 0.9 * sq::random_unit_vector(7, 12);
  const oracles::ReluWorld world({oracles::LabelModel::relu, v, 0.0});
  const oracles::Population population(world);
  const double tau = 1e-8;
  for (const auto& [name, make] : algorithms_under_test()) {
    if (name == "parity-search") continue;
    CAPTURE(name);
    oracles::ExactOracle exact(world);
    const sq::RunResult r = sq::run(*make(tau), exact, {}, &population);
    REQUIRE(r.w);
    // label-correlation and coordinate-csq are exact in one round (2 E[y x] = v, sqrt(2 pi) E[y sign x_i] = v_i);
    // gd and glmtron converge linearly and stop once the gradient is below twice its error.
    CHECK((*r.w - v).norm() <= (name == "gd" || name == "glmtron" ? 1e-5 : 1e-6));
    CHECK(*r.loss <= 1e-6);
  }
}
