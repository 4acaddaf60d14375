// The algorithm catalogue in Python: sqsim.algorithm(name, tolerance=..., **options) builds a
// shipped or registered algorithm, its options as keyword arguments (step_size for --step-size);
// sqsim.algorithm_catalogue() lists every entry with its options; sqsim.register_algorithm adds a
// Python algorithm, with options of its own, for every command.
#include "bindings.hpp"

#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <pybind11/stl.h>

namespace sqsim::python {
namespace {

std::string keyword(std::string option) {
  for (char& c : option)
    if (c == '-') c = '_';
  return option;
}
std::string option_name(std::string keyword) {
  for (char& c : keyword)
    if (c == '_') c = '-';
  return keyword;
}

// A Python value as the text an option is parsed from (the program's rules, one parser).
std::string option_text(const std::string& name, py::handle value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::int_>(value)) return py::str(value).cast<std::string>();
  if (py::isinstance<py::float_>(value)) return sq::format_number(value.cast<double>());
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  throw py::type_error(name + ": expected a number, a bool or a string, got " + py::repr(value).cast<std::string>().substr(0, 60));
}

py::object option_value(const algorithms::OptionSpec& spec, const std::string& text) {
  switch (spec.type) {
    case algorithms::OptionType::real:
      return py::float_(algorithms::parse_real(spec, text));
    case algorithms::OptionType::integer:
      return py::int_(algorithms::parse_integer(spec, text));
    case algorithms::OptionType::flag:
      return py::bool_(algorithms::parse_flag(spec, text));
    case algorithms::OptionType::choice:
      return py::str(algorithms::parse_choice(spec, text));
  }
  return py::none();
}

py::dict option_dict(const algorithms::OptionSpec& spec) {
  py::dict d;
  d["keyword"] = keyword(spec.name);
  d["flag"] = "--" + spec.name;
  d["type"] = std::string(algorithms::to_string(spec.type));
  d["default"] = option_value(spec, spec.default_text);
  d["help"] = spec.help;
  d["choices"] = spec.choices;
  return d;
}

// options={"step_size": 0.5, "init": ("zero", "how to start", ["zero", "random"])}: a default, or
// (default, help) or (default, help, choices); the type is the default's.
std::vector<algorithms::OptionSpec> option_specs(const py::dict& options) {
  std::vector<algorithms::OptionSpec> specs;
  for (const auto& [key, declared] : options) {
    algorithms::OptionSpec spec;
    spec.name = option_name(key.cast<std::string>());
    py::object default_value = py::reinterpret_borrow<py::object>(declared);
    if (py::isinstance<py::tuple>(declared)) {
      const py::tuple t = declared.cast<py::tuple>();
      if (t.size() < 1 || t.size() > 3)
        throw py::value_error("options['" + key.cast<std::string>() + "']: expected default, (default, help) or (default, help, choices)");
      default_value = t[0];
      if (t.size() >= 2) spec.help = t[1].cast<std::string>();
      if (t.size() == 3) spec.choices = t[2].cast<std::vector<std::string>>();
    }
    spec.type = py::isinstance<py::bool_>(default_value)    ? algorithms::OptionType::flag
                : py::isinstance<py::int_>(default_value)   ? algorithms::OptionType::integer
                : py::isinstance<py::float_>(default_value) ? algorithms::OptionType::real
                                                            : algorithms::OptionType::choice;
    if (spec.type == algorithms::OptionType::choice && spec.choices.empty())
      throw py::value_error("options['" + key.cast<std::string>() + "']: a string option needs its choices: (default, help, [choices])");
    spec.default_text = option_text(spec.name, default_value);
    option_value(spec, spec.default_text);  // the default must be one of its own values
    specs.push_back(std::move(spec));
  }
  return specs;
}

// A Python algorithm made by a registered factory, owned by the command that made it; runs as the
// Python object (which takes the GIL itself).
class OwnedPythonAlgorithm : public sq::Algorithm {
 public:
  explicit OwnedPythonAlgorithm(SharedPyObject object) : object_(std::move(object)), algorithm_(&object_->cast<sq::Algorithm&>()) {}
  std::string name() const override { return algorithm_->name(); }
  sq::Vector run(sq::QueryChannel& channel) override { return algorithm_->run(channel); }

 private:
  SharedPyObject object_;
  sq::Algorithm* algorithm_;
};

void register_python_algorithm(const std::string& name, py::function factory, const std::string& description, bool vector_queries,
                               const py::dict& options) {
  algorithms::AlgorithmEntry entry{name, description.empty() ? "a Python algorithm" : description, option_specs(options), nullptr,
                                   vector_queries};
  entry.make = [name, specs = entry.options, factory = share(std::move(factory))](
                   const algorithms::RunContext& context, const algorithms::OptionValues& values) -> std::unique_ptr<sq::Algorithm> {
    py::gil_scoped_acquire gil;
    py::dict settings;
    settings["tolerance"] = context.tolerance;
    settings["seed"] = context.seed;
    settings["k"] = context.k;
    for (const algorithms::OptionSpec& spec : specs) {
      const auto given = values.find(spec.name);
      settings[py::str(keyword(spec.name))] = option_value(spec, given == values.end() ? spec.default_text : given->second);
    }
    py::object made = (*factory)(settings);
    if (!py::isinstance<sq::Algorithm>(made))
      throw std::invalid_argument("algorithm '" + name + "': the registered factory must return a sqsim.Algorithm, got " +
                                  py::repr(made).cast<std::string>().substr(0, 60));
    return std::make_unique<OwnedPythonAlgorithm>(share(std::move(made)));
  };
  algorithms::register_algorithm(std::move(entry));
}

std::unique_ptr<sq::Algorithm> make_algorithm(const std::string& name, double tolerance, std::uint64_t seed, int k,
                                              const py::kwargs& options) {
  algorithms::OptionValues values;
  for (const auto& [key, value] : options) {
    const std::string option = option_name(key.cast<std::string>());
    values[option] = option_text(option, value);
  }
  return algorithms::make_algorithm(name, {tolerance, seed, k}, values);
}

}  // namespace

void bind_catalogue(py::module_& m) {
  m.def(
      "stream_seed",
      [](std::uint64_t master, const std::string& stream) {
        const std::pair<const char*, sq::Stream> streams[] = {{"teacher", sq::Stream::teacher},      {"oracle", sq::Stream::oracle},
                                                              {"algorithm", sq::Stream::algorithm},  {"data", sq::Stream::data},
                                                              {"adversary", sq::Stream::adversary},  {"planted", sq::Stream::planted},
                                                              {"experiment", sq::Stream::experiment}};
        for (const auto& [name, value] : streams)
          if (stream == name) return sq::stream_seed(master, value);
        throw sq::ParameterError("stream", sq::printable(stream),
                                 "must be teacher, oracle, algorithm, data, adversary, planted or experiment");
      },
      py::arg("master"), py::arg("stream"),
      "The seed the program derives from its master seed for one random stream: `sqsim run --seed S` builds its\n"
      "algorithm with seed stream_seed(S, 'algorithm'), so sqsim.algorithm(..., seed=stream_seed(S, 'algorithm')) repeats it.");
  m.def("algorithm", &make_algorithm, py::arg("name"), py::kw_only(), py::arg("tolerance") = 1e-3, py::arg("seed") = 1, py::arg("k") = 4,
        "An algorithm of the catalogue by name (sqsim.algorithms() lists them): the run's tolerance, seed and parity order k,\n"
        "then the algorithm's own options as keywords (sqsim.algorithm_catalogue() lists them; step_size is --step-size).\n"
        "ValueError naming the option for one the algorithm does not take or a value it refuses.");
  m.def(
      "algorithms",
      [] {
        std::vector<std::pair<std::string, std::string>> out;
        for (const algorithms::AlgorithmEntry& a : algorithms::catalogue()) out.emplace_back(a.name, a.description);
        return out;
      },
      "(name, description) of every algorithm in the catalogue");
  m.def(
      "algorithm_catalogue",
      [] {
        py::list out;
        for (const algorithms::AlgorithmEntry& a : algorithms::catalogue()) {
          py::dict d;
          d["name"] = a.name;
          d["description"] = a.description;
          d["vector_queries"] = a.vector_queries;
          py::list options;
          for (const algorithms::OptionSpec& spec : a.options) options.append(option_dict(spec));
          d["options"] = options;
          out.append(d);
        }
        return out;
      },
      "every algorithm as {name, description, vector_queries, options: [{keyword, flag, type, default, help, choices}]}");
  m.def("register_algorithm", &register_python_algorithm, py::arg("name"), py::arg("factory"), py::kw_only(), py::arg("description") = "",
        py::arg("vector_queries") = true, py::arg("options") = py::dict(),
        "Registers a Python algorithm by name in the catalogue (sqsim.algorithm(name), sqsim.experiment(..., algorithms=[name])\n"
        "or learner=name): factory(settings) -> a sqsim.Algorithm, settings a dict of tolerance, seed, k and its\n"
        "options. options: {keyword: default} or {keyword: (default, help)} or, for a word, (default, help, [choices]);\n"
        "each becomes a keyword of sqsim.algorithm. A name can be registered once per process.");
}

}  // namespace sqsim::python
