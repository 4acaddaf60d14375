// sqsim experiment tradeoff: the time/accuracy tradeoff d^{Theta(log 1/eps)} as a measured curve.
#include "command_line.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "sqsim/experiments/tradeoff.hpp"
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

constexpr const char* kTradeoffUsage = R"(usage: sqsim experiment tradeoff [--eps E1,E2,...] [--dims D1,D2,...] [options]

For each target excess eps: the hardest lifted parity that still separates it -- the largest even k
with gap_k > 2 eps (gap_2 ~ 0.0796, gap_4 ~ 0.00864, gap_6 ~ 0.00191, gap_8 ~ 5.08e-4 at eta = 0) --
and tau = (gap_k - eps)/2: an SQ learner none of whose answers exposed the planted member ends with
loss >= optS + gap_k - 2 tau = optS + eps (run_hard_instance's certificate), so reaching excess < eps
at tolerance tau needs at least the statistical-dimension bound, ~C(d, k) tau^2 queries. For each
(eps, d): k, tau, the bound, group testing's queries against the adversary (until at most one member
is consistent) and against random planted members (mean, 95 % interval over --seeds), and GD's
certified outcome at the same tau (budget --gd-budget; the adversary tracks every member: its
exposure scan visits only the members a query can expose). Per eps, the exponent of queries in d is fitted by
least squares on log-log axes, with a 95 % interval: it grows like k(eps) = Theta(log 1/eps).)";

}  // namespace

int tradeoff_experiment(const std::vector<std::string>& args) {
  experiments::TradeoffConfig config;
  std::string eps_text = "0.03,0.003,0.0008", dims_text = "40,60,80,100";
  RecordOptions record_options;
  po::options_description options("experiment tradeoff options");
  options.add_options()("eps", po::value(&eps_text)->default_value("0.03,0.003,0.0008"), "target excesses, comma-separated")(
      "dims", po::value(&dims_text)->default_value("40,60,80,100"), "dimensions, comma-separated (at least two for a fit)")(
      "noise", po::value(&config.noise)->default_value(0.0), "label noise eta in [0, 0.5)")(
      "seeds", po::value(&config.seeds)->default_value(3), "random planted members per point (group testing)")(
      "gd-budget", po::value(&config.gd_budget)->default_value(2000), "GD's scalar-equivalent budget per hard instance")(
      "seed", seed_option(config.seed), "master seed")("threads", po::value(&config.threads)->default_value(0),
                                                       "threads (0 = all cores); results do not depend on it");
  record_options.add(options, "queries against d (log-log), one bound and one measured line per eps, to FILE.png, .svg or .pdf");
  if (!parse_command_line(args, options, kTradeoffUsage)) return 0;
  config.epsilons = parse_number_list(eps_text, "eps");
  config.dims = parse_integer_list(dims_text, "dims", 2, 20000);
  sq::require(config.threads >= 0 && config.threads <= 1024, "threads", config.threads, "must lie in [0, 1024]");
  config.validate();
  record_options.open();
  const std::optional<std::string>& plot_target = record_options.plot_target;

  experiments::TradeoffReport report;
  {
    Progress progress("experiment tradeoff", "points");
    config.progress = [&](std::size_t done, std::size_t total, const std::string& current) { progress.update(done, total, current); };
    report = experiments::run_tradeoff(config);
  }

  const nlohmann::json record = records::tradeoff_record(config, report);
  std::vector<std::vector<std::string>> table;
  for (const auto& p : report.points) {
    if (p.k == 0 || p.k > p.d) {
      table.push_back({format_value(p.epsilon), format_value(std::log2(1 / p.epsilon), 3), p.k ? std::to_string(p.k) : "-", "-",
                       std::to_string(p.d), "-", "no even k <= min(16, d) with gap_k > 2 eps", "", "", ""});
      continue;
    }
    table.push_back({format_value(p.epsilon), format_value(std::log2(1 / p.epsilon), 3), std::to_string(p.k), format_value(p.tolerance, 3),
                     std::to_string(p.d), format_value(p.family_size, 4), format_value(p.bound, 4),
                     format_value(p.adversary_queries, 5) + " / " + format_value(p.planted.mean, 4) + " [" +
                         format_value(p.planted.low, 3) + ", " + format_value(p.planted.high, 3) + "]",
                     std::string(p.gd_certified ? "certified" : "no certificate") + (p.gd_subfamily ? " (sub-family)" : ""),
                     format_value(p.gd_excess, 3)});
  }
  if (plot_target) {
    Panel panel{"queries to reach excess < eps: d^{Theta(log 1/eps)}", "d", "queries", true, true, {}};
    for (double eps : config.epsilons) {
      const std::string e = "eps " + format_value(eps);
      Series bound{"SD bound, " + e, {}, {}, true}, measured{"group testing, random S, " + e, {}, {}, false};
      for (const auto& p : report.points)
        if (p.epsilon == eps && p.k > 0 && p.k <= p.d) {
          bound.points.emplace_back(p.d, std::max(1.0, p.bound));
          measured.points.emplace_back(p.d, p.planted.mean);
          measured.errors.emplace_back(std::max(1.0, p.planted.low), p.planted.high);
        }
      if (!bound.points.empty()) {
        panel.series.push_back(bound);
        panel.series.push_back(measured);
      }
    }
    write_plot(*plot_target, "sqsim: the time/accuracy tradeoff", {panel});
  }
  if (publish(record, record_options.output_file, record_options.json)) return 0;
  std::cout << "tradeoff: eta = " << format_value(config.noise) << ", tau = (gap_k - eps)/2, " << config.seeds << " random S per point\n\n";
  print_table(std::cout,
              {"eps", "log2(1/eps)", "k", "tau", "d", "C(d, k)", "SD bound", "group testing: adversary / random S [95% CI]", "GD at tau",
               "GD excess"},
              table);
  std::cout << "\nexponent of queries in d (least squares on log-log, 95% interval):\n";
  for (const auto& f : report.fits)
    std::cout << "  eps = " << format_value(f.epsilon) << " (k = " << f.k << "): bound " << format_value(f.bound_exponent.mean, 3)
              << ", group testing " << format_value(f.measured_exponent.mean, 3) << " [" << format_value(f.measured_exponent.low, 3) << ", "
              << format_value(f.measured_exponent.high, 3) << "]\n";
  if (plot_target) std::cout << "plot written to " << *record_options.plot << "\n";
  return 0;
}

}  // namespace sqsim::cli