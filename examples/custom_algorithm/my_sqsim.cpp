// The whole sqsim program with one more algorithm: `my_sqsim run --algorithm two-e-yx [--family ...]`
// gets worlds, oracles, hard instances with their certificates, JSON and transcripts.
#include "label_correlation.hpp"

#include <cli/sqsim_cli.hpp>

#include <memory>

int main(int argc, char** argv) {
  cli::register_algorithm("two-e-yx", "2 E[y x] in one typed query (examples/custom_algorithm)",
                          [](const cli::AlgorithmSettings& s) { return std::make_unique<TwiceLabelCorrelation>(s.tolerance); });
  return cli::run_program(argc, argv);
}
