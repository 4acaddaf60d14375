// The pieces of the sqsim Python module (sqsim._core), one binder per file, and the helpers they share.
//
// Threading rule (as pygmo's for Python problems): C++ runs with the GIL released; every call back
// into Python (an algorithm's run, a query's g) takes the GIL first. Oracles that use several
// threads therefore serialise on a Python g: correct, but give a Python query's oracle threads = 1
// or expect no speedup from more.
#pragma once

#include "sqsim/sq/algorithm.hpp"
#include "sqsim/sq/harness.hpp"

#include <pybind11/pybind11.h>
#include <nlohmann/json_fwd.hpp>

#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace sqsim::python {

namespace py = pybind11;

// A Python object that C++ may copy and destroy without the GIL (the deleter takes it).
using SharedPyObject = std::shared_ptr<py::object>;
SharedPyObject share(py::object object);

void bind_model(py::module_& m);        // queries, ledger, budget, channel, algorithms, run
void bind_queries(py::module_& m);      // Python-defined ridge queries (python_query.cpp)
void bind_worlds(py::module_& m);       // worlds and their exact and sample oracles
void bind_families(py::module_& m);     // hard families, their oracles, hard instances, bounds
void bind_catalogue(py::module_& m);    // the algorithm catalogue: algorithms by name, with their options
void bind_experiments(py::module_& m);  // the experiments, the demo and the bound, by keyword

// "l2", "stat", ... and "l2", "linf" as the enums, or ValueError naming the parameter.
sq::QueryKind parse_kind(const std::string& name);
sq::VectorNorm parse_norm(const std::string& name);

// A run's budget from sqsim's keywords, validated (ValueError naming the value).
sq::Budget make_budget(std::optional<std::int64_t> max_scalar_queries, std::optional<double> min_tolerance);

// Opens the transcript file a run from Python was given (nullptr without one), or ValueError naming it.
std::ostream* open_transcript(const std::optional<std::string>& path, std::ofstream& file);

// A record (records/) as Python objects: dicts, lists, numbers, None for JSON's null.
py::object to_python(const nlohmann::json& record);

// A C++ algorithm or a Python subclass of sqsim.Algorithm, as run() takes it.
sq::Algorithm& as_algorithm(py::handle object);

}  // namespace sqsim::python
