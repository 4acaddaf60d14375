// Worlds and their oracles in Python: Gaussian ReLU worlds with their exact population quantities,
// the exact and sample oracles (bind_families.cpp: the hard families).
#include "bindings.hpp"

#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/sq/errors.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

namespace sqsim::python {

void bind_worlds(py::module_& m) {
  py::class_<oracles::ReluWorld>(m, "ReluWorld",
                                 "x ~ N(0, I_d) and a label depending on x through u = v.x. labels: relu, noisy-relu, clipped-relu,\n"
                                 "agnostic, band, mirror; noise: the model's eta (see `sqsim run --help`).")
      .def(py::init([](const sq::Vector& teacher, const std::string& labels, double noise) {
             return oracles::ReluWorld({oracles::parse_label_model(labels), teacher, noise});
           }),
           py::arg("teacher"), py::arg("labels") = "relu", py::arg("noise") = 0.0)
      .def_property_readonly("dimension", &oracles::ReluWorld::dimension)
      .def_property_readonly("teacher", &oracles::ReluWorld::teacher)
      .def_property_readonly("labels", [](const oracles::ReluWorld& w) { return std::string(oracles::to_string(w.label_model())); })
      .def_property_readonly("noise", &oracles::ReluWorld::noise)
      .def("__repr__", &oracles::ReluWorld::description);

  py::class_<oracles::Population, sq::Evaluator>(m, "Population",
                                                 "Exact population loss, gradient and opt of a world (outside any ledger).")
      .def(py::init<oracles::ReluWorld>(), py::arg("world"))
      .def("loss", &oracles::Population::loss, py::arg("w"), "E[(relu(w.x) - y)^2]")
      .def("gradient", &oracles::Population::gradient, py::arg("w"))
      .def(
          "opt", [](const oracles::Population& p) { return *p.opt(); }, "min_w of the loss")
      .def("optimum", &oracles::Population::optimum, "a minimiser");

  py::class_<oracles::ExactOracle, sq::Oracle>(
      m, "ExactOracle",
      "Answers every ridge query (typed, C++ or Python g) by closed forms or quadrature, moved within the\n"
      "tolerance by the perturbation policy: truthful, uniform, worst-case or vstat.")
      .def(py::init([](const oracles::ReluWorld& world, const std::string& perturbation, std::uint64_t seed) {
             return std::make_unique<oracles::ExactOracle>(world,
                                                           oracles::ExactOracleParams{oracles::parse_perturbation(perturbation), seed});
           }),
           py::arg("world"), py::kw_only(), py::arg("perturbation") = "truthful", py::arg("seed") = 1);

  py::class_<oracles::SampleOracle, sq::Oracle>(
      m, "SampleOracle",
      "Answers from fresh samples of the world (or from a fixed pool X (n, d), y (n,)): per query enough\n"
      "samples for P(error > tau) <= failure_probability; refuses a plan above max_samples. With a Python\n"
      "query, threads serialise on its g (it holds the GIL).")
      .def(py::init([](const oracles::ReluWorld& world, double failure_probability, std::uint64_t seed, int threads, double max_samples) {
             return std::make_unique<oracles::SampleOracle>(world,
                                                            oracles::SampleOracleParams{failure_probability, seed, threads, max_samples});
           }),
           py::arg("world"), py::kw_only(), py::arg("failure_probability") = 0.01, py::arg("seed") = 1, py::arg("threads") = 0,
           py::arg("max_samples") = 1e9)
      .def(py::init([](const sq::Matrix& X, const sq::Vector& y, double failure_probability, std::uint64_t seed, int threads) {
             if (X.rows() != y.size())
               throw std::invalid_argument("X has " + std::to_string(X.rows()) + " rows but y has " + std::to_string(y.size()) + " labels");
             oracles::Dataset pool{X.transpose(), y};
             return std::make_unique<oracles::SampleOracle>(std::move(pool),
                                                            oracles::SampleOracleParams{failure_probability, seed, threads, 1e9});
           }),
           py::arg("X"), py::arg("y"), py::kw_only(), py::arg("failure_probability") = 0.01, py::arg("seed") = 1, py::arg("threads") = 0);
}

}  // namespace sqsim::python
