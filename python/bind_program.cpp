// The shipped algorithms by name (the registry of `sqsim run --algorithm`), and the sqsim program
// run in-process: sqsim.command([...]) gives the exit code, stdout and stderr of any command, which
// is how the experiments, the demo and the bound command are reached from Python.
#include "bindings.hpp"

#include "experiment.hpp"
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

// A Python algorithm made by a factory registered with sqsim.register_algorithm, owned by the
// command that made it; runs as the Python object (which takes the GIL itself).
class OwnedPythonAlgorithm : public sq::Algorithm {
 public:
  explicit OwnedPythonAlgorithm(SharedPyObject object) : object_(std::move(object)), algorithm_(&object_->cast<sq::Algorithm&>()) {}
  std::string name() const override { return algorithm_->name(); }
  sq::Vector run(sq::QueryChannel& channel) override { return algorithm_->run(channel); }

 private:
  SharedPyObject object_;
  sq::Algorithm* algorithm_;
};

py::dict settings_dict(const cli::AlgorithmSettings& s) {
  py::dict d;
  d["tolerance"] = s.tolerance;
  d["iterations"] = s.iterations;
  d["step_size"] = s.step_size;
  d["radius"] = s.radius;
  d["label_second_moment"] = s.label_second_moment;
  d["k"] = s.k;
  d["signal"] = s.signal;
  d["seed"] = s.seed;
  return d;
}

void register_python_algorithm(const std::string& name, py::function factory, const std::string& description, bool vector_queries) {
  cli::register_algorithm(name, description.empty() ? "a Python algorithm" : description,
                          [name, factory = share(std::move(factory))](const cli::AlgorithmSettings& settings) -> std::unique_ptr<sq::Algorithm> {
                            py::gil_scoped_acquire gil;
                            py::object made = (*factory)(settings_dict(settings));
                            if (!py::isinstance<sq::Algorithm>(made))
                              throw std::invalid_argument("algorithm '" + name + "': the registered factory must return a sqsim.Algorithm, got " +
                                                          py::repr(made).cast<std::string>().substr(0, 60));
                            return std::make_unique<OwnedPythonAlgorithm>(share(std::move(made)));
                          },
                          vector_queries);
}

}  // namespace

void bind_program(py::module_& m) {
  m.def("register_algorithm", &register_python_algorithm, py::arg("name"), py::arg("factory"), py::kw_only(), py::arg("description") = "",
        py::arg("vector_queries") = true,
        "Registers a Python algorithm by name for every command (sqsim.command, sqsim.experiment(..., algorithms=[name]),\n"
        "run_hard_instance by name): factory(settings) -> a sqsim.Algorithm, settings a dict (tolerance, iterations,\n"
        "step_size, radius, label_second_moment, k, signal, seed). A name can be registered once per process.");
  m.def("algorithm",
        [](const std::string& name, double tolerance, long long iterations, double step_size, double radius, double label_second_moment,
           int k, double signal, std::uint64_t seed, const std::string& init, const std::string& gradient, double query_scale,
           double stop_threshold, bool loss_queries) {
          cli::AlgorithmSettings s;
          s.tolerance = tolerance;
          s.step_size = step_size;
          s.radius = radius;
          s.label_second_moment = label_second_moment;
          s.k = k;
          s.signal = signal;
          s.seed = seed;
          s.init = init;
          s.gradient = gradient;
          s.query_scale = query_scale;
          s.stop_threshold = stop_threshold;
          s.loss_queries = loss_queries;
          return cli::make_algorithm(name, s, iterations);
        },
        py::arg("name"), py::kw_only(), py::arg("tolerance") = 1e-3, py::arg("iterations") = 100, py::arg("step_size") = 1.0,
        py::arg("radius") = std::numeric_limits<double>::infinity(), py::arg("label_second_moment") = 1.0, py::arg("k") = 4,
        py::arg("signal") = 1.0, py::arg("seed") = 1, py::arg("init") = "zero", py::arg("gradient") = "vector", py::arg("query_scale") = 1.0,
        py::arg("stop_threshold") = 0.0, py::arg("loss_queries") = false,
        "A shipped algorithm by name (sqsim.algorithms() lists them), built from the options of `sqsim run`.");
  m.def("algorithms", [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& a : cli::registered_algorithms()) out.emplace_back(a.name, a.description);
    return out;
  }, "(name, description) of every registered algorithm");
  m.def("command", &run_command, py::arg("arguments"),
        "Runs the sqsim program in-process on a list of arguments (e.g. ['bound', '--dim', '64', '--json']);\n"
        "returns {'exit_code', 'stdout', 'stderr'}.");
}

}  // namespace sqsim_python
