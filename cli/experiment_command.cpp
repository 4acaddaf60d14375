// sqsim experiment: the scaling measurements behind the lower-bound story.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiments/gd_failure.hpp"
#include "lower_bounds/statistical_dimension.hpp"
#include "family_options.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "records.hpp"
#include "sq/errors.hpp"
#include "sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <algorithm>
#include <numeric>
#include <optional>

namespace po = boost::program_options;

namespace cli {

namespace {
constexpr const char* kExperimentUsage = R"(usage: sqsim experiment signal|exactness|parity-search|sq-bound|tradeoff|reduction|approximation [options]

sq-bound       group testing beside the statistical-dimension bound ('sqsim experiment sq-bound --help')
tradeoff       the time/accuracy tradeoff d^{Theta(log 1/eps)} ('sqsim experiment tradeoff --help')
reduction      parity with noise lifted into ReLU regression and decoded back ('sqsim experiment reduction --help')
approximation  excess loss against opt of the approximation algorithms ('sqsim experiment approximation --help')

signal         the hard-family component of GD's gradient at random unit w, (1 - 2 eta)/2 |grad R_S(w)|,
               for the planted S (geometric mean over --samples w: the typical size) and the largest over all members (mean), against d:
               it falls like d^{-(k-1)/2}, so any tolerance above it hides S.
exactness      GD with the truthful exact oracle of D_S (random start, step 1): steps until the loss
               drops below opt0 - gap/2, against d (median over --samples starts); the fitted exponent
               is the time side of the tradeoff.
parity-search  queries of the exhaustive parity search to find a random S, against d, beside C(d, k)
               and the statistical-dimension bound at --tolerance.)";
}  // namespace

int experiment_command(const std::vector<std::string>& args) {
  if (args.empty() || args.front().starts_with("-")) {
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
      std::cout << kExperimentUsage << "\n";
      return 0;
    }
    throw UsageError("experiment: missing name (signal, exactness, parity-search, sq-bound, tradeoff, reduction or approximation)");
  }
  const std::string name = args.front();
  if (name == "sq-bound") return sq_bound_experiment(std::vector<std::string>(args.begin() + 1, args.end()));
  if (name == "tradeoff") return tradeoff_experiment(std::vector<std::string>(args.begin() + 1, args.end()));
  if (name == "reduction") return reduction_experiment(std::vector<std::string>(args.begin() + 1, args.end()));
  if (name == "approximation") return approximation_experiment(std::vector<std::string>(args.begin() + 1, args.end()));
  if (name != "signal" && name != "exactness" && name != "parity-search")
    throw UsageError("experiment = " + name + ": must be signal, exactness, parity-search, sq-bound, tradeoff, reduction or approximation");
  int k = 4, samples = 10;
  double noise = 0.0, tolerance = 0.01;
  long long max_steps = 1'000'000;
  std::string dims_text = "8,16,32,64";
  std::uint64_t seed = 1;
  bool json = false;
  std::optional<std::string> plot;
  po::options_description options("experiment options");
  options.add_options()
    ("k", po::value(&k)->default_value(4), "parity size (even)")
    ("dims", po::value(&dims_text)->default_value("8,16,32,64"), "dimensions, comma-separated")
    ("noise", po::value(&noise)->default_value(0.0), "label noise eta in [0, 0.5)")
    ("samples", po::value(&samples)->default_value(10), "random w (signal), starts (exactness) or subsets S (parity-search) per d")
    ("tolerance", po::value(&tolerance)->default_value(0.01), "parity-search: query tolerance")
    ("max-steps", po::value(&max_steps)->default_value(1'000'000), "exactness: give up after this many steps")
    ("seed", seed_option(seed), "master seed")
    ("json", po::bool_switch(&json), "print a JSON object")
    ("plot", po::value<std::string>()->notifier([&](const std::string& s) { plot = s; }),
     "the measured curve against d (log-log) with its reference (theory slope, SD bound, fit) to FILE.png, .svg or .pdf");
  add_csv_option(options);
  if (!parse_command_line(std::vector<std::string>(args.begin() + 1, args.end()), options, kExperimentUsage)) return 0;
  const std::vector<int> dims = parse_integer_list(dims_text, "dims", 1, static_cast<int>(kMaxFamilyDimension));
  for (int d : dims) lower_bounds::LiftedParityParams{d, k, noise}.validate();
  sq::require(dims.size() >= 2, "dims", dims_text, "needs at least two dimensions to fit a slope");
  sq::require(samples >= 1, "samples", samples, "must be at least 1");
  sq::require(std::isfinite(tolerance) && tolerance > 0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(max_steps >= 1, "max-steps", max_steps, "must be at least 1");
  const std::optional<std::string> plot_target = plot ? std::optional<std::string>(check_plot_target(*plot)) : std::nullopt;
  std::vector<std::pair<double, double>> reference;  // the plot's reference curve
  std::string reference_title;

  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::vector<std::string>> table;
  std::vector<double> x, y;
  std::vector<std::string> header;
  if (name == "signal") {
    header = {"d", "planted (typical)", "largest member (mean)"};
    for (const auto& p : experiments::signal_versus_dimension(k, noise, dims, samples, seed)) {
      x.push_back(p.d);
      y.push_back(p.planted);
      rows.push_back({{"d", p.d}, {"planted", p.planted}, {"largest", std::isnan(p.largest) ? nlohmann::json(nullptr) : nlohmann::json(p.largest)}});
      table.push_back({std::to_string(p.d), format_value(p.planted, 4), format_value(p.largest, 4)});
    }
  } else if (name == "exactness") {
    header = {"d", "steps (median)", "steps (min..max)", "starts that learned"};
    for (int d : dims) {
      const lower_bounds::LiftedParity family({d, k, noise});
      lower_bounds::Subset member(static_cast<std::size_t>(k));
      std::iota(member.begin(), member.end(), 0);
      std::vector<double> steps;
      for (int i = 0; i < samples; ++i) {
        if (stderr_is_terminal()) std::cerr << "d = " << d << ", start " << i + 1 << "      \r" << std::flush;
        const auto n = experiments::exact_gd_steps_to_learn(family, member, sq::derive_seed(seed, static_cast<std::uint64_t>(d * 1000 + i)), max_steps);
        if (n >= 0) steps.push_back(static_cast<double>(n));
      }
      // The count depends on the start's chance overlap with S (heavy-tailed): the median is the typical cost.
      std::sort(steps.begin(), steps.end());
      const double median = steps.empty() ? NAN : (steps[(steps.size() - 1) / 2] + steps[steps.size() / 2]) / 2;
      if (!steps.empty()) {
        x.push_back(d);
        y.push_back(median);
      }
      rows.push_back({{"d", d}, {"median_steps", steps.empty() ? nlohmann::json(nullptr) : nlohmann::json(median)}, {"steps", steps},
                      {"learned", steps.size()}, {"starts", samples}});
      table.push_back({std::to_string(d), format_value(median, 6),
                       steps.empty() ? "-" : format_value(steps.front(), 6) + ".." + format_value(steps.back(), 6),
                       std::to_string(steps.size()) + " of " + std::to_string(samples)});
    }
  } else {
    header = {"d", "queries (mean)", "C(d, k)", "SD bound"};
    for (int d : dims) {
      const lower_bounds::LiftedParity family({d, k, noise});
      double total = 0;
      for (int i = 0; i < samples; ++i)
        total += static_cast<double>(experiments::parity_search_queries(
            family, queries::random_subsets(d, k, 1, sq::derive_seed(seed, static_cast<std::uint64_t>(d * 1000 + i))).front(), tolerance));
      const double size = queries::binomial(d, k);
      const double bound = lower_bounds::statistical_query_lower_bound(size, family.facts().beta, family.facts().gamma, tolerance).queries;
      x.push_back(d);
      y.push_back(total / samples);
      if (std::isfinite(bound)) reference.emplace_back(d, std::max(1.0, bound));
      reference_title = "SD lower bound";
      rows.push_back({{"d", d}, {"mean_queries", total / samples}, {"family_size", size}, {"query_lower_bound", std::isfinite(bound) ? nlohmann::json(bound) : nlohmann::json(nullptr)}});
      table.push_back({std::to_string(d), format_value(total / samples, 6), format_value(size, 7), std::isfinite(bound) ? format_value(bound, 4) : "inf"});
    }
  }
  if (stderr_is_terminal()) std::cerr << std::string(40, ' ') << "\r";
  const double slope = x.size() >= 2 ? experiments::loglog_slope(x, y) : NAN;
  if (plot_target) {
    if (name != "parity-search" && !x.empty()) {
      // signal: the theory's slope -(k-1)/2; exactness: the fitted slope; both through the first point.
      const double s = name == "signal" ? -(k - 1) / 2.0 : slope;
      reference_title = name == "signal" ? "theory: slope -(k-1)/2" : "fit: slope " + format_value(slope, 3);
      for (double d : x) reference.emplace_back(d, y.front() * std::pow(d / x.front(), s));
    }
    Series measured{name == "signal" ? "planted correlation" : name == "exactness" ? "median steps" : "mean queries", {}, {}, false};
    for (std::size_t i = 0; i < x.size(); ++i) measured.points.emplace_back(x[i], y[i]);
    Panel panel{name + ", k = " + std::to_string(k), "d", name == "signal" ? "signal" : name == "exactness" ? "steps" : "queries", true, true,
                {measured}};
    if (!reference.empty() && std::isfinite(reference.front().second)) panel.series.push_back(Series{reference_title, reference, {}, true});
    write_plot(*plot_target, "sqsim experiment " + name, {panel});
  }
  if (publish(nlohmann::json{{"experiment", name}, {"k", k}, {"noise", noise}, {"seed", seed}, {"rows", rows},
                              {"loglog_slope", std::isnan(slope) ? nlohmann::json(nullptr) : nlohmann::json(slope)}},
              json))
    return 0;
  std::cout << name << ": k = " << k << ", eta = " << format_value(noise) << "\n\n";
  print_table(std::cout, header, table);
  std::cout << "log-log slope against d: " << format_value(slope, 3);
  if (name == "signal") std::cout << " (theory: -(k-1)/2 = " << format_value(-(k - 1) / 2.0, 3) << ")";
  std::cout << "\n";
  return 0;
}

}  // namespace cli
