// The pieces of the sqsim Python module (sqsim._core), one binder per file, and the helpers they share.
//
// Threading rule (as pygmo's for Python problems): C++ runs with the GIL released; every call back
// into Python (an algorithm's run, a query's g) takes the GIL first. Oracles that use several
// threads therefore serialise on a Python g: correct, but give a Python query's oracle threads = 1
// or expect no speedup from more.
#pragma once

#include "sq/algorithm.hpp"

#include <pybind11/pybind11.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace sqsim_python {

namespace py = pybind11;

// A Python object that C++ may copy and destroy without the GIL (the deleter takes it).
using SharedPyObject = std::shared_ptr<py::object>;
SharedPyObject share(py::object object);

void bind_model(py::module_& m);     // queries, ledger, budget, channel, algorithms, run
void bind_queries(py::module_& m);   // Python-defined ridge queries (python_query.cpp)
void bind_worlds(py::module_& m);    // worlds, oracles, hard families, hard instances, bounds
void bind_catalogue(py::module_& m); // the algorithm catalogue: algorithms by name, with their options
void bind_program(py::module_& m);   // the sqsim program in-process

// "l2", "stat", ... and "l2", "linf" as the enums, or ValueError naming the parameter.
sq::QueryKind parse_kind(const std::string& name);
sq::VectorNorm parse_norm(const std::string& name);

// Opens the transcript file a run from Python was given (nullptr without one), or ValueError naming it.
std::ostream* open_transcript(const std::optional<std::string>& path, std::ofstream& file);

// A C++ algorithm or a Python subclass of sqsim.Algorithm, as run() takes it.
sq::Algorithm& as_algorithm(py::handle object);

}  // namespace sqsim_python
