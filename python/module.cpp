// sqsim._core: the C++ side of `import sqsim` (python/sqsim/__init__.py re-exports it).
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "sqsim: statistical-query algorithms against exact, sample-based and adversarial oracles (C++ core)";
  sqsim::python::bind_model(m);
  sqsim::python::bind_queries(m);
  sqsim::python::bind_worlds(m);
  sqsim::python::bind_families(m);
  sqsim::python::bind_catalogue(m);
  sqsim::python::bind_experiments(m);
}
