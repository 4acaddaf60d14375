// The sqsim program as a library: register algorithms of your own, then hand over to the command
// line. Your algorithms get every command of `sqsim run` (worlds, oracles, hard instances and their
// certificates, JSON, transcripts) without editing sqsim:
//
//   int main(int argc, char** argv) {
//     cli::register_algorithm("mine", "my estimator", [](const cli::AlgorithmSettings& s) { return std::make_unique<Mine>(s.tolerance); });
//     return cli::run_program(argc, argv);
//   }
//
// An algorithm with options of its own (each a --flag, listed in --help) is an entry of the
// catalogue instead: algorithms::register_algorithm(algorithms::entry<Params, Mine>(...)...), see
// algorithms/catalogue.hpp. Link sqsim::cli (find_package(sqsim)). Registration is by name, before
// run_program; registering a name twice throws std::invalid_argument.
#pragma once

#include "sqsim/algorithms/options.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <functional>
#include <memory>
#include <string>

namespace sqsim::cli {

// What a run gives every algorithm: tolerance, seed (its own random stream) and k.
using AlgorithmSettings = algorithms::RunContext;
using AlgorithmFactory = std::function<std::unique_ptr<sq::Algorithm>(const AlgorithmSettings&)>;

// An algorithm without options of its own, into the catalogue. vector_queries: whether it asks
// vector queries of dimension d (used to refuse, before a sample-oracle run, a tolerance its first
// query could not be answered at).
void register_algorithm(const std::string& name, const std::string& description, AlgorithmFactory factory, bool vector_queries = true);

// The whole `sqsim` program: returns its exit code (0 success, 1 failure, 2 bad input).
int run_program(int argc, char** argv);

}  // namespace sqsim::cli