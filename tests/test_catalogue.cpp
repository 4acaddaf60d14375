// The algorithm catalogue: every entry builds from its defaults, each option reaches its field
// (observed through the algorithm's behaviour), the params' own validate() decides legality and its
// errors name the option, and registration refuses what would make the catalogue ambiguous.
#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/subset_learner.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace sqsim;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("every entry builds from its defaults, and from every option set to its own default") {
  std::set<std::string> names;
  for (const algorithms::AlgorithmEntry& entry : algorithms::catalogue()) {
    CAPTURE(entry.name);
    CHECK(names.insert(entry.name).second);
    CHECK(!entry.description.empty());
    const auto plain = algorithms::make_algorithm(entry.name, {0.01, 3, 2});
    REQUIRE(plain != nullptr);
    algorithms::OptionValues defaults;
    for (const algorithms::OptionSpec& spec : entry.options) {
      CAPTURE(spec.name);
      CHECK(!spec.help.empty());
      CHECK(!spec.default_text.empty());
      if (spec.type == algorithms::OptionType::choice)
        CHECK(std::find(spec.choices.begin(), spec.choices.end(), spec.default_text) != spec.choices.end());
      defaults[spec.name] = spec.default_text;
    }
    CHECK(algorithms::make_algorithm(entry.name, {0.01, 3, 2}, defaults) != nullptr);
  }
  for (const char* shipped : {"gd", "label-correlation", "glmtron", "threshold-halfspace", "coordinate-csq", "group-testing",
                              "group-testing-stat", "parity-search"})
    CHECK(names.count(shipped) == 1);
}

TEST_CASE("options reach their fields: gd's iterations and step size change what it does, and the run's context reaches it") {
  const oracles::ReluWorld world({oracles::LabelModel::relu, sq::random_unit_vector(5, 2), 0.0});
  auto iterations_run = [&](const algorithms::OptionValues& values) {
    const auto gd = algorithms::make_algorithm("gd", {1e-6, 1, 4}, values);
    oracles::ExactOracle oracle(world);
    sq::run(*gd, oracle);
    return dynamic_cast<const algorithms::GradientDescent&>(*gd).iterations();
  };
  // (At step 1 gd lands on the teacher in two steps and stops; at step 0.1 it runs to its limit.)
  CHECK(iterations_run({{"iterations", "7"}}) == 2);
  CHECK(iterations_run({{"iterations", "3"}, {"step-size", "0.1"}}) == 3);
  CHECK(iterations_run({{"iterations", "7"}, {"step-size", "0.1"}}) == 7);
  // Step 1 from w = 0 converges linearly, step 0.01 does not in 20 steps: the loss says which was used.
  auto loss_after = [&](const std::string& step) {
    const auto gd = algorithms::make_algorithm("gd", {1e-9, 1, 4}, {{"iterations", "20"}, {"step-size", step}});
    oracles::ExactOracle oracle(world);
    const oracles::Population population(world);
    return *sq::run(*gd, oracle, {}, &population).loss;
  };
  CHECK(loss_after("1") < 1e-8);
  CHECK(loss_after("0.01") > 1e-3);
  // --loss-queries adds a scalar query per iterate.
  const auto with_losses =
      algorithms::make_algorithm("gd", {1e-6, 1, 4}, {{"iterations", "2"}, {"loss-queries", "true"}, {"step-size", "0.1"}});
  oracles::ExactOracle oracle(world);
  sq::run(*with_losses, oracle);
  CHECK(dynamic_cast<const algorithms::GradientDescent&>(*with_losses).answered_losses().size() == 3);
  // The order k reaches the subset learners.
  const auto search = algorithms::make_algorithm("parity-search", {0.05, 1, 6});
  CHECK(dynamic_cast<const algorithms::SubsetLearner&>(*search).planned_queries(10) == 210.0);  // C(10, 6)
}

TEST_CASE("the params' validate() decides, and its errors name the option, not the field") {
  CHECK(error_of([] { algorithms::make_algorithm("gd", {1e-3}, {{"iterations", "0"}}); }) == "iterations = 0: must be at least 1");
  CHECK(error_of([] {
          algorithms::make_algorithm("glmtron", {1e-3}, {{"label-moment", "-2"}});
        }) == "label-moment = -2: must be a finite number >= 0");
  CHECK(error_of([] {
          algorithms::make_algorithm("threshold-halfspace", {1e-3}, {{"radius", "0"}});
        }) == "radius = 0: must be a finite number > 0");
  CHECK(error_of([] { algorithms::make_algorithm("gd", {0.0}); }) == "tolerance = 0: must be a finite number > 0");
  CHECK(error_of([] { algorithms::make_algorithm("gd", {1e-3}, {{"init", "sideways"}}); }) == "init = sideways: must be zero or random");
  CHECK(error_of([] {
          algorithms::make_algorithm("gd", {1e-3}, {{"loss-queries", "yes"}});
        }) == "loss-queries = 'yes': must be true or false");
  CHECK(error_of([] {
          algorithms::make_algorithm("gd", {1e-3}, {{"signal", "0.5"}});
        }).find("option 'signal' does not apply to algorithm gd") == 0);
  CHECK(error_of([] { algorithms::make_algorithm("nope", {1e-3}); }).find("algorithm = nope: must be one of gd, ") == 0);
  CHECK(algorithms::options_taken("group-testing", {{"signal", "0.5"}, {"init", "random"}}) == algorithms::OptionValues{{"signal", "0.5"}});
}

TEST_CASE("option text: one parser for the program and Python") {
  const algorithms::OptionSpec real{"x", algorithms::OptionType::real, "1", "", {}},
      integer{"n", algorithms::OptionType::integer, "1", "", {}};
  CHECK(algorithms::parse_real(real, "1e-3") == 1e-3);
  CHECK(std::isinf(algorithms::parse_real(real, "inf")));
  CHECK(std::isnan(algorithms::parse_real(real, "nan")));  // validate() refuses it, by the option's name
  for (const char* bad : {"", " 1", "+1", "1x", "0x", "1e999"}) CHECK_THROWS_AS(algorithms::parse_real(real, bad), sq::ParameterError);
  CHECK(algorithms::parse_real(real, "1e-320") > 0.0);  // subnormal: a value, not an overflow
  CHECK(algorithms::parse_integer(integer, "-5") == -5);
  for (const char* bad : {"", "+5", "2.5", "1e3", "2147483648", "99999999999999999999", " 5"})
    CHECK_THROWS_AS(algorithms::parse_integer(integer, bad), sq::ParameterError);
}

namespace {
struct ToyParams {
  double tolerance = 1e-3;
  double scale = 2.0;
  void validate() const { sq::require(scale > 0.0, "scale", scale, "must be > 0"); }
};
class Toy : public sq::Algorithm {
 public:
  explicit Toy(ToyParams p) : params_(p) { params_.validate(); }
  std::string name() const override { return "toy"; }
  sq::Vector run(sq::QueryChannel& channel) override { return sq::Vector::Constant(channel.dimension(), params_.scale); }

 private:
  ToyParams params_;
};
}  // namespace

TEST_CASE("an out-of-tree entry: registered once, with its option, then listed and built like a shipped one") {
  algorithms::register_algorithm(algorithms::entry<ToyParams, Toy>("test-toy", "a constant hypothesis")
                                     .context([](ToyParams& p, const algorithms::RunContext& c) { p.tolerance = c.tolerance; })
                                     .real("scale", &ToyParams::scale, "every coordinate of w"));
  const algorithms::AlgorithmEntry* toy = algorithms::find_algorithm("test-toy");
  REQUIRE(toy != nullptr);
  CHECK(&algorithms::catalogue().back() == toy);
  REQUIRE(toy->options.size() == 1);
  CHECK(toy->options[0].default_text == "2");
  const oracles::ReluWorld world({oracles::LabelModel::relu, sq::random_unit_vector(3, 2), 0.0});
  oracles::ExactOracle oracle(world);
  const auto made = algorithms::make_algorithm("test-toy", {1e-3}, {{"scale", "0.25"}});
  CHECK(*sq::run(*made, oracle).w == sq::Vector::Constant(3, 0.25));
  CHECK(error_of([] { algorithms::make_algorithm("test-toy", {1e-3}, {{"scale", "-1"}}); }) == "scale = -1: must be > 0");
  // Refused: the same name again; an option another entry declares with another type; a bad option name.
  CHECK(error_of([] {
          algorithms::register_algorithm(algorithms::entry<ToyParams, Toy>("test-toy", "again"));
        }).find("already registered") != std::string::npos);
  struct IntParams {
    double tolerance = 1e-3;
    int radius = 1;
  };
  struct IntAlgorithm : Toy {
    explicit IntAlgorithm(IntParams) : Toy(ToyParams{}) {}
  };
  CHECK(error_of([] {
          algorithms::register_algorithm(
              algorithms::entry<IntParams, IntAlgorithm>("test-int", "").integer("radius", &IntParams::radius, "r"));
        }).find("option 'radius' is declared integer, but algorithm 'gd' declares it real") != std::string::npos);
  CHECK(error_of([] {
          algorithms::register_algorithm(algorithms::entry<ToyParams, Toy>("test-bad", "").real("two words", &ToyParams::scale, "s"));
        }).find("must be letters, digits and inner '-'") != std::string::npos);
  CHECK(error_of([] { algorithms::register_algorithm(algorithms::entry<ToyParams, Toy>("has space", "")); }).find("without spaces") !=
        std::string::npos);
  CHECK(algorithms::find_algorithm("test-int") == nullptr);
  CHECK(algorithms::find_algorithm("test-bad") == nullptr);
}
