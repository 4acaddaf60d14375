// The positive side measured: how each algorithm's excess loss grows with opt, over Gaussian ReLU
// worlds whose opt is set by their noise parameter (found by bisection on the exact opt). For every
// (label model, target opt, algorithm) and seed (a random teacher and the exact oracle's uniform
// perturbation within tau): the exact excess loss of the hypothesis (outside the ledger), the queries,
// and per (model, algorithm) the exponent a of excess ~ C opt^a by least squares on log-log axes with
// a 95 % bootstrap interval over seeds. Excess at or below `resolution` is reported as such, never
// fitted.
#pragma once

#include "sqsim/experiments/progress.hpp"
#include "sqsim/experiments/statistics.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sqsim::experiments {

struct ApproximationConfig {
  int d = 10;
  std::vector<double> opts{1e-3, 3e-3, 1e-2, 3e-2};
  std::vector<std::string> labels{"noisy-relu", "clipped-relu", "agnostic", "band", "mirror"};
  double tolerance = 1e-6;
  int seeds = 5;
  int bootstrap = 1000;
  double resolution = 1e-9;  // excess at or below this is "no measurable excess"
  std::vector<std::string> algorithms{"label-correlation", "glmtron", "threshold-halfspace", "gd"};  // catalogue names
  std::uint64_t seed = 1;
  ProgressCallback progress = nullptr;  // optional: runs done of all runs
  void validate() const;
};

// Builds an algorithm from the tolerance and a seed.
using AlgorithmMaker = std::function<std::unique_ptr<sq::Algorithm>(double tolerance, std::uint64_t seed)>;
struct NamedAlgorithm {
  std::string name;
  AlgorithmMaker make;
};

struct ApproximationPoint {
  std::string labels, algorithm;
  double target_opt = 0.0, noise = 0.0, opt = 0.0;  // opt: the exact opt of the world reached (or the closest below)
  bool reachable = true;                            // false: the model's noise range cannot reach this opt
  Interval excess;                                  // over seeds (Student t)
  double queries = 0.0;                             // mean over seeds
  std::string status;                               // of the runs: completed, or the first other status
};

struct ApproximationFit {
  std::string labels, algorithm;
  bool fitted = false;                           // false: fewer than two opts with excess above the resolution
  double exponent = 0.0, low = 0.0, high = 0.0;  // a, with its 95 % bootstrap interval
  int points = 0;                                // opts with measurable excess (used by the fit)
  int reachable = 0;                             // opts the model reaches
};

struct ApproximationReport {
  std::vector<ApproximationPoint> points;
  std::vector<ApproximationFit> fits;
};

// The algorithms are config.algorithms from the catalogue, or the caller's own.
ApproximationReport run_approximation(const ApproximationConfig& config);
ApproximationReport run_approximation(const ApproximationConfig& config, const std::vector<NamedAlgorithm>& algorithms);
std::vector<NamedAlgorithm> catalogue_algorithms(const std::vector<std::string>& names);

// The noise of a label model that gives opt = target (bisection on the exact opt, monotone in the
// noise); std::nullopt when the model's noise range cannot reach it.
std::optional<double> noise_for_opt(const std::string& labels, double target, Eigen::Index d);

}  // namespace sqsim::experiments