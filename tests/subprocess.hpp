// Runs a program with fork + execv — no shell, so an argument with a space, a quote or a newline
// reaches it as one argument and can never start another command — with stdout and stderr captured
// through files, optionally in another working directory.
#pragma once

#include "read_file.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace testing {

struct ProcessOutcome {
  int exit_code = -1;  // -1 when the program did not exit normally
  std::string out, err;
};

inline ProcessOutcome run_process(const std::string& program, const std::vector<std::string>& arguments,
                                  const std::filesystem::path& workdir = {}) {
  static std::atomic<int> counter{0};
  const std::filesystem::path capture =
      std::filesystem::temp_directory_path() / ("sqsim_capture_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::filesystem::path out = capture.string() + ".out", err = capture.string() + ".err";
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (!workdir.empty() && ::chdir(workdir.c_str()) != 0) ::_exit(127);
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || ::dup2(o, 1) < 0 || ::dup2(e, 2) < 0) ::_exit(127);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProcessOutcome outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return outcome;
}

// Words separated by spaces (the tests' command lines hold no quoting).
inline std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace testing
