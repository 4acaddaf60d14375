// The subcommands of `sqsim`. Each returns the process exit code; bad input throws
// UsageError (or std::invalid_argument from a validate()), which main turns into exit code 2.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace sqsim::cli {

class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

int run_command(const std::vector<std::string>& args);
int inspect_command(const std::vector<std::string>& args);
int demo_command(const std::vector<std::string>& args);
int bound_command(const std::vector<std::string>& args);
int experiment_command(const std::vector<std::string>& args);
int sq_bound_experiment(const std::vector<std::string>& args);       // sqsim experiment sq-bound
int tradeoff_experiment(const std::vector<std::string>& args);       // sqsim experiment tradeoff
int reduction_experiment(const std::vector<std::string>& args);      // sqsim experiment reduction
int approximation_experiment(const std::vector<std::string>& args);  // sqsim experiment approximation
int gd_failure_demo(const std::vector<std::string>& args);           // sqsim demo [gd-failure]
int relu_demo(const std::vector<std::string>& args);                 // sqsim demo relu

}  // namespace sqsim::cli