// sqsim bound: the statistical-dimension lower bound for a hard family, with its population facts.
#include "command_line.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "records.hpp"
#include "sqsim/experiments/family_bound.hpp"
#include "sqsim/records/inspection_records.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace sqsim::cli {

namespace {
constexpr const char* kBoundUsage = R"(usage: sqsim bound --family lifted-parity|orthogonal-relu --dim D --k K --tolerance T [--noise ETA]

The query lower bound that pairwise correlations imply, for a proper learner of one ReLU.

Lemma (bounded-norm statistical dimension; Feldman, Grigorescu, Reyzin, Vempala, Xiao): if the
family's members have pairwise correlations chi_D0(D_S, D_T) <= gamma (S != T) and <= beta
(S = T), a query with E_D0[q^2] <= 1 moves fewer than (beta - gamma)/(tau^2 - gamma) members by
more than tau (Bessel's inequality on the Gram matrix). An oracle that answers E_D0[q] therefore
reveals at most e = ceil((beta - gamma)/(tau^2 - gamma)) - 1 members per query, and separating the
m = C(d, k) members needs at least ceil((m - 1)/e) queries.

lifted-parity: D_S has E[y|x] = 1/2 + (1 - 2 eta) chi_S(sign x)/2; beta = (1 - 2 eta)^2, gamma = 0.
  rho = max_|u|=1 E[relu(u.x) chi_S(sign x)]; opt0, optS = best loss with |w| <= 1 under D0, D_S.
orthogonal-relu: y = f_S(x), a normalised sum of 2^k ReLUs odd in each coordinate of S (k even);
  correlational queries, beta = 1, gamma = 0. D0: y independent of x with the law of f_S(x), so
  opt0 = 1 (at w = 0; E[y^2] = 1). rho = best single-ReLU correlation, optS = 1 - 2 rho^2 (|w| <= 1).)";
}  // namespace

int bound_command(const std::vector<std::string>& args) {
  experiments::FamilyBoundSpec spec;
  bool json = false;
  po::options_description options("bound options");
  options.add_options()("family", po::value(&spec.family)->default_value(spec.family), "lifted-parity or orthogonal-relu")(
      "dim", po::value(&spec.d)->default_value(spec.d), "dimension d")("k", po::value(&spec.k)->default_value(spec.k),
                                                                       "size of the hidden subset S (even)")(
      "tolerance", po::value(&spec.tolerance)->default_value(spec.tolerance), "query tolerance tau (> 0)")(
      "noise", po::value(&spec.noise)->default_value(spec.noise), "lifted-parity label noise eta in [0, 0.5)")(
      "json", po::bool_switch(&json), "print a JSON object (family_size, rho, opt0, optS, gap, query_lower_bound, ...)");
  add_csv_option(options);
  if (!parse_command_line(args, options, kBoundUsage)) return 0;
  const experiments::FamilyBoundReport report = experiments::family_bound(spec);
  if (publish(records::bound_record(spec, report), json)) return 0;
  const std::string& family = spec.family;
  const long long d = spec.d, k = spec.k;
  const double noise = spec.noise, tolerance = spec.tolerance, family_size = report.family_size;
  const double beta = report.facts.beta, rho = report.facts.rho, opt0 = report.facts.opt0, optS = report.facts.optS;
  const lower_bounds::QueryLowerBound& bound = report.bound;
  std::cout << "family                 " << family << " (d = " << d << ", k = " << k << ", eta = " << format_value(noise) << ")\n"
            << "family size C(d, k)    " << format_value(family_size, 6) << "\n"
            << "beta, gamma            " << format_value(beta, 6) << ", 0\n"
            << "rho_k                  " << format_value(rho, 6) << "\n"
            << "opt0                   " << format_value(opt0, 8) << "\n"
            << "optS                   " << format_value(optS, 8) << "\n"
            << "gap = opt0 - optS      " << format_value(opt0 - optS, 6) << "\n"
            << "tolerance tau          " << format_value(tolerance) << "\n"
            << "members per query < e  " << format_value(bound.max_exposed_per_query + 1, 6) << " (beta / tau^2)\n"
            << "query lower bound      "
            << (std::isinf(bound.queries) ? std::string("infinite (tau^2 >= beta: no query reveals anything)")
                                          : format_value(bound.queries, 6))
            << "\n";
  return 0;
}

}  // namespace sqsim::cli