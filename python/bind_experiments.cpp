// The experiments, the demo and the bound from Python: keyword options set the fields of the same
// config the program fills from its flags (the flag's name with '_' for '-'), the library runs it,
// and the records library writes the record the program prints with --json, as a dict.
#include "bindings.hpp"

#include "sqsim/experiments/approximation.hpp"
#include "sqsim/experiments/bound_window.hpp"
#include "sqsim/experiments/family_bound.hpp"
#include "sqsim/experiments/gd_failure.hpp"
#include "sqsim/experiments/reduction.hpp"
#include "sqsim/experiments/scaling.hpp"
#include "sqsim/experiments/sq_bound.hpp"
#include "sqsim/experiments/tradeoff.hpp"
#include "sqsim/records/experiment_records.hpp"
#include "sqsim/records/inspection_records.hpp"
#include "sqsim/sq/errors.hpp"

#include <pybind11/stl.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <utility>

namespace sqsim::python {
namespace {

// The keywords one experiment takes, each setting a field of its config; an unknown keyword or a
// value of the wrong type is a TypeError naming it (the config's validate() judges the values).
template <class Config>
class Keywords {
 public:
  explicit Keywords(std::string what) : what_(std::move(what)) {}

  template <class T>
  Keywords& add(const std::string& name, T Config::*field) {
    setters_[name] = [what = what_, name, field](Config& config, py::handle value) { config.*field = convert<T>(what, name, value); };
    return *this;
  }
  template <class T>
  Keywords& add(const std::string& name, std::function<void(Config&, T)> set) {
    setters_[name] = [what = what_, name, set](Config& config, py::handle value) { set(config, convert<T>(what, name, value)); };
    return *this;
  }

  Config apply(const py::kwargs& options, Config config = {}) const {
    for (const auto& item : options) {
      const std::string name = item.first.cast<std::string>();
      const auto setter = setters_.find(name);
      if (setter == setters_.end()) {
        std::string known;
        for (const auto& s : setters_) known += (known.empty() ? "" : ", ") + s.first;
        throw py::type_error(what_ + ": unknown option '" + name + "' (its options: " + known + ")");
      }
      setter->second(config, item.second);
    }
    return config;
  }

 private:
  // The setters are copied with the table: they hold what they need, never `this`.
  template <class T>
  static T convert(const std::string& what, const std::string& name, py::handle value) {
    try {
      return value.cast<T>();
    } catch (const py::cast_error&) {
      throw py::type_error(what + ": " + name + " = " + py::repr(value).cast<std::string>().substr(0, 80) + " has the wrong type");
    }
  }

  std::string what_;
  std::map<std::string, std::function<void(Config&, py::handle)>> setters_;
};

// A library call with the GIL released (a Python algorithm or query takes it back when called).
template <class F>
auto without_gil(F&& f) {
  py::gil_scoped_release release;
  return f();
}

py::object approximation(const py::kwargs& options) {
  static const auto keywords = Keywords<experiments::ApproximationConfig>("experiment approximation")
                                   .add("dim", &experiments::ApproximationConfig::d)
                                   .add("opts", &experiments::ApproximationConfig::opts)
                                   .add("labels", &experiments::ApproximationConfig::labels)
                                   .add("algorithms", &experiments::ApproximationConfig::algorithms)
                                   .add("tolerance", &experiments::ApproximationConfig::tolerance)
                                   .add("seeds", &experiments::ApproximationConfig::seeds)
                                   .add("bootstrap", &experiments::ApproximationConfig::bootstrap)
                                   .add("seed", &experiments::ApproximationConfig::seed);
  const auto config = keywords.apply(options);
  return to_python(records::approximation_record(config, without_gil([&] { return experiments::run_approximation(config); })));
}

py::object sq_bound(const py::kwargs& options) {
  static const auto keywords = Keywords<experiments::SqBoundConfig>("experiment sq-bound")
                                   .add("k", &experiments::SqBoundConfig::k)
                                   .add("dims", &experiments::SqBoundConfig::dims)
                                   .add("tolerances", &experiments::SqBoundConfig::tolerances)
                                   .add("noise", &experiments::SqBoundConfig::noise)
                                   .add("seeds", &experiments::SqBoundConfig::seeds)
                                   .add("max_queries", &experiments::SqBoundConfig::max_queries)
                                   .add("seed", &experiments::SqBoundConfig::seed)
                                   .add("threads", &experiments::SqBoundConfig::threads);
  const auto config = keywords.apply(options);
  return to_python(records::sq_bound_record(config, without_gil([&] { return experiments::run_sq_bound(config); })));
}

py::object tradeoff(const py::kwargs& options) {
  static const auto keywords = Keywords<experiments::TradeoffConfig>("experiment tradeoff")
                                   .add("eps", &experiments::TradeoffConfig::epsilons)
                                   .add("dims", &experiments::TradeoffConfig::dims)
                                   .add("noise", &experiments::TradeoffConfig::noise)
                                   .add("seeds", &experiments::TradeoffConfig::seeds)
                                   .add("gd_budget", &experiments::TradeoffConfig::gd_budget)
                                   .add("seed", &experiments::TradeoffConfig::seed)
                                   .add("threads", &experiments::TradeoffConfig::threads);
  const auto config = keywords.apply(options);
  return to_python(records::tradeoff_record(config, without_gil([&] { return experiments::run_tradeoff(config); })));
}

py::object reduction(const py::kwargs& options) {
  static const auto keywords = Keywords<experiments::ReductionConfig>("experiment reduction")
                                   .add("dim", &experiments::ReductionConfig::d)
                                   .add("k", &experiments::ReductionConfig::k)
                                   .add("noise", &experiments::ReductionConfig::noise)
                                   .add("learner", &experiments::ReductionConfig::learner)
                                   .add("tolerance", &experiments::ReductionConfig::tolerance)
                                   .add("delta", &experiments::ReductionConfig::delta)
                                   .add("seed", &experiments::ReductionConfig::seed)
                                   .add("threads", &experiments::ReductionConfig::threads);
  const auto config = keywords.apply(options);
  return to_python(records::reduction_record(config, without_gil([&] { return experiments::run_reduction(config); })));
}

py::object scaling(experiments::Scaling experiment, const py::kwargs& options) {
  static const auto keywords = Keywords<experiments::ScalingConfig>("experiment")
                                   .add("k", &experiments::ScalingConfig::k)
                                   .add("dims", &experiments::ScalingConfig::dims)
                                   .add("noise", &experiments::ScalingConfig::noise)
                                   .add("samples", &experiments::ScalingConfig::samples)
                                   .add("tolerance", &experiments::ScalingConfig::tolerance)
                                   .add("max_steps", &experiments::ScalingConfig::max_steps)
                                   .add("seed", &experiments::ScalingConfig::seed);
  experiments::ScalingConfig config;
  config.experiment = experiment;
  config = keywords.apply(options, config);
  return to_python(records::scaling_record(config, without_gil([&] { return experiments::run_scaling(config); })));
}

py::object experiment(const std::string& name, const py::kwargs& options) {
  if (name == "approximation") return approximation(options);
  if (name == "sq-bound") return sq_bound(options);
  if (name == "tradeoff") return tradeoff(options);
  if (name == "reduction") return reduction(options);
  if (name == "signal") return scaling(experiments::Scaling::signal, options);
  if (name == "exactness") return scaling(experiments::Scaling::exactness, options);
  if (name == "parity-search") return scaling(experiments::Scaling::parity_search, options);
  throw py::value_error("experiment = " + name +
                        ": must be signal, exactness, parity-search, sq-bound, tradeoff, reduction or approximation");
}

// The demo's two configs: GD on the hard and the easy instance, and part 4 (bound_seeds) at the same d, k, noise, seed, threads.
struct DemoConfig {
  experiments::GdFailureConfig gd;
  int bound_seeds = 5;
};

py::object demo(const std::optional<std::string>& part, const py::kwargs& options) {
  if (part && *part != "gd-failure")
    throw py::value_error("demo = " + *part + ": from Python only gd-failure (the default); demo relu is sqsim.run on sqsim.ReluWorld");
  using C = DemoConfig;
  static const auto keywords =
      Keywords<C>("demo")
          .add<int>("dim", [](C& c, int v) { c.gd.d = v; })
          .add<int>("k", [](C& c, int v) { c.gd.k = v; })
          .add<double>("noise", [](C& c, double v) { c.gd.noise = v; })
          .add<double>("tolerance",
                       [](C& c, double v) {
                         // 0 means "choose it" in the config; a given tolerance must be > 0.
                         if (!(v > 0.0)) throw sq::ParameterError("tolerance", sq::format_number(v), "must be a finite number > 0");
                         c.gd.tolerance = v;
                       })
          .add<std::int64_t>("budget", [](C& c, std::int64_t v) { c.gd.hard_budget = v; })
          .add("bound_seeds", &C::bound_seeds)
          .add<std::uint64_t>("seed", [](C& c, std::uint64_t v) { c.gd.seed = v; })
          .add<int>("threads", [](C& c, int v) { c.gd.threads = v; });
  const DemoConfig config = keywords.apply(options);
  config.gd.validate();
  const experiments::GdFailureConfig& gd = config.gd;
  const experiments::BoundWindowConfig window_config{gd.d, gd.k, gd.noise, config.bound_seeds, gd.seed, gd.threads};
  window_config.validate();
  const auto [report, window] = without_gil([&] {
    return std::pair{experiments::run_gd_failure(gd), experiments::run_bound_window(window_config)};
  });
  return to_python(records::gd_failure_record(gd, report, window_config, window));
}

py::object bound(const py::kwargs& options) {
  static const auto keywords = Keywords<experiments::FamilyBoundSpec>("bound")
                                   .add("family", &experiments::FamilyBoundSpec::family)
                                   .add("dim", &experiments::FamilyBoundSpec::d)
                                   .add("k", &experiments::FamilyBoundSpec::k)
                                   .add("tolerance", &experiments::FamilyBoundSpec::tolerance)
                                   .add("noise", &experiments::FamilyBoundSpec::noise);
  const auto spec = keywords.apply(options);
  return to_python(records::bound_record(spec, experiments::family_bound(spec)));
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.def("experiment", &experiment, py::arg("name"),
        "Runs an experiment (signal, exactness, parity-search, sq-bound, tradeoff, reduction, approximation) and\n"
        "returns its record, the dict `sqsim experiment NAME --json` prints. Options are the command's flags as\n"
        "keywords ('-' as '_', lists as lists): experiment('approximation', dim=6, opts=[1e-3, 1e-2], labels=['mirror']).");
  m.def("demo", &demo, py::arg("part") = py::none(),
        "The gd-failure demo's record (`sqsim demo --json`): dim, k, noise, tolerance, budget, bound_seeds, seed, threads.");
  m.def("bound", &bound,
        "A hard family's facts and the statistical-dimension bound (`sqsim bound --json`): family, dim, k, tolerance, noise.");
}

}  // namespace sqsim::python
