// Hard families in Python: the lifted-parity and orthogonal-ReLU families with the member and
// adversarial oracles, run_hard_instance with its certificate, and the SD bound.
#include "bindings.hpp"
#include "python_algorithm.hpp"

#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/experiments/family_run.hpp"
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/member_oracle.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"
#include "sqsim/records/run_record.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <pybind11/eigen.h>
#include <pybind11/stl.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace sqsim::python {
namespace {

using lower_bounds::HardFamily;

py::dict facts_dict(const lower_bounds::FamilyFacts& f) {
  py::dict d;
  d["opt0"] = f.opt0;
  d["optS"] = f.optS;
  d["gap"] = f.gap;
  d["rho"] = f.rho;
  d["beta"] = f.beta;
  d["gamma"] = f.gamma;
  return d;
}

std::vector<int> as_list(const lower_bounds::Subset& s) { return {s.begin(), s.end()}; }

lower_bounds::Subset as_subset(const std::vector<int>& member) { return lower_bounds::Subset(member.begin(), member.end()); }

// experiments::run_on_family, as `sqsim run --family` runs it: the dict is that record's results,
// plus algorithm, oracle, family (the record's context has them) and, when recorded, trace.
py::dict hard_instance(py::object algorithm, std::shared_ptr<HardFamily> family, double tolerance,
                       std::optional<std::int64_t> max_scalar_queries, std::optional<std::vector<int>> planted, std::uint64_t seed,
                       std::uint64_t max_tracked, std::uint64_t subfamily_size, int threads, bool record_trace,
                       std::optional<std::string> transcript, const std::string& oracle, const std::string& perturbation) {
  experiments::FamilyRunSpec spec;
  if (oracle != "adversary" && oracle != "member") throw py::value_error("oracle = " + oracle + ": must be adversary or member");
  spec.oracle = oracle == "adversary" ? experiments::FamilyOracle::adversary : experiments::FamilyOracle::member;
  spec.tolerance = tolerance;
  spec.budget = make_budget(max_scalar_queries, std::nullopt);
  if (planted) {
    spec.member = as_subset(*planted);
    family->check_member(*spec.member);
  }
  spec.seed = seed;
  spec.max_tracked = max_tracked;
  spec.subfamily_size = subfamily_size;
  spec.threads = threads;
  spec.perturbation = oracles::parse_perturbation(perturbation);
  spec.record_trace = record_trace;
  std::ofstream transcript_file;
  spec.transcript = open_transcript(transcript, transcript_file);
  spec.validate();
  // By name, built as the program builds it: the run's tolerance, the seed's algorithm stream, the family's k.
  std::unique_ptr<sq::Algorithm> by_name;
  if (py::isinstance<py::str>(algorithm))
    by_name = algorithms::make_algorithm(algorithm.cast<std::string>(),
                                         {tolerance, sq::stream_seed(seed, sq::Stream::algorithm), family->order()}, {});
  sq::Algorithm& cpp = by_name ? *by_name : as_algorithm(algorithm);
  experiments::FamilyRunReport report;
  {
    py::gil_scoped_release release;
    report = experiments::run_on_family(cpp, std::move(family), spec);
  }
  py::dict d = to_python(records::run_record(report, seed)["results"]);
  py::dict run = run_result_dict(report.run, nullptr);
  for (const char* key : {"w", "algorithm", "oracle", "trace"})
    if (run.contains(key)) d[key] = run[key];
  d["family"] = report.family;
  return d;
}

// The member and adversarial oracles, the hard-instance run and the SD bound.
void bind_family_oracles(py::module_& m) {
  py::class_<lower_bounds::MemberOracle, sq::Oracle>(m, "MemberOracle", "Exact answers under one member D_S, moved within tolerance.")
      .def(py::init(
               [](std::shared_ptr<HardFamily> family, const std::vector<int>& member, const std::string& perturbation, std::uint64_t seed) {
                 return std::make_unique<lower_bounds::MemberOracle>(std::move(family), as_subset(member),
                                                                     oracles::parse_perturbation(perturbation), seed);
               }),
           py::arg("family"), py::arg("member"), py::kw_only(), py::arg("perturbation") = "truthful", py::arg("seed") = 1);
  py::class_<lower_bounds::MemberEvaluator, sq::Evaluator>(m, "MemberEvaluator", "Scores w under one member: L_S(w), opt = optS.")
      .def(py::init([](std::shared_ptr<HardFamily> family, const std::vector<int>& member) {
             return std::make_unique<lower_bounds::MemberEvaluator>(std::move(family), as_subset(member));
           }),
           py::arg("family"), py::arg("member"));
  py::class_<lower_bounds::AdversarialOracle, sq::Oracle>(
      m, "AdversarialOracle", "Answers every query with its D0 value and records which members each answer exposes.")
      .def(py::init([](std::shared_ptr<HardFamily> family, std::uint64_t max_tracked, std::uint64_t subfamily_size, std::uint64_t seed,
                       int threads) {
             lower_bounds::AdversaryParams params;
             params.max_tracked = max_tracked;
             params.subfamily_size = subfamily_size;
             params.seed = seed;
             params.threads = threads;
             return std::make_unique<lower_bounds::AdversarialOracle>(std::move(family), params);
           }),
           py::arg("family"), py::kw_only(), py::arg("max_tracked") = 0, py::arg("subfamily_size") = 100'000, py::arg("seed") = 1,
           py::arg("threads") = 0)
      .def_property_readonly("members_exposed", &lower_bounds::AdversarialOracle::exposed_members)
      .def_property_readonly("tracked_members", &lower_bounds::AdversarialOracle::tracked_members);

  m.def("run_hard_instance", &hard_instance, py::arg("algorithm"), py::arg("family"), py::kw_only(), py::arg("tolerance") = 1e-3,
        py::arg("max_scalar_queries") = py::none(), py::arg("planted") = py::none(), py::arg("seed") = 1, py::arg("max_tracked") = 0,
        py::arg("subfamily_size") = 100'000, py::arg("threads") = 0, py::arg("record_trace") = false, py::arg("transcript") = py::none(),
        py::arg("oracle") = "adversary", py::arg("perturbation") = "truthful",
        "Runs the algorithm (a sqsim.Algorithm, or a catalogue name: built with this tolerance, the seed's algorithm\n"
        "stream and the family's k, as the program builds it) on the family as `sqsim run --family` does (same seed,\n"
        "same run): against the adversary,\n"
        "planting an unexposed member, with the certificate (certified, certified_excess, certificate, planted, loss\n"
        "under the planted member, opt0/optS/gap, members_exposed, exposed_per_query, ...); or (oracle='member')\n"
        "against one member's exact oracle, moved within tolerance by perturbation. The keys are the record's\n"
        "results, plus algorithm, oracle, family and (record_trace) trace.");

  m.def(
      "statistical_query_lower_bound",
      [](double family_size, double beta, double gamma, double tolerance) {
        const auto b = lower_bounds::statistical_query_lower_bound(family_size, beta, gamma, tolerance);
        py::dict d;
        d["family_size"] = b.family_size;
        d["beta"] = b.beta;
        d["gamma"] = b.gamma;
        d["tolerance"] = b.tolerance;
        d["max_exposed_per_query"] = b.max_exposed_per_query;
        d["queries"] = b.queries;
        d["applies"] = b.applies;
        return d;
      },
      py::arg("family_size"), py::arg("beta"), py::arg("gamma"), py::arg("tolerance"),
      "The statistical-dimension bound: queries any SQ algorithm needs at this tolerance (see `sqsim bound`).");
}

}  // namespace

void bind_families(py::module_& m) {
  py::class_<HardFamily, std::shared_ptr<HardFamily>>(
      m, "HardFamily", "A family of distributions D_S over the k-subsets S of [d] and a reference D0 (lower_bounds/).")
      .def_property_readonly("name", &HardFamily::name)
      .def_property_readonly("dimension", &HardFamily::dimension)
      .def_property_readonly("k", &HardFamily::order)
      .def_property_readonly(
          "size", [](const HardFamily& f) { return static_cast<double>(f.size()); }, "C(d, k)")
      .def(
          "facts", [](const HardFamily& f) { return facts_dict(f.facts()); }, "opt0, optS, gap, rho, beta, gamma")
      .def(
          "member", [](const HardFamily& f, std::uint64_t rank) { return as_list(f.member(rank)); }, py::arg("rank"),
          "the member of colex rank r")
      .def(
          "loss",
          [](const HardFamily& f, const sq::Vector& w, const std::vector<int>& member) {
            const auto s = as_subset(member);
            f.check_member(s);
            return f.loss(w, s);
          },
          py::arg("w"), py::arg("member"))
      .def("reference_loss", &HardFamily::reference_loss, py::arg("w"))
      .def(
          "optimal_w",
          [](const HardFamily& f, const std::vector<int>& member) {
            const auto s = as_subset(member);
            f.check_member(s);
            return f.optimal_w(s);
          },
          py::arg("member"))
      .def(
          "sample",
          [](const HardFamily& f, const std::vector<int>& member, Eigen::Index n, std::uint64_t seed) {
            const auto s = as_subset(member);
            if (!s.empty()) f.check_member(s);
            sq::Engine engine(seed);
            sq::Matrix X(n, f.dimension());
            sq::Vector y(n), x(f.dimension());
            for (Eigen::Index i = 0; i < n; ++i) {
              y[i] = f.sample(engine, s, x);
              X.row(i) = x.transpose();
            }
            return py::make_tuple(X, y);
          },
          py::arg("member"), py::arg("n"), py::arg("seed") = 1, "n samples (X of shape (n, d), y) of member S ([] for D0)")
      .def("__repr__", &HardFamily::description);

  m.def(
      "lifted_parity",
      [](int d, int k, double noise) -> std::shared_ptr<HardFamily> {
        return lower_bounds::LiftedParity::make({d, k, noise});
      },
      py::arg("d"), py::arg("k"), py::arg("noise") = 0.0,
      "The k-sparse parity hidden in Gaussian space: x ~ N(0, I_d), y in {0, 1} with P(y = 1) = (1 + (1 - 2 eta) chi_S(sign x)) / 2.");
  m.def(
      "orthogonal_relu",
      [](int d, int k) -> std::shared_ptr<HardFamily> {
        return lower_bounds::OrthogonalRelu::make({d, k});
      },
      py::arg("d"), py::arg("k"), "The correlational family f_S of Goel-Gollakota-Jin-Karmalkar-Klivans 2020.");

  bind_family_oracles(m);
}

}  // namespace sqsim::python
