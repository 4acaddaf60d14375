// sqsim experiment: the scaling measurements behind the lower-bound story.
#include "command_line.hpp"
#include "commands.hpp"
#include "family_options.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "records.hpp"
#include "sqsim/experiments/scaling.hpp"
#include "sqsim/records/experiment_records.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>

namespace po = boost::program_options;

namespace sqsim::cli {

namespace {
constexpr const char* kExperimentUsage =
    R"(usage: sqsim experiment signal|exactness|parity-search|sq-bound|tradeoff|reduction|approximation [options]

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

// The measured curve against d (log-log) with its reference: signal, the theory's slope -(k-1)/2;
// exactness, the fitted slope (both through the first point); parity-search, the SD bound.
Panel scaling_panel(const experiments::ScalingConfig& config, const experiments::ScalingReport& report) {
  const std::string name = experiments::to_string(config.experiment);
  std::vector<std::pair<double, double>> reference;
  std::string reference_title = "SD lower bound";
  if (config.experiment == experiments::Scaling::parity_search) {
    for (const auto& row : report.rows)
      if (std::isfinite(row.query_lower_bound)) reference.emplace_back(row.d, std::max(1.0, row.query_lower_bound));
  } else if (!report.x.empty()) {
    const bool signal = config.experiment == experiments::Scaling::signal;
    const double s = signal ? -(config.k - 1) / 2.0 : report.slope;
    reference_title = signal ? "theory: slope -(k-1)/2" : "fit: slope " + format_value(report.slope, 3);
    for (double d : report.x) reference.emplace_back(d, report.y.front() * std::pow(d / report.x.front(), s));
  }
  Series measured{name == "signal" ? "planted correlation" : name == "exactness" ? "median steps" : "mean queries", {}, {}, false};
  for (std::size_t i = 0; i < report.x.size(); ++i) measured.points.emplace_back(report.x[i], report.y[i]);
  Panel panel{name + ", k = " + std::to_string(config.k),
              "d",
              name == "signal"      ? "signal"
              : name == "exactness" ? "steps"
                                    : "queries",
              true,
              true,
              {measured}};
  if (!reference.empty() && std::isfinite(reference.front().second)) panel.series.push_back(Series{reference_title, reference, {}, true});
  return panel;
}

void print_scaling_table(const experiments::ScalingConfig& config, const experiments::ScalingReport& report) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header;
  for (const auto& r : report.rows) {
    if (config.experiment == experiments::Scaling::signal) {
      header = {"d", "planted (typical)", "largest member (mean)"};
      table.push_back({std::to_string(r.d), format_value(r.planted, 4), format_value(r.largest, 4)});
    } else if (config.experiment == experiments::Scaling::exactness) {
      header = {"d", "steps (median)", "steps (min..max)", "starts that learned"};
      table.push_back({std::to_string(r.d), format_value(r.median_steps, 6),
                       r.steps.empty() ? "-" : format_value(r.steps.front(), 6) + ".." + format_value(r.steps.back(), 6),
                       std::to_string(r.steps.size()) + " of " + std::to_string(config.samples)});
    } else {
      header = {"d", "queries (mean)", "C(d, k)", "SD bound"};
      table.push_back({std::to_string(r.d), format_value(r.mean_queries, 6), format_value(r.family_size, 7),
                       std::isfinite(r.query_lower_bound) ? format_value(r.query_lower_bound, 4) : "inf"});
    }
  }
  print_table(std::cout, header, table);
}
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
  experiments::ScalingConfig config;
  config.experiment = name == "signal"      ? experiments::Scaling::signal
                      : name == "exactness" ? experiments::Scaling::exactness
                                            : experiments::Scaling::parity_search;
  long long max_steps = config.max_steps;
  std::string dims_text = "8,16,32,64";
  bool json = false;
  std::optional<std::string> plot;
  po::options_description options("experiment options");
  options.add_options()("k", po::value(&config.k)->default_value(config.k), "parity size (even)")(
      "dims", po::value(&dims_text)->default_value(dims_text), "dimensions, comma-separated")(
      "noise", po::value(&config.noise)->default_value(config.noise), "label noise eta in [0, 0.5)")(
      "samples", po::value(&config.samples)->default_value(config.samples),
      "random w (signal), starts (exactness) or subsets S (parity-search) per d")(
      "tolerance", po::value(&config.tolerance)->default_value(config.tolerance), "parity-search: query tolerance")(
      "max-steps", po::value(&max_steps)->default_value(max_steps), "exactness: give up after this many steps")(
      "seed", seed_option(config.seed), "master seed")("json", po::bool_switch(&json), "print a JSON object")(
      "plot", po::value<std::string>()->notifier([&](const std::string& s) { plot = s; }),
      "the measured curve against d (log-log) with its reference (theory slope, SD bound, fit) to FILE.png, .svg or .pdf");
  add_csv_option(options);
  if (!parse_command_line(std::vector<std::string>(args.begin() + 1, args.end()), options, kExperimentUsage)) return 0;
  config.dims = parse_integer_list(dims_text, "dims", 1, static_cast<int>(kMaxFamilyDimension));
  config.max_steps = max_steps;
  config.validate();
  const std::optional<std::string> plot_target = plot ? std::optional<std::string>(check_plot_target(*plot)) : std::nullopt;
  if (stderr_is_terminal())
    config.progress = [](std::size_t, std::size_t, const std::string& current) { std::cerr << current << "      \r" << std::flush; };
  const experiments::ScalingReport report = experiments::run_scaling(config);
  if (stderr_is_terminal()) std::cerr << std::string(40, ' ') << "\r";
  if (plot_target) write_plot(*plot_target, "sqsim experiment " + name, {scaling_panel(config, report)});
  if (publish(records::scaling_record(config, report), json)) return 0;
  std::cout << name << ": k = " << config.k << ", eta = " << format_value(config.noise) << "\n\n";
  print_scaling_table(config, report);
  std::cout << "log-log slope against d: " << format_value(report.slope, 3);
  if (name == "signal") std::cout << " (theory: -(k-1)/2 = " << format_value(-(config.k - 1) / 2.0, 3) << ")";
  std::cout << "\n";
  return 0;
}

}  // namespace sqsim::cli