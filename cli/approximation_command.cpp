// sqsim experiment approximation: excess loss against opt for the approximation algorithms.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiment.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "sqsim/experiments/approximation.hpp"
#include "sqsim/records/experiment_records.hpp"
#include "sqsim/sq/errors.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace sqsim::cli {
namespace {

constexpr const char* kApproximationUsage =
    R"(usage: sqsim experiment approximation [--dim D] [--opts O1,O2,...] [--labels M1,...] [--algorithms A1,...]

For each label model and target opt, the model's noise is set by bisection so that the world's exact
opt = min_w E[(relu(w.x) - y)^2] equals the target; then each algorithm runs --seeds times (a random
teacher and the exact oracle's uniform perturbation within --tolerance each time) and its exact excess
loss over opt is measured outside the ledger. Per (model, algorithm): the exponent a of
excess ~ C opt^a, by least squares on log-log axes with a 95 % bootstrap interval over seeds (excess at
or below 1e-9 is reported as such and not fitted). Models: noisy-relu, clipped-relu, agnostic, band,
mirror (built to be worst for 2 E[y x]); algorithms: any registered (default label-correlation,
glmtron, threshold-halfspace, gd). A target below the model's opt at zero noise (clipped-relu: the
clipping at 1 alone costs 0.025 for a unit teacher) or beyond its noise range is reported as
unreachable. Reference slopes 2/3 (GKK 2019) and 1 (DGKKS 2020) on the plot.)";

std::vector<std::string> parse_names(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

int approximation_experiment(const std::vector<std::string>& args) {
  experiments::ApproximationConfig config;
  std::string opts_text = "0.001,0.003,0.01,0.03", labels_text = "noisy-relu,clipped-relu,agnostic,band,mirror",
              algorithms_text = "label-correlation,glmtron,threshold-halfspace,gd";
  RecordOptions record_options;
  po::options_description options("experiment approximation options");
  options.add_options()("dim", po::value(&config.d)->default_value(10), "dimension d")(
      "opts", po::value(&opts_text)->default_value(opts_text), "target opts, comma-separated, in (0, 0.5)")(
      "labels", po::value(&labels_text)->default_value(labels_text), "label models, comma-separated")(
      "algorithms", po::value(&algorithms_text)->default_value(algorithms_text), "registered algorithms, comma-separated")(
      "tolerance", po::value(&config.tolerance)->default_value(1e-6), "tolerance of every query")(
      "seeds", po::value(&config.seeds)->default_value(5), "runs per point (teacher and perturbation seeds)")(
      "bootstrap", po::value(&config.bootstrap)->default_value(1000), "bootstrap resamples for the exponent's interval")(
      "seed", seed_option(config.seed), "master seed");
  record_options.add(options, "excess against opt (log-log), one panel per model, to FILE.png, .svg or .pdf");
  if (!parse_command_line(args, options, kApproximationUsage)) return 0;
  config.opts = parse_number_list(opts_text, "opts");
  config.labels = parse_names(labels_text);
  config.algorithms = parse_names(algorithms_text);
  config.validate();
  record_options.open();

  experiments::ApproximationReport report;
  {
    Progress progress("experiment approximation", "runs");
    config.progress = [&](std::size_t done, std::size_t total, const std::string& current) { progress.update(done, total, current); };
    report = experiments::run_approximation(config);
  }

  const nlohmann::json record = records::approximation_record(config, report);
  std::vector<std::vector<std::string>> table;
  for (const auto& p : report.points)
    table.push_back(
        {p.labels, p.algorithm, format_value(p.reachable ? p.opt : p.target_opt, 4), p.reachable ? format_value(p.noise, 4) : "unreachable",
         p.reachable ? format_value(p.excess.mean, 3) + " [" + format_value(p.excess.low, 3) + ", " + format_value(p.excess.high, 3) + "]"
                     : "-",
         p.reachable ? format_value(p.excess.mean / p.opt, 3) : "-", p.reachable ? format_value(p.queries, 4) : "-", p.status});
  if (record_options.plot_target) {
    std::vector<Panel> panels;
    for (const std::string& labels : config.labels) {
      Panel panel{labels + " (excess <= 1e-9 drawn at 1e-9)", "opt", "excess loss", true, true, {}};
      double first = 0.0;
      for (const std::string& algorithm : config.algorithms) {
        Series s{algorithm, {}, {}, false};
        for (const auto& p : report.points)
          if (p.labels == labels && p.algorithm == algorithm && p.reachable) {
            s.points.emplace_back(p.opt, std::max(config.resolution, p.excess.mean));
            s.errors.emplace_back(std::max(config.resolution, p.excess.low), std::max(config.resolution, p.excess.high));
            if (first == 0.0 || p.opt < first) first = p.opt;
          }
        if (!s.points.empty()) panel.series.push_back(std::move(s));
      }
      Series two_thirds{"slope 2/3", {}, {}, true}, one{"slope 1", {}, {}, true};
      for (const auto& p : report.points)
        if (p.labels == labels && p.reachable && p.algorithm == config.algorithms.front()) {
          two_thirds.points.emplace_back(p.opt, first * std::pow(p.opt / first, 2.0 / 3.0));
          one.points.emplace_back(p.opt, p.opt);
        }
      if (panel.series.empty()) continue;  // no opt of the grid is reachable for this model
      panel.series.push_back(two_thirds);
      panel.series.push_back(one);
      panels.push_back(std::move(panel));
    }
    sq::require(!panels.empty(), "opts", opts_text, "no label model reaches any of these opts: nothing to plot");
    write_plot(*record_options.plot_target, "sqsim: excess loss against opt", panels);
  }
  if (publish(record, record_options.output_file, record_options.json)) return 0;
  std::cout << "approximation: d = " << config.d << ", tau = " << format_value(config.tolerance) << ", " << config.seeds
            << " seeds per point\n\n";
  print_table(std::cout, {"labels", "algorithm", "opt", "noise", "excess: mean [95% CI]", "excess/opt", "queries", "status"}, table);
  std::cout << "\nexponent a in excess ~ C opt^a (least squares on log-log, 95% bootstrap interval over seeds):\n";
  for (const auto& f : report.fits)
    std::cout << "  " << f.labels << ", " << f.algorithm << ": "
              << (f.fitted ? format_value(f.exponent, 3) + " [" + format_value(f.low, 3) + ", " + format_value(f.high, 3) + "]"
                           : "no exponent (measurable excess at " + std::to_string(f.points) + " of the " + std::to_string(f.reachable) +
                                 " reachable opts; at least 2 needed)")
              << "\n";
  if (record_options.plot) std::cout << "plot written to " << *record_options.plot << "\n";
  return 0;
}

}  // namespace sqsim::cli