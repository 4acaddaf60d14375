// The sqsim program as a library: register algorithms of your own, then hand over to the command
// line. Your algorithms get every command of `sqsim run` (worlds, oracles, hard instances and their
// certificates, JSON, transcripts) without editing sqsim:
//
//   int main(int argc, char** argv) {
//     cli::register_algorithm("mine", "my estimator", [](const cli::AlgorithmSettings& s) { return std::make_unique<Mine>(s.tolerance); });
//     return cli::run_program(argc, argv);
//   }
//
// Link sqsim::cli (find_package(sqsim)). Registration is by name, before run_program; registering
// a name twice throws std::invalid_argument.
#pragma once

#include "sq/algorithm.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace cli {

// The options of `sqsim run` an algorithm may be built from (each has a --flag of the same name).
struct AlgorithmSettings {
  double tolerance = 1e-3;          // --tolerance: tau of every query
  int iterations = 100;             // --iterations
  double step_size = 1.0;           // --step-size
  double radius = std::numeric_limits<double>::infinity();  // --radius: project onto |w| <= radius
  double label_second_moment = 1.0; // --label-moment: an upper bound on E[y^2], for legal query scales
  int k = 4;                        // --k: the parity order (of the hard instance, when one is run)
  double signal = 1.0;              // --signal: a lower bound on 1 - 2 eta that parity learners may assume
  std::uint64_t seed = 1;           // the algorithm's own random stream (derived from --seed)
  // Gradient descent's further options.
  std::string init = "zero";        // --init zero|random
  std::string gradient = "vector";  // --gradient vector|coordinates
  double query_scale = 1.0;         // --query-scale
  double stop_threshold = 0.0;      // --stop-threshold
  bool loss_queries = false;        // --loss-queries
};

using AlgorithmFactory = std::function<std::unique_ptr<sq::Algorithm>(const AlgorithmSettings&)>;

// vector_queries: whether the algorithm asks vector queries of dimension d (used to refuse, before a
// sample-oracle run, a tolerance its first query could not be answered at).
void register_algorithm(const std::string& name, const std::string& description, AlgorithmFactory factory,
                        bool vector_queries = true);

struct RegisteredAlgorithm {
  std::string name, description;
  AlgorithmFactory factory;
  bool vector_queries = true;
};
// Every registered algorithm (the built-in ones first), and one by name (nullptr if unknown).
const std::vector<RegisteredAlgorithm>& registered_algorithms();
const RegisteredAlgorithm* find_algorithm(const std::string& name);

// The whole `sqsim` program: returns its exit code (0 success, 1 failure, 2 bad input).
int run_program(int argc, char** argv);

}  // namespace cli
