// The SQ model in Python: typed queries, ledger, budget, the channel an algorithm is handed, the
// algorithm interface (subclassable from Python) and sqsim.run.
#include "bindings.hpp"
#include "python_algorithm.hpp"

#include "sqsim/oracles/population.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/records/run_record.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>

namespace sqsim::python {

SharedPyObject share(py::object object) {
  return SharedPyObject(new py::object(std::move(object)), [](py::object* p) {
    if (!Py_IsInitialized()) return;  // the interpreter is gone (a registered factory at exit): nothing to release
    py::gil_scoped_acquire gil;
    delete p;
  });
}

namespace {

// Handles, not objects: module-lifetime types that must not be released after the interpreter ends.
py::handle query_refused_type, budget_exceeded_type;

}  // namespace

sq::Budget make_budget(std::optional<std::int64_t> max_scalar_queries, std::optional<double> min_tolerance) {
  sq::Budget budget{max_scalar_queries, min_tolerance};
  budget.validate();
  return budget;
}

sq::QueryKind parse_kind(const std::string& name) {
  for (sq::QueryKind kind : {sq::QueryKind::stat, sq::QueryKind::l2, sq::QueryKind::correlational, sq::QueryKind::vstat})
    if (sq::to_string(kind) == name) return kind;
  throw std::invalid_argument("kind = " + sq::printable(name) + ": must be stat, l2, correlational or vstat");
}

sq::VectorNorm parse_norm(const std::string& name) {
  if (name == "l2") return sq::VectorNorm::l2;
  if (name == "linf") return sq::VectorNorm::linf;
  throw std::invalid_argument("norm = " + sq::printable(name) + ": must be l2 or linf");
}

sq::Algorithm& as_algorithm(py::handle object) {
  try {
    return object.cast<sq::Algorithm&>();
  } catch (const py::cast_error&) {
    throw py::type_error("algorithm = " + py::repr(object).cast<std::string>().substr(0, 80) +
                         ": must be a sqsim.Algorithm (a subclass, or sqsim.algorithm(name, ...) for one of the catalogue)");
  }
}

std::ostream* open_transcript(const std::optional<std::string>& path, std::ofstream& file) {
  if (!path) return nullptr;
  file.open(*path);
  if (!file) throw std::invalid_argument("transcript = " + sq::printable(*path) + ": cannot be written");
  return &file;
}

// The trampoline of sqsim.Algorithm: run() is the Python override, handed a Channel that closes
// when run() returns. A refusal or a budget stop raised through Python becomes the C++ one again, so
// that sq::run turns it into a status; any other exception keeps the ledger and last iterate here.
std::string PythonAlgorithm::name() const {
  py::gil_scoped_acquire gil;
  py::function override = py::get_override(static_cast<const sq::Algorithm*>(this), "name");
  if (override) return override().cast<std::string>();
  return py::type::of(py::cast(this)).attr("__name__").cast<std::string>();
}

sq::Vector PythonAlgorithm::run(sq::QueryChannel& channel) {
  py::gil_scoped_acquire gil;
  partial_.reset();
  const auto handle = std::make_shared<Channel>(channel);
  struct Closer {
    std::shared_ptr<Channel> channel;
    ~Closer() { channel->close(); }
  } closer{handle};
  py::function override = py::get_override(static_cast<const sq::Algorithm*>(this), "run");
  if (!override) throw std::logic_error("a subclass of sqsim.Algorithm must define run(self, channel)");
  try {
    const py::object result = override(handle);
    return to_vector(result, channel.dimension(), "the hypothesis returned by run()");
  } catch (py::error_already_set& error) {
    if (error.matches(query_refused_type)) throw sq::QueryRefused(py::str(error.value()).cast<std::string>());
    if (error.matches(budget_exceeded_type)) throw sq::BudgetExceeded(py::str(error.value()).cast<std::string>());
    partial_ = Partial{channel.ledger(), channel.last_iterate()};
    throw;
  }
}

sq::Vector to_vector(py::handle object, Eigen::Index dimension, const std::string& what) {
  const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(object);
  if (!array || array.ndim() != 1 || array.shape(0) != dimension)
    throw py::value_error(what + " must be a 1-d array of length " + std::to_string(dimension) + ", got " +
                          py::repr(object).cast<std::string>().substr(0, 80));
  return Eigen::Map<const sq::Vector>(array.data(), dimension);
}

py::dict run_result_dict(const sq::RunResult& r, const sq::Evaluator* evaluator) {
  const auto* population = dynamic_cast<const oracles::Population*>(evaluator);
  py::dict d = to_python(records::world_results(r, population ? std::optional<sq::Vector>(population->world().teacher()) : std::nullopt));
  if (r.w) d["w"] = py::cast(*r.w);  // a numpy array, as the iterates; the record's list otherwise
  d["algorithm"] = r.algorithm;
  d["oracle"] = r.oracle;
  if (!r.trace.empty()) {
    py::list trace;
    for (const sq::TracePoint& p : r.trace) {
      py::dict point;
      point["scalar_equivalent"] = p.scalar_equivalent;
      point["w"] = p.w;
      point["loss"] = p.loss ? py::cast(*p.loss) : py::none();
      trace.append(point);
    }
    d["trace"] = trace;
  }
  return d;
}

// sq::run from Python. An exception raised by a Python algorithm (or by a Python query's g inside
// it) propagates as itself, with `result` attached: the ledger and last iterate at the moment it
// was raised (status "failed").
py::dict run_from_python(py::object algorithm, sq::Oracle& oracle, std::optional<std::int64_t> max_scalar_queries,
                         std::optional<double> min_tolerance, const sq::Evaluator* evaluator, std::optional<std::string> transcript,
                         bool record_trace) {
  sq::RunOptions options;
  options.budget = make_budget(max_scalar_queries, min_tolerance);
  options.record_trace = record_trace;
  std::ofstream transcript_file;
  options.transcript = open_transcript(transcript, transcript_file);
  sq::Algorithm& cpp = as_algorithm(algorithm);
  try {
    sq::RunResult result;
    {
      py::gil_scoped_release release;
      result = sq::run(cpp, oracle, options, evaluator);
    }
    return run_result_dict(result, evaluator);
  } catch (py::error_already_set& error) {
    if (auto* python = dynamic_cast<PythonAlgorithm*>(&cpp); python && python->partial()) {
      sq::RunResult partial;
      partial.algorithm = python->name();
      partial.oracle = oracle.name();
      partial.status = sq::RunStatus::failed;
      partial.message = "the algorithm raised " + py::str(error.value()).cast<std::string>();
      partial.spent = python->partial()->ledger;
      partial.w = python->partial()->last_iterate;
      py::dict result = run_result_dict(partial, nullptr);
      if (py::hasattr(error.value(), "__dict__")) error.value().attr("result") = result;
    }
    throw;
  }
}

namespace {

// The typed queries of queries/: every oracle answers them, the hard families included.
void bind_typed_queries(py::module_& m) {
  py::module_ q = m.def_submodule("queries", "The typed queries (queries/): answered in closed form where one exists.");
  q.def("square_loss", &queries::square_loss, py::arg("w"), py::arg("scale") = 1.0, "(relu(w.x) - y)^2 / scale");
  q.def(
      "half_gradient",
      [](const sq::Vector& w, double scale, const std::string& norm) { return queries::half_gradient(w, scale, parse_norm(norm)); },
      py::arg("w"), py::arg("scale") = 1.0, py::arg("norm") = "l2",
      "(relu(w.x) - y) relu'(w.x) x / scale: half the square loss's gradient");
  q.def("half_gradient_coordinate", &queries::half_gradient_coordinate, py::arg("w"), py::arg("i"), py::arg("scale") = 1.0);
  q.def(
      "surrogate_gradient",
      [](const sq::Vector& w, double scale, const std::string& norm) { return queries::surrogate_gradient(w, scale, parse_norm(norm)); },
      py::arg("w"), py::arg("scale") = 1.0, py::arg("norm") = "l2", "(relu(w.x) - y) x / scale: GLMtron's gradient");
  q.def(
      "label_correlation",
      [](Eigen::Index d, double scale, const std::string& norm) { return queries::label_correlation(d, scale, parse_norm(norm)); },
      py::arg("dimension"), py::arg("scale") = 1.0, py::arg("norm") = "l2", "y x / scale");
  q.def("relu_correlation", &queries::relu_correlation, py::arg("w"), py::arg("scale") = 1.0, "y relu(w.x) / scale");
  q.def("threshold_correlation", &queries::threshold_correlation, py::arg("w"), py::arg("threshold"), py::arg("scale") = 1.0,
        "y 1{w.x > t} / scale");
  q.def("thresholded_label_correlation", &queries::thresholded_label_correlation, py::arg("dimension"), py::arg("threshold"),
        py::arg("scale") = 1.0, "sign(y - t) x / scale: the Chow vector of the thresholded labels");
  q.def("character", &queries::character, py::arg("dimension"), py::arg("subset"), "y prod_{i in T} sign(x_i) (a correlational query)");
  q.def(
      "character_sum",
      [](Eigen::Index d, int k, const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges, const std::string& normalization) {
        std::vector<queries::RankRange> r;
        for (const auto& [begin, end] : ranges) r.push_back({begin, end});
        if (normalization != "l2" && normalization != "stat")
          throw std::invalid_argument("normalization = " + sq::printable(normalization) + ": must be l2 or stat");
        return queries::character_sum(
            d, k, r, normalization == "l2" ? queries::CharacterSum::Normalization::l2 : queries::CharacterSum::Normalization::stat);
      },
      py::arg("dimension"), py::arg("k"), py::arg("ranges"), py::arg("normalization") = "l2",
      "(2y - 1) sum_{T in A} chi_T(sign x) / sqrt(|A|), A given as colex rank ranges [begin, end)");
  q.def("parity_relu_direction", &queries::parity_relu_direction, py::arg("dimension"), py::arg("subset"));
}

}  // namespace

void bind_model(py::module_& m) {
  query_refused_type = py::register_exception<sq::QueryRefused>(m, "QueryRefused", PyExc_RuntimeError);
  budget_exceeded_type = py::register_exception<sq::BudgetExceeded>(m, "BudgetExceeded", PyExc_RuntimeError);
  m.attr("QueryRefused").attr("__doc__") = "The oracle will not answer this query (its message says which query and why).";
  m.attr("BudgetExceeded").attr("__doc__") = "The run's budget would be exceeded by this query; it was not answered.";

  py::class_<sq::ScalarQuery>(m, "ScalarQuery", "A statistical query q(x, y) -> R (immutable).")
      .def_property_readonly("name", &sq::ScalarQuery::name)
      .def_property_readonly("kind", [](const sq::ScalarQuery& q) { return std::string(sq::to_string(q.kind())); })
      .def_property_readonly("type_name", [](const sq::ScalarQuery& q) { return std::string(q.type_name()); })
      .def_property_readonly("scale", &sq::ScalarQuery::scale, "the answer is E[q]/scale: multiply it back")
      .def("evaluate", &sq::ScalarQuery::evaluate, py::arg("x"), py::arg("y"), "q at one point (for tests and checks)")
      .def("__repr__", &sq::ScalarQuery::label);
  py::class_<sq::VectorQuery>(m, "VectorQuery", "A vector statistical query q(x, y) -> R^m, answered within tolerance in its norm.")
      .def_property_readonly("name", &sq::VectorQuery::name)
      .def_property_readonly("kind", [](const sq::VectorQuery& q) { return std::string(sq::to_string(q.kind())); })
      .def_property_readonly("type_name", [](const sq::VectorQuery& q) { return std::string(q.type_name()); })
      .def_property_readonly("dimension", &sq::VectorQuery::dimension)
      .def_property_readonly("norm", [](const sq::VectorQuery& q) { return std::string(sq::to_string(q.norm())); })
      .def_property_readonly("scale", &sq::VectorQuery::scale)
      .def(
          "evaluate",
          [](const sq::VectorQuery& q, const sq::Vector& x, double y) {
            sq::Vector out(q.dimension());
            q.evaluate(x, y, out);
            return out;
          },
          py::arg("x"), py::arg("y"))
      .def("__repr__", &sq::VectorQuery::label);

  bind_typed_queries(m);

  py::class_<Channel, std::shared_ptr<Channel>>(
      m, "Channel",
      "The only way an algorithm reaches the data: every answer is counted on the run's ledger. A channel\n"
      "lives only during the run() it was handed to.")
      .def_property_readonly("dimension", [](const Channel& c) { return c.get().dimension(); })
      .def(
          "ask",
          [](const Channel& c, const sq::ScalarQuery& query, double tolerance) {
            sq::QueryChannel& channel = c.get();
            py::gil_scoped_release release;
            return channel.ask(query, tolerance);
          },
          py::arg("query"), py::arg("tolerance"), "an answer within tolerance of E[q] (raises QueryRefused, BudgetExceeded)")
      .def(
          "ask",
          [](const Channel& c, const sq::VectorQuery& query, double tolerance) {
            sq::QueryChannel& channel = c.get();
            py::gil_scoped_release release;
            return channel.ask(query, tolerance);
          },
          py::arg("query"), py::arg("tolerance"))
      .def(
          "report_iterate", [](const Channel& c, const sq::Vector& w) { c.get().report_iterate(w); }, py::arg("w"),
          "the current hypothesis: kept if the budget stops the run, and traced against queries spent")
      .def_property_readonly("ledger", [](const Channel& c) { return to_python(records::ledger_json(c.get().ledger())); });

  py::class_<sq::Algorithm, PythonAlgorithm>(m, "Algorithm",
                                             "An SQ algorithm. Subclass it and define run(self, channel) -> w (a numpy vector of length\n"
                                             "channel.dimension); ask queries only through the channel. name() defaults to the class name.")
      .def(py::init<>())
      .def("name", &sq::Algorithm::name)
      .def("__repr__", [](const sq::Algorithm& a) { return "<sqsim algorithm '" + a.name() + "'>"; });

  py::class_<sq::Oracle>(m, "Oracle", "An oracle; reachable by an algorithm only through the channel a run hands it.")
      .def_property_readonly("name", &sq::Oracle::name)
      .def_property_readonly("dimension", &sq::Oracle::dimension);
  py::class_<sq::Evaluator>(m, "Evaluator", "Population quantities used to score a run (outside the ledger).")
      .def("loss", &sq::Evaluator::loss, py::arg("w"))
      .def("opt", &sq::Evaluator::opt);

  m.def("run", &run_from_python, py::arg("algorithm"), py::arg("oracle"), py::kw_only(), py::arg("max_scalar_queries") = py::none(),
        py::arg("min_tolerance") = py::none(), py::arg("evaluator") = py::none(), py::arg("transcript") = py::none(),
        py::arg("record_trace") = false,
        "Runs an algorithm against an oracle through a fresh ledger. Returns a dict: status (completed,\n"
        "budget_exhausted, refused, failed), message, w, ledger, queries, loss/opt/excess (with an evaluator),\n"
        "trace (with record_trace). A Python exception raised inside the run propagates with .result attached.");
}

}  // namespace sqsim::python
