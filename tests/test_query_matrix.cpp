// Every typed query (queries/typed_queries.hpp) and two untyped ones against every oracle: each
// oracle answers a query or refuses it by name (sq::QueryRefused whose message has the query's
// label), never anything else. A hard family answers every type its answers() declares. Where an
// exact answer can be checked independently, a sample oracle of the same distribution agrees with
// it within its tolerance (delta = 1e-4 per query, so a correct oracle fails the whole test with
// probability below 1 %, by the union bound over its < 100 comparisons).
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/queries/typed_queries.hpp"
#include "sqsim/sq/errors.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace sqsim;

namespace {

constexpr Eigen::Index kD = 6;
constexpr double kTau = 0.05;
constexpr double kSampleDelta = 1e-4;

sq::Vector direction() {
  sq::Vector w(kD);
  w << 0.3, -0.5, 0.2, 0.6, -0.1, 0.4;
  return w.normalized();
}

// One instance of every typed query, and the untyped ones: a black box and a ridge query in two directions.
std::vector<sq::ScalarQuery> scalar_queries() {
  const sq::Vector w = direction();
  sq::Matrix two = sq::Matrix::Zero(kD, 2);
  two(0, 0) = two(1, 1) = 1.0;
  return {queries::square_loss(w, 4.0),
          queries::half_gradient_coordinate(w, 2, 4.0),
          queries::relu_correlation(w, 2.0),
          queries::threshold_correlation(w, 0.3),
          queries::character(kD, {1, 3}),
          queries::character_sum(kD, 2, {{0, 6}}),
          sq::ScalarQuery::black_box(sq::QueryKind::stat, "cos(x0) y", [](const sq::Vector& x, double y) { return std::cos(x(0)) * y; }),
          sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "tanh(z0 z1)(2y - 1)/2", two,
                                       [](const sq::Vector& z, double y) { return std::tanh(z(0) * z(1)) * (2 * y - 1) / 2; })};
}

std::vector<sq::VectorQuery> vector_queries() {
  const sq::Vector w = direction();
  return {queries::half_gradient(w, 4.0), queries::surrogate_gradient(w, 4.0), queries::label_correlation(kD, 2.0),
          queries::thresholded_label_correlation(kD, 0.3),
          sq::VectorQuery::black_box(sq::QueryKind::stat, "sin(x) y", kD,
                                     [](const sq::Vector& x, double y, Eigen::Ref<sq::Vector> out) { out = x.array().sin() * y; })};
}

// The oracles under test, each with (when there is one) a sample oracle of the same distribution.
struct Case {
  std::string name;
  std::function<std::unique_ptr<sq::Oracle>()> oracle;
  std::function<std::unique_ptr<sq::Oracle>()> same_distribution;  // nullptr: no independent check
  std::shared_ptr<lower_bounds::HardFamily> family;                // its answers() must hold
};

std::unique_ptr<sq::Oracle> family_sampler(std::shared_ptr<lower_bounds::HardFamily> family, lower_bounds::Subset member) {
  return std::make_unique<oracles::SampleOracle>(
      kD, [family, member](sq::Engine& e, Eigen::Ref<sq::Vector> x) { return family->sample(e, member, x); }, "member",
      oracles::SampleOracleParams{kSampleDelta, 7, 0});
}

std::vector<Case> cases() {
  const oracles::ReluWorld relu({oracles::LabelModel::relu, direction(), 0.0});
  const oracles::ReluWorld agnostic({oracles::LabelModel::agnostic, direction(), 0.1});
  const std::shared_ptr<lower_bounds::HardFamily> parity = lower_bounds::LiftedParity::make({static_cast<int>(kD), 2, 0.1});
  const std::shared_ptr<lower_bounds::HardFamily> orthogonal = lower_bounds::OrthogonalRelu::make({static_cast<int>(kD), 2});
  auto sample = [](const oracles::ReluWorld& world) {
    return [world] { return std::make_unique<oracles::SampleOracle>(world, oracles::SampleOracleParams{kSampleDelta, 3, 0}); };
  };
  return {
      {"exact, relu", [relu] { return std::make_unique<oracles::ExactOracle>(relu); }, sample(relu), nullptr},
      {"exact, agnostic", [agnostic] { return std::make_unique<oracles::ExactOracle>(agnostic); }, sample(agnostic), nullptr},
      {"sample, relu", sample(relu), nullptr, nullptr},
      {"member, lifted parity",
       [parity] {
         return std::make_unique<lower_bounds::MemberOracle>(parity, lower_bounds::Subset{1, 3});
       },
       [parity] {
         return family_sampler(parity, {1, 3});
       },
       parity},
      {"adversary, lifted parity", [parity] { return std::make_unique<lower_bounds::AdversarialOracle>(parity); }, nullptr, parity},
      {"member, orthogonal relu",
       [orthogonal] {
         return std::make_unique<lower_bounds::MemberOracle>(orthogonal, lower_bounds::Subset{0, 4});
       },
       [orthogonal] {
         return family_sampler(orthogonal, {0, 4});
       },
       orthogonal},
      {"adversary, orthogonal relu", [orthogonal] { return std::make_unique<lower_bounds::AdversarialOracle>(orthogonal); }, nullptr,
       orthogonal},
  };
}

// Whether the family declares the query's type among those it answers ("a, b, c, and any ...").
bool declared(const lower_bounds::HardFamily& family, std::string_view type_name) {
  if (type_name.empty()) return false;
  const std::string answers = family.answers();
  for (std::size_t at = answers.find(type_name); at != std::string::npos; at = answers.find(type_name, at + 1)) {
    const std::size_t end = at + type_name.size();
    if ((at == 0 || answers[at - 1] == ' ') && (end == answers.size() || answers[end] == ',')) return true;
  }
  return false;
}

// Asks; an answer is returned, a refusal must name the query, anything else fails the test.
template <class Query>
auto ask(sq::Oracle& oracle, const Query& query) -> std::optional<decltype(oracle.answer(query, kTau).value)> {
  try {
    return oracle.answer(query, kTau).value;
  } catch (const sq::QueryRefused& e) {
    const std::string message = e.what();
    INFO("refusal: " << message);
    CHECK(message.find(query.label()) != std::string::npos);
    return std::nullopt;
  }
}

double distance(double a, double b, const sq::ScalarQuery&) { return std::abs(a - b); }
double distance(const sq::Vector& a, const sq::Vector& b, const sq::VectorQuery& q) {
  return q.norm() == sq::VectorNorm::l2 ? (a - b).norm() : (a - b).lpNorm<Eigen::Infinity>();
}

template <class Query>
void walk(const Case& c, const std::vector<Query>& queries) {
  const auto oracle = c.oracle();
  const auto check = c.same_distribution ? c.same_distribution() : nullptr;
  for (const Query& q : queries) {
    INFO(c.name << ", " << q.label());
    const auto answer = ask(*oracle, q);
    if (c.family && declared(*c.family, q.type_name())) CHECK_MESSAGE(answer.has_value(), "declared in answers() but refused");
    if (!answer) continue;
    if constexpr (std::is_same_v<Query, sq::ScalarQuery>)
      CHECK(std::isfinite(*answer));
    else
      CHECK(answer->allFinite());
    if (!check) continue;
    // The exact oracles under test are truthful: their answer is E_D[q]; the sample oracle's is within kTau of it.
    const auto sampled = ask(*check, q);
    REQUIRE(sampled.has_value());
    CHECK(distance(*answer, *sampled, q) <= kTau);
  }
}

template <class List>
std::set<std::string> names_of(const List&) {
  std::set<std::string> out;
  std::string names = List::names();
  for (std::size_t start = 0; start <= names.size();) {
    const std::size_t end = std::min(names.find(", ", start), names.size());
    out.insert(names.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

}  // namespace

TEST_CASE(
    "every typed query against every oracle: answered or refused by name, the declared types answered, exact answers = sampled within "
    "tau") {
  // The walk covers every shipped typed query (a new type must be added here too).
  std::set<std::string> scalar_types, vector_types;
  for (const auto& q : scalar_queries())
    if (!q.type_name().empty()) scalar_types.insert(std::string(q.type_name()));
  for (const auto& q : vector_queries())
    if (!q.type_name().empty()) vector_types.insert(std::string(q.type_name()));
  CHECK(scalar_types == names_of(queries::ScalarQueryTypes{}));
  CHECK(vector_types == names_of(queries::VectorQueryTypes{}));

  for (const Case& c : cases()) {
    walk(c, scalar_queries());
    walk(c, vector_queries());
  }
}
