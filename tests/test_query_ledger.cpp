// The channel's ledger: counts, budget exhaustion, refused queries, transcript content.
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace sqsim;

using namespace oracles;
using sq::Vector;

namespace {

const ReluWorld& world() {
  static const ReluWorld w(WorldParams{LabelModel::relu, sq::random_unit_vector(6, 1), 0.0});
  return w;
}

// Asks a scripted sequence: 2 scalar queries, then vector queries until told to stop.
class Scripted : public sq::Algorithm {
 public:
  explicit Scripted(int vectors) : vectors_(vectors) {}
  std::string name() const override { return "scripted"; }
  Vector run(sq::QueryChannel& channel) override {
    Vector w = 0.5 * world().teacher();
    channel.ask(queries::square_loss(w, 4.0), 0.01);
    channel.ask(queries::half_gradient_coordinate(w, 2), 0.002);
    for (int i = 0; i < vectors_; ++i) {
      w -= 4 * channel.ask(queries::half_gradient(w, 2.0), 0.05);
      channel.report_iterate(w);
    }
    return w;
  }

 private:
  int vectors_;
};

}  // namespace

TEST_CASE("the ledger counts vector and scalar-equivalent queries and the smallest tolerance") {
  ExactOracle oracle(world());
  Scripted algorithm(3);
  const sq::RunResult result = sq::run(algorithm, oracle);
  CHECK(result.status == sq::RunStatus::completed);
  CHECK(result.spent.scalar_queries == 2);
  CHECK(result.spent.vector_queries == 3);
  CHECK(result.spent.total_queries() == 5);
  CHECK(result.spent.scalar_equivalent == 2 + 3 * 6);
  CHECK(result.spent.smallest_tolerance == 0.002);
  CHECK(result.algorithm == "scripted");
  CHECK(result.oracle == "exact/truthful");
}

TEST_CASE("the budget stops the run before the query that would exceed it") {
  ExactOracle oracle(world());
  Scripted algorithm(10);
  sq::RunOptions options;
  options.budget.max_scalar_queries = 2 + 4 * 6 + 5;  // room for 4 vector queries, not 5
  options.record_trace = true;
  const sq::RunResult result = sq::run(algorithm, oracle, options);
  CHECK(result.status == sq::RunStatus::budget_exhausted);
  CHECK(result.spent.vector_queries == 4);
  CHECK(result.spent.scalar_equivalent == 26);
  CHECK(result.message.find("budget of 31 scalar-equivalent queries exhausted") != std::string::npos);
  CHECK(result.message.find("half_gradient") != std::string::npos);
  REQUIRE(result.w);
  CHECK(result.trace.size() == 4);
  CHECK(*result.w == result.trace.back().w);

  sq::RunOptions tolerance_floor;
  tolerance_floor.budget.min_tolerance = 0.005;
  const sq::RunResult floored = sq::run(algorithm, oracle, tolerance_floor);
  CHECK(floored.status == sq::RunStatus::budget_exhausted);
  CHECK(floored.spent.scalar_queries == 1);
  CHECK(floored.message.find("tolerance 0.002") != std::string::npos);
}

TEST_CASE("bad budgets and tolerances are rejected naming the value") {
  ExactOracle oracle(world());
  sq::Budget zero;
  zero.max_scalar_queries = 0;
  CHECK_THROWS_WITH_AS(sq::QueryChannel(oracle, zero), doctest::Contains("budget = 0"), std::invalid_argument);
  sq::QueryChannel channel(oracle);
  const Vector w = world().teacher();
  CHECK_THROWS_WITH_AS(channel.ask(queries::square_loss(w, 4.0), 0.0), doctest::Contains("tolerance of query 'square_loss' = 0"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(channel.ask(queries::square_loss(w, 4.0), std::nan("")), doctest::Contains("= nan"), std::invalid_argument);
  CHECK(channel.ledger().total_queries() == 0);
}

TEST_CASE("a refused query is not counted and propagates") {
  ExactOracle oracle(world());
  sq::QueryChannel channel(oracle);
  const auto opaque = sq::ScalarQuery::black_box(sq::QueryKind::l2, "opaque", [](const Vector&, double) { return 0.0; });
  CHECK_THROWS_AS(channel.ask(opaque, 0.1), sq::QueryRefused);
  CHECK(channel.ledger().total_queries() == 0);
}

TEST_CASE("the transcript has one JSON line per query with kind, tolerance, answer and true value") {
  ExactOracle oracle(world(), {Perturbation::uniform, 3});
  std::ostringstream transcript;
  sq::RunOptions options;
  options.transcript = &transcript;
  Scripted algorithm(2);
  sq::run(algorithm, oracle, options);
  std::istringstream lines(transcript.str());
  std::string line;
  std::vector<nlohmann::json> records;
  while (std::getline(lines, line)) records.push_back(nlohmann::json::parse(line));
  REQUIRE(records.size() == 4);
  CHECK(records[0]["name"] == "square_loss");
  CHECK(records[0]["kind"] == "l2");
  CHECK(records[0]["shape"] == "scalar");
  CHECK(records[0]["tolerance"] == 0.01);
  CHECK(std::abs(records[0]["answer"].get<double>() - records[0]["true_value"].get<double>()) <= 0.01);
  CHECK(records[2]["shape"] == "vector");
  CHECK(records[2]["dimension"] == 6);
  CHECK(records[2]["answer"].size() == 6);
  CHECK(records[3]["index"] == 4);
  Vector answer(6), truth(6);
  for (int i = 0; i < 6; ++i) {
    answer[i] = records[3]["answer"][i];
    truth[i] = records[3]["true_value"][i];
  }
  CHECK((answer - truth).norm() <= 0.05);
  CHECK((answer - truth).norm() > 0.0);
}
