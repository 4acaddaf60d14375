// The sqsim program run in-process: sqsim.command([...]) gives the exit code, stdout and stderr of
// any command, which is how the experiments, the demo and the bound command are reached from Python.
#include "bindings.hpp"

#include "sqsim_cli.hpp"

#include <pybind11/stl.h>

#include <iostream>
#include <mutex>
#include <sstream>

namespace sqsim_python {
namespace {

// std::cout and std::cerr captured for the duration of one command (one at a time).
std::mutex program_mutex;

py::dict run_command(const std::vector<std::string>& arguments) {
  std::vector<std::string> words{"sqsim"};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  int code = 0;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(program_mutex);
    std::streambuf* const old_out = std::cout.rdbuf(out.rdbuf());
    std::streambuf* const old_err = std::cerr.rdbuf(err.rdbuf());
    try {
      code = cli::run_program(static_cast<int>(words.size()), argv.data());
    } catch (...) {
      std::cout.rdbuf(old_out);
      std::cerr.rdbuf(old_err);
      throw;
    }
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
  }
  py::dict d;
  d["exit_code"] = code;
  d["stdout"] = out.str();
  d["stderr"] = err.str();
  return d;
}

}  // namespace

void bind_program(py::module_& m) {
  m.def("command", &run_command, py::arg("arguments"),
        "Runs the sqsim program in-process on a list of arguments (e.g. ['bound', '--dim', '64', '--json']);\n"
        "returns {'exit_code', 'stdout', 'stderr'}.");
}

}  // namespace sqsim_python
