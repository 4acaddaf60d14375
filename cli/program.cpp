// The sqsim program: dispatches a command line to its subcommand, and turns errors into exit codes.
#include "commands.hpp"
#include "records.hpp"
#include "sqsim/sq/memory.hpp"
#include "sqsim_cli.hpp"

#include <boost/program_options/errors.hpp>

#include <iostream>
#include <string_view>

namespace sqsim::cli {
namespace {

constexpr std::string_view kProgramUsage = R"(usage: sqsim <command> [options]

Statistical-query learning of a ReLU under Gaussian inputs: run an SQ algorithm against an exact,
sample-based or adversarial oracle, count every query it makes, and score its hypothesis.

commands:
  run         run an algorithm against an oracle for a Gaussian ReLU world or a hard family;
              prints queries, loss, opt, excess (and on a hard instance, its certificate)
  inspect     exact population loss, gradient and opt of a world at a given w
  bound       the statistical-dimension query lower bound of a hard family, with opt0, optS, gap, rho
  experiment  signal | exactness | parity-search | sq-bound | tradeoff | reduction | approximation:
              how the hidden signal, GD's steps and the searches' queries scale with d; group testing
              beside the SD bound; d^Theta(log 1/eps); parity with noise through ReLU regression;
              excess loss against opt for the approximation algorithms
  demo        the main experiment on built-in defaults: gradient descent failing on a hidden sparse
              parity and succeeding on a realizable teacher (demo relu: GD on Gaussian ReLU worlds)

'sqsim <command> --help' describes each command's options. Built with -DSQSIM_MPI=ON, build/mpi/sqsim
runs under 'mpirun -n P': every rank runs the command, oracle work is split among them, the record is
the same for any P, and rank 0 alone prints and writes (README, "Across processes and machines").
)";

}  // namespace

int run_program(int argc, char** argv) {
  sq::retain_freed_memory();
  start_invocation(argc, argv);
  if (argc < 2) {
    std::cerr << kProgramUsage;
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kProgramUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "sqsim " << SQSIM_VERSION << "\n";
    return 0;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "run") return run_command(args);
    if (command == "inspect") return inspect_command(args);
    if (command == "demo") return demo_command(args);
    if (command == "bound") return bound_command(args);
    if (command == "experiment") return experiment_command(args);
    std::cerr << "sqsim: unknown command '" << command << "' (expected run, inspect, bound, experiment or demo)\n";
    return 2;
  } catch (const boost::program_options::error& e) {
    std::cerr << "sqsim " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "sqsim " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sqsim " << command << ": error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace sqsim::cli