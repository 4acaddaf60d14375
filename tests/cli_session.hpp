// The sqsim program run from a test: without a shell, in a scratch directory of this process, and
// the usage-error contract (exit code 2, one line on stderr naming the parameter, nothing on stdout).
#pragma once

#include "read_file.hpp"
#include "subprocess.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace cli_test {

namespace fs = std::filesystem;

using Outcome = testing::ProcessOutcome;

inline fs::path scratch() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("sqsim_cli_test_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

using testing::slurp;

// The program on the words of `arguments`, without a shell.
inline Outcome run_sqsim(const std::string& arguments) { return testing::run_process(SQSIM_CLI_PATH, testing::words(arguments)); }

inline std::string write_file(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / name;
  std::ofstream(path) << text;
  return path.string();
}

inline void expect_usage_error(const std::string& arguments, const std::string& message) {
  CAPTURE(arguments);
  const Outcome o = run_sqsim(arguments);
  CHECK(o.exit_code == 2);
  CHECK(o.err.find(message) != std::string::npos);
  CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);  // one line
  CHECK(o.out.empty());
}

}  // namespace cli_test
