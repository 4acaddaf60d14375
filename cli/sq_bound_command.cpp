// sqsim experiment sq-bound: the optimal SQ learner (group testing) beside the statistical-dimension bound.
#include "command_line.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "sqsim/experiments/sq_bound.hpp"
#include "sqsim/records/experiment_records.hpp"
#include "sqsim/sq/errors.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace sqsim::cli {
namespace {

constexpr const char* kSqBoundUsage = R"(usage: sqsim experiment sq-bound [options]

For the lifted k-parity (x ~ N(0, I_d), E[y|x] = 1/2 + (1 - 2 eta) chi_S(sign x)/2) and each (d, tau):
the statistical-dimension lower bound on the queries of ANY learner with bounded-norm queries at
tolerance tau, ceil((C(d, k) - 1)/e) with e < (1 - 2 eta)^2 / tau^2 the most members one query can
reveal; and beside it the measured query counts of
  group-testing       character-sum queries over groups of < (1 - 2 eta)^2/(4 tau^2) subsets, then halving;
  group-testing-stat  the same with STAT queries (|q| <= 1): groups of < (1 - 2 eta)/(2 tau);
  parity-search       one character per subset,
each against the adversarial oracle (queries until at most one member is consistent: never below the
bound) and against a random planted member (mean over --seeds with a 95 % Student-t interval), and the
ratios measured/bound. An algorithm whose count would exceed --max-queries is skipped (shown as -).)";

}  // namespace

int sq_bound_experiment(const std::vector<std::string>& args) {
  experiments::SqBoundConfig config;
  std::string dims_text = "20,40,80", tolerances_text = "0.02,0.01";
  long long max_queries = 20'000'000;
  RecordOptions record_options;
  po::options_description options("experiment sq-bound options");
  options.add_options()("k", po::value(&config.k)->default_value(4), "parity size (even)")(
      "dims", po::value(&dims_text)->default_value("20,40,80"), "dimensions, comma-separated")(
      "tolerances", po::value(&tolerances_text)->default_value("0.02,0.01"), "tolerances, comma-separated")(
      "noise", po::value(&config.noise)->default_value(0.0), "label noise eta in [0, 0.5)")(
      "seeds", po::value(&config.seeds)->default_value(10), "random planted members per point")(
      "max-queries", po::value(&max_queries)->default_value(20'000'000), "skip an algorithm expected to need more queries")(
      "seed", seed_option(config.seed), "master seed")("threads", po::value(&config.threads)->default_value(0),
                                                       "threads (0 = all cores); results do not depend on it");
  record_options.add(options, "queries against d (log-log), bound and measured counts with 95 % intervals, to FILE.png, .svg or .pdf");
  if (!parse_command_line(args, options, kSqBoundUsage)) return 0;
  config.dims = parse_integer_list(dims_text, "dims", 1, 20000);
  config.tolerances = parse_number_list(tolerances_text, "tolerances");
  sq::require(max_queries >= 1, "max-queries", max_queries, "must be at least 1");
  config.max_queries = static_cast<std::uint64_t>(max_queries);
  sq::require(config.threads >= 0 && config.threads <= 1024, "threads", config.threads, "must lie in [0, 1024]");
  config.validate();
  record_options.open();
  const std::optional<std::string>& plot_target = record_options.plot_target;

  std::vector<experiments::SqBoundPoint> points;
  {
    Progress progress("experiment sq-bound", "points");
    config.progress = [&](std::size_t done, std::size_t total, const std::string& current) { progress.update(done, total, current); };
    points = experiments::run_sq_bound(config);
  }

  const nlohmann::json record = records::sq_bound_record(config, points);
  std::vector<std::vector<std::string>> table;
  for (const auto& p : points) {
    std::vector<std::string> row{std::to_string(p.d), format_value(p.tolerance), format_value(p.family_size, 6), format_value(p.bound, 6)};
    for (const auto& m : p.measures) {
      row.push_back(m.run ? format_value(m.adversary_queries, 6) + " (" + format_value(m.ratio_adversary, 3) + "x)" : "-");
      row.push_back(m.run ? format_value(m.planted.mean, 5) + " [" + format_value(m.planted.low, 4) + ", " +
                                format_value(m.planted.high, 4) + "]"
                          : "-");
    }
    table.push_back(std::move(row));
  }
  if (plot_target) {
    Panel panel{"queries to find or isolate S (k = " + std::to_string(config.k) + ")", "d", "queries", true, true, {}};
    for (double tau : config.tolerances) {
      const std::string t = " (tau " + format_value(tau) + ")";
      Series bound{"SD lower bound" + t, {}, {}, true}, adversary{"group testing vs adversary" + t, {}, {}, false},
          planted{"group testing, random S" + t, {}, {}, false}, stat{"STAT group testing vs adversary" + t, {}, {}, false};
      for (const auto& p : points) {
        if (p.tolerance != tau) continue;
        bound.points.emplace_back(p.d, std::max(1.0, p.bound));
        const auto& gt = p.measures[0];
        if (gt.run) {
          adversary.points.emplace_back(p.d, gt.adversary_queries);
          planted.points.emplace_back(p.d, gt.planted.mean);
          planted.errors.emplace_back(std::max(1.0, gt.planted.low), gt.planted.high);
        }
        if (p.measures[1].run) stat.points.emplace_back(p.d, p.measures[1].adversary_queries);
      }
      for (Series* s : {&bound, &adversary, &planted, &stat})
        if (!s->points.empty()) panel.series.push_back(*s);
    }
    write_plot(*plot_target, "sqsim: the optimal SQ learner beside the statistical-dimension bound", {panel});
  }

  if (publish(record, record_options.output_file, record_options.json)) return 0;
  std::cout << "sq-bound: lifted " << config.k << "-parity, eta = " << format_value(config.noise) << ", " << config.seeds
            << " random planted members per point\n\n";
  print_table(std::cout,
              {"d", "tau", "C(d, k)", "SD bound", "group testing: adversary", "random S (95% CI)", "STAT: adversary", "random S (95% CI)",
               "parity search: adversary", "random S (95% CI)"},
              table);
  if (plot_target) std::cout << "plot written to " << *record_options.plot << "\n";
  return 0;
}

}  // namespace sqsim::cli