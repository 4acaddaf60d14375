#include "algorithms/coordinate_csq.hpp"
#include "algorithms/glmtron.hpp"
#include "algorithms/gradient_descent.hpp"
#include "algorithms/group_testing.hpp"
#include "algorithms/label_correlation.hpp"
#include "algorithms/parity_search.hpp"
#include "algorithms/threshold_halfspace.hpp"
#include "commands.hpp"
#include "sqsim_cli.hpp"
#include "sq/errors.hpp"

#include <algorithm>
#include <stdexcept>

namespace cli {
namespace {

algorithms::GradientDescentParams descent_params(const AlgorithmSettings& s) {
  algorithms::GradientDescentParams p;
  p.tolerance = s.tolerance;
  p.max_iterations = s.iterations;
  p.step_size = s.step_size;
  p.radius = s.radius;
  if (s.init != "zero" && s.init != "random") throw UsageError("init = " + s.init + ": must be zero or random");
  p.init = s.init == "zero" ? algorithms::Initialization::zero : algorithms::Initialization::random;
  if (s.gradient != "vector" && s.gradient != "coordinates") throw UsageError("gradient = " + s.gradient + ": must be vector or coordinates");
  p.mode = s.gradient == "vector" ? algorithms::GradientMode::vector : algorithms::GradientMode::coordinates;
  p.query_scale = s.query_scale;
  p.stop_threshold = s.stop_threshold;
  p.loss_queries = s.loss_queries;
  p.label_second_moment = s.label_second_moment;
  p.seed = s.seed;
  return p;
}

std::vector<RegisteredAlgorithm>& registry() {
  static std::vector<RegisteredAlgorithm> algorithms{
      {"gd", "SQ gradient descent on the square loss (one half-gradient vector query per step)",
       [](const AlgorithmSettings& s) { return std::make_unique<algorithms::GradientDescent>(descent_params(s)); }},
      {"label-correlation", "w = 2 E[y x] (one vector query)",
       [](const AlgorithmSettings& s) {
         return std::make_unique<algorithms::LabelCorrelation>(algorithms::LabelCorrelationParams{s.tolerance, s.label_second_moment});
       }},
      {"glmtron", "projected gradient descent on the convex surrogate E[relu(w.x)^2/2 - y w.x] (DGKKS 2020)",
       [](const AlgorithmSettings& s) {
         return std::make_unique<algorithms::Glmtron>(
             algorithms::GlmtronParams{s.tolerance, s.step_size, s.iterations, s.radius, s.label_second_moment, s.stop_threshold});
       }},
      {"threshold-halfspace", "GKK 2019: thresholded labels sign(y - t), Chow-vector direction, rescaled, best t by a loss query",
       [](const AlgorithmSettings& s) {
         algorithms::ThresholdHalfspaceParams p;
         p.tolerance = s.tolerance;
         p.label_second_moment = s.label_second_moment;
         p.max_scale = std::isfinite(s.radius) ? s.radius : 1.0;
         return std::make_unique<algorithms::ThresholdHalfspace>(p);
       }},
      {"coordinate-csq", "E[y sign(x_i)] for every coordinate (d correlational queries), w from the largest",
       [](const AlgorithmSettings& s) { return std::make_unique<algorithms::CoordinateCsq>(algorithms::CoordinateCsqParams{s.tolerance, 0}); },
       false},
      {"group-testing", "character-sum queries over groups of ~(1 - 2 eta)^2/(4 tau^2) k-subsets, then halving: ~C(d, k) tau^2 queries",
       [](const AlgorithmSettings& s) {
         return std::make_unique<algorithms::GroupTesting>(algorithms::GroupTestingParams{s.k, s.tolerance, s.signal, algorithms::GroupQueries::l2});
       },
       false},
      {"group-testing-stat", "the same with STAT queries (|q| <= 1): groups of ~(1 - 2 eta)/(2 tau), ~C(d, k) tau queries",
       [](const AlgorithmSettings& s) {
         return std::make_unique<algorithms::GroupTesting>(algorithms::GroupTestingParams{s.k, s.tolerance, s.signal, algorithms::GroupQueries::stat});
       },
       false},
      {"parity-search", "one correlational query y chi_T(sign x) per k-subset T until one answers above 2 tau",
       [](const AlgorithmSettings& s) { return std::make_unique<algorithms::ParitySearch>(algorithms::ParitySearchParams{s.k, s.tolerance, true}); },
       false},
  };
  return algorithms;
}

}  // namespace

void register_algorithm(const std::string& name, const std::string& description, AlgorithmFactory factory, bool vector_queries) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (name.empty() || control || name.find_first_of(" ,") != std::string::npos)
    throw std::invalid_argument("algorithm name '" + sq::printable(name) + "': must be non-empty, without spaces, commas or control characters");
  if (!factory) throw std::invalid_argument("algorithm '" + name + "': the factory is empty");
  if (find_algorithm(name)) throw std::invalid_argument("algorithm '" + name + "' is already registered");
  registry().push_back({name, description, std::move(factory), vector_queries});
}

const std::vector<RegisteredAlgorithm>& registered_algorithms() { return registry(); }

const RegisteredAlgorithm* find_algorithm(const std::string& name) {
  for (const RegisteredAlgorithm& a : registry())
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace cli
