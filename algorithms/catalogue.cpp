#include "sqsim/algorithms/catalogue.hpp"

#include "sqsim/algorithms/coordinate_csq.hpp"
#include "sqsim/algorithms/glmtron.hpp"
#include "sqsim/algorithms/gradient_descent.hpp"
#include "sqsim/algorithms/group_testing.hpp"
#include "sqsim/algorithms/isotron.hpp"
#include "sqsim/algorithms/label_correlation.hpp"
#include "sqsim/algorithms/parity_search.hpp"
#include "sqsim/algorithms/threshold_halfspace.hpp"

#include <algorithm>
#include <cctype>

namespace sqsim::algorithms {
namespace {

// Options several algorithms share are written once (the same help wherever they appear).
constexpr const char* kIterationsHelp = "maximum iterations";
constexpr const char* kStepHelp = "step size (w <- w - step * gradient)";
constexpr const char* kRadiusHelp = "project onto |w| <= radius (inf: no projection)";
constexpr const char* kLabelMomentHelp =
    "an upper bound m2 on E[y^2]: queries are scaled so that they are legal l2 queries whenever E[y^2] <= m2 (y in [0, 1] gives m2 = 1)";
constexpr const char* kStopHelp = "stop when the answered gradient has norm below this (0: twice its error bound)";
constexpr const char* kSignalHelp = "a lower bound on 1 - 2 eta the learner may assume";

void set_tolerance(auto& p, const RunContext& c) { p.tolerance = c.tolerance; }

std::vector<AlgorithmEntry> shipped() {
  using GD = GradientDescentParams;
  using GL = GlmtronParams;
  using TH = ThresholdHalfspaceParams;
  using GT = GroupTestingParams;
  auto group_testing = [](std::string name, std::string description, GroupQueries kind) {
    return entry<GT, GroupTesting>(std::move(name), std::move(description))
        .context([kind](GT& p, const RunContext& c) {
          p.tolerance = c.tolerance;
          p.k = c.k;
          p.queries = kind;
        })
        .real("signal", &GT::signal, kSignalHelp)
        .scalar_queries()
        .build();
  };
  return {
      entry<GD, GradientDescent>("gd", "SQ gradient descent on the square loss (one half-gradient vector query per step)")
          .context([](GD& p, const RunContext& c) {
            p.tolerance = c.tolerance;
            p.seed = c.seed;
          })
          .integer("iterations", &GD::max_iterations, kIterationsHelp, "max_iterations")
          .real("step-size", &GD::step_size, kStepHelp)
          .real("radius", &GD::radius, kRadiusHelp)
          .real("label-moment", &GD::label_second_moment, kLabelMomentHelp, "label_second_moment")
          .choice("init", &GD::init, {{"zero", Initialization::zero}, {"random", Initialization::random}},
                  "zero (relu'(0) = 1/2) or random (unit norm, from the run's seed)")
          .choice("gradient", &GD::mode, {{"vector", GradientMode::vector}, {"coordinates", GradientMode::coordinates}},
                  "vector (one vector query) or coordinates (d scalar queries)", "mode")
          .real("query-scale", &GD::query_scale, "smallest scale s of a gradient query (ask q/s, multiply the answer by s)")
          .real("stop-threshold", &GD::stop_threshold, kStopHelp)
          .flag("loss-queries", &GD::loss_queries, "also ask the loss at every iterate"),
      entry<LabelCorrelationParams, LabelCorrelation>("label-correlation", "w = 2 E[y x] (one vector query)")
          .context(set_tolerance<LabelCorrelationParams>)
          .real("label-moment", &LabelCorrelationParams::label_second_moment, kLabelMomentHelp, "label_second_moment"),
      entry<GL, Glmtron>("glmtron", "projected gradient descent on the convex surrogate E[relu(w.x)^2/2 - y w.x] (DGKKS 2020)")
          .context(set_tolerance<GL>)
          .integer("iterations", &GL::max_iterations, kIterationsHelp, "max_iterations")
          .real("step-size", &GL::step_size, kStepHelp)
          .real("radius", &GL::radius, kRadiusHelp)
          .real("label-moment", &GL::label_second_moment, kLabelMomentHelp, "label_second_moment")
          .real("stop-threshold", &GL::stop_threshold, kStopHelp),
      entry<IsotronParams, Isotron>(
          "isotron", "Kalai-Sastry 2009: isotonic link from binned threshold queries, w <- w + E[(y - u(w.x)) x], best rescaled ReLU")
          .context(set_tolerance<IsotronParams>)
          .integer("bins", &IsotronParams::bins, "levels of the link's isotonic estimate (bins of equal Gaussian mass)")
          .integer("iterations", &IsotronParams::max_iterations, kIterationsHelp, "max_iterations")
          .real("label-moment", &IsotronParams::label_second_moment, kLabelMomentHelp, "label_second_moment"),
      entry<TH, ThresholdHalfspace>("threshold-halfspace",
                                    "GKK 2019: thresholded labels sign(y - t), Chow-vector direction, rescaled, best t by a loss query")
          .context(set_tolerance<TH>)
          .real("radius", &TH::max_scale, "the largest |w| a candidate is rescaled to", "max_scale")
          .real("label-moment", &TH::label_second_moment, kLabelMomentHelp, "label_second_moment"),
      entry<CoordinateCsqParams, CoordinateCsq>("coordinate-csq",
                                                "E[y sign(x_i)] for every coordinate (d correlational queries), w from the largest")
          .context(set_tolerance<CoordinateCsqParams>)
          .integer("keep", &CoordinateCsqParams::keep, "how many coordinates to keep (0: every one whose answer exceeds 2 tau)")
          .scalar_queries(),
      group_testing("group-testing",
                    "character-sum queries over groups of ~(1 - 2 eta)^2/(4 tau^2) k-subsets, then halving: ~C(d, k) tau^2 queries",
                    GroupQueries::l2),
      group_testing("group-testing-stat", "the same with STAT queries (|q| <= 1): groups of ~(1 - 2 eta)/(2 tau), ~C(d, k) tau queries",
                    GroupQueries::stat),
      entry<ParitySearchParams, ParitySearch>("parity-search",
                                              "one correlational query y chi_T(sign x) per k-subset T until one answers above 2 tau")
          .context([](ParitySearchParams& p, const RunContext& c) {
            p.tolerance = c.tolerance;
            p.k = c.k;
          })
          .scalar_queries(),
  };
}

std::vector<AlgorithmEntry>& entries() {
  static std::vector<AlgorithmEntry> all = shipped();
  return all;
}

}  // namespace

const std::vector<AlgorithmEntry>& catalogue() { return entries(); }

const AlgorithmEntry* find_algorithm(const std::string& name) {
  for (const AlgorithmEntry& a : entries())
    if (a.name == name) return &a;
  return nullptr;
}

void register_algorithm(AlgorithmEntry entry) {
  const std::string& name = entry.name;
  const bool control = std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (name.empty() || control || name.find_first_of(" ,") != std::string::npos)
    throw std::invalid_argument("algorithm name '" + sq::printable(name) +
                                "': must be non-empty, without spaces, commas or control characters");
  if (!entry.make) throw std::invalid_argument("algorithm '" + name + "': the factory is empty");
  if (find_algorithm(name)) throw std::invalid_argument("algorithm '" + name + "' is already registered");
  for (std::size_t i = 0; i < entry.options.size(); ++i) {
    const OptionSpec& option = entry.options[i];
    const bool bad_character = std::any_of(option.name.begin(), option.name.end(),
                                           [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '-'); });
    if (option.name.empty() || bad_character || option.name.front() == '-')
      throw std::invalid_argument("algorithm '" + name + "': option name '" + sq::printable(option.name) +
                                  "' must be letters, digits and inner '-'");
    for (std::size_t j = 0; j < i; ++j)
      if (entry.options[j].name == option.name)
        throw std::invalid_argument("algorithm '" + name + "': option '" + option.name + "' is declared twice");
    if (option.type == OptionType::choice && option.choices.empty())
      throw std::invalid_argument("algorithm '" + name + "': choice option '" + option.name + "' has no choices");
    for (const AlgorithmEntry& other : entries())
      for (const OptionSpec& theirs : other.options)
        if (theirs.name == option.name && theirs.type != option.type)
          throw std::invalid_argument("algorithm '" + name + "': option '" + option.name + "' is declared " +
                                      std::string(to_string(option.type)) + ", but algorithm '" + other.name + "' declares it " +
                                      std::string(to_string(theirs.type)));
  }
  entries().push_back(std::move(entry));
}

std::unique_ptr<sq::Algorithm> make_algorithm(const std::string& name, const RunContext& context, const OptionValues& values) {
  const AlgorithmEntry* algorithm = find_algorithm(name);
  if (!algorithm) {
    std::string known;
    for (const AlgorithmEntry& a : catalogue()) known += (known.empty() ? "" : ", ") + a.name;
    throw sq::ParameterError("algorithm", sq::printable(name), "must be one of " + known);
  }
  for (const auto& value : values) {
    const std::string& option = value.first;  // a named copy: clang before 16 cannot capture a structured binding
    const bool known =
        std::any_of(algorithm->options.begin(), algorithm->options.end(), [&](const OptionSpec& s) { return s.name == option; });
    if (known) continue;
    std::string its;
    for (const OptionSpec& s : algorithm->options) its += (its.empty() ? "" : ", ") + s.name;
    throw std::invalid_argument("option '" + sq::printable(option) + "' does not apply to algorithm " + name +
                                (its.empty() ? " (it takes none)" : " (its options: " + its + ")"));
  }
  return algorithm->make(context, values);
}

OptionValues options_taken(const std::string& name, const OptionValues& preferred) {
  const AlgorithmEntry* algorithm = find_algorithm(name);
  if (!algorithm) return preferred;
  OptionValues taken;
  for (const OptionSpec& s : algorithm->options)
    if (const auto it = preferred.find(s.name); it != preferred.end()) taken.insert(*it);
  return taken;
}

}  // namespace sqsim::algorithms