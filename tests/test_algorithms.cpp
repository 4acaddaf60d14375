// Every shipped algorithm, and the README's own user-written one, against every oracle: it runs to
// the end where the oracle can answer its queries, and ends with a clean `refused` status (ledger
// and last iterate kept, message naming the query) where it cannot. Plus each algorithm's
// guarantee on realizable labels.
#include "sqsim/algorithms/coordinate_csq.hpp"
#include "sqsim/algorithms/glmtron.hpp"
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/isotron.hpp"
#include "sqsim/algorithms/label_correlation.hpp"
#include "sqsim/algorithms/parity_search.hpp"
#include "sqsim/algorithms/threshold_halfspace.hpp"
#include "sqsim/experiments/approximation.hpp"
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <memory>

using namespace sqsim;

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
      {"gd",
       [](double t) {
         algorithms::GradientDescentParams p;
         p.tolerance = t;
         p.max_iterations = 20;
         return std::make_unique<algorithms::GradientDescent>(p);
       }},
      {"label-correlation",
       [](double t) {
         return std::make_unique<algorithms::LabelCorrelation>(algorithms::LabelCorrelationParams{t, 1.0});
       }},
      {"glmtron",
       [](double t) {
         algorithms::GlmtronParams p;
         p.tolerance = t;
         p.max_iterations = 20;
         return std::make_unique<algorithms::Glmtron>(p);
       }},
      {"isotron",
       [](double t) {
         algorithms::IsotronParams p;
         p.tolerance = t;
         p.max_iterations = 4;
         return std::make_unique<algorithms::Isotron>(p);
       }},
      {"coordinate-csq",
       [](double t) {
         return std::make_unique<algorithms::CoordinateCsq>(algorithms::CoordinateCsqParams{t, 0});
       }},
      {"parity-search",
       [](double t) {
         return std::make_unique<algorithms::ParitySearch>(algorithms::ParitySearchParams{2, t, true});
       }},
      {"threshold-halfspace",
       [](double t) {
         algorithms::ThresholdHalfspaceParams p;
         p.tolerance = t;
         return std::make_unique<algorithms::ThresholdHalfspace>(p);
       }},
      {"threshold-halfspace-only",
       [](double t) {
         algorithms::ThresholdHalfspaceParams p;
         p.tolerance = t;
         p.label_correlation_candidate = false;
         return std::make_unique<algorithms::ThresholdHalfspace>(p);
       }},
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
      // Every typed query is answered, and the README's untyped y x (its direction is zero: a function of the label).
      lower_bounds::AdversarialOracle adversary(parity, {});
      expect(adversary, name, sq::run(*make(0.02), adversary), "completed");
      lower_bounds::MemberOracle member(parity, {2, 5});
      expect(member, name, sq::run(*make(0.02), member), "completed");
    }
    {
      // The orthogonal-relu family answers the correlational and gradient queries; the others are refused.
      // isotron asks E[y x] alone there: it answers 0 (no direction), so isotron stops before its own queries.
      lower_bounds::AdversarialOracle adversary(orthogonal, {});
      const bool answered = name == "gd" || name == "label-correlation" || name == "glmtron" || name == "coordinate-csq" ||
                            name == "parity-search" || name == "isotron";
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
    // label-correlation and coordinate-csq are exact in one round (2 E[y x] = v, sqrt(2 pi) E[y sign x_i] = v_i),
    // threshold-halfspace in one threshold (E[sign(relu(v.x) - t) x] is along v, 2 E[y relu(v^.x)] = |v|);
    // gd and glmtron converge linearly and stop once the gradient is below twice its error.
    CHECK((*r.w - v).norm() <= (name == "gd" || name == "glmtron" ? 1e-5 : 1e-6));
    CHECK(*r.loss <= 1e-6);
  }
}

// Agnostic guarantees at opt = 0.01, in four worlds built to the target opt (noise by bisection on the
// exact opt). With v the best ReLU (loss opt) and any w, the triangle inequality in L2 and the
// 1-Lipschitz relu give loss(w) <= (sqrt(opt) + |relu(w.x) - relu(v.x)|_2)^2 <= (sqrt(opt) + |w - v|)^2,
// since E[((w - v).x)^2] = |w - v|^2. For w = 2 E[y x]: 2 E[relu(v.x) x] = v and, by Cauchy-Schwarz,
// |2 E[(y - relu(v.x)) x]| = 2 sup_|u|=1 E[(y - relu(v.x)) u.x] <= 2 sqrt(opt), so |w - v| <= 2 sqrt(opt) + e
// (e: the distance to 2 E[y x]) and excess <= (3 sqrt(opt) + e)^2 - opt = 8 opt + 6 sqrt(opt) e + e^2.
// e <= 1e-5 here: label-correlation 2 tau; GLMtron (unprojected, same fixed point, gradient (w - w*)/2)
// either stops with |answered gradient| <= 2 tau scale, so |w - w*| <= 6 tau scale (scale <= 3 here), or
// ends its 20 steps of size 1 at |w - w*| = 2^-20 |w*|. threshold-halfspace keeps the candidate of least
// answered loss and 2 E[y x] is one of them: the same bound plus 2 tau * loss_scale (<= 6) for the selection;
// isotron's first candidate is 2 E[y x]'s ray at the loss-minimising length, no worse than 2 E[y x] itself
// but for (r - r*)^2 / 2 <= 2 tau^2 (the loss along a unit ray has curvature E[relu(u.x)^2] = 1/2). GD has no agnostic guarantee
// we can state with constants: its excess is measured by `sqsim experiment approximation`, not bounded here.
TEST_CASE("agnostic guarantees at opt = 0.01: label-correlation, glmtron, threshold-halfspace within 8 opt + O(tau)") {
  const double target = 0.01, tau = 1e-7;
  for (const char* labels : {"noisy-relu", "agnostic", "band", "mirror"}) {
    const auto noise = experiments::noise_for_opt(labels, target, 6);
    REQUIRE(noise);
    const oracles::ReluWorld world({oracles::parse_label_model(labels), sq::random_unit_vector(6, 21), *noise});
    const oracles::Population population(world);
    REQUIRE(*population.opt() == doctest::Approx(target).epsilon(1e-6));
    for (const auto& [name, make] : algorithms_under_test()) {
      if (name != "label-correlation" && name != "glmtron" && name != "threshold-halfspace" && name != "isotron") continue;
      CAPTURE(labels);
      CAPTURE(name);
      oracles::ExactOracle exact(world, {oracles::Perturbation::uniform, 5});
      const sq::RunResult r = sq::run(*make(tau), exact, {}, &population);
      REQUIRE(r.status == sq::RunStatus::completed);
      const double e = 1e-5, selection = name == std::string("threshold-halfspace") || name == std::string("isotron") ? 12.0 * tau : 0.0;
      const double bound = 8.0 * target + 6.0 * std::sqrt(target) * e + e * e + selection;
      CHECK(*r.loss - *r.opt <= bound);
      CHECK(*r.loss - *r.opt >= -1e-12);  // nothing beats opt: checks the opt solver as much as the algorithm
    }
  }
}
