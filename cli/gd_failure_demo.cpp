// sqsim demo gd-failure: gradient descent certified to fail on a hidden sparse parity and learning a
// realizable teacher at the same tolerance, then group testing, the SQ learner that meets the
// statistical-dimension bound, on an instance where that bound is large.
#include "command_line.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "records.hpp"
#include "sqsim/experiments/bound_window.hpp"
#include "sqsim/experiments/gd_failure.hpp"
#include "sqsim/records/experiment_records.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace sqsim::cli {

namespace {

constexpr const char* kGdFailureDemoUsage = R"(usage: sqsim demo [gd-failure] [options]

The seed paper's claim as an experiment, with what each part proves.

1. Hard instance: the lifted sparse parity D_S (x ~ N(0, I_d), E[y|x] = 1/2 + (1 - 2 eta) chi_S(sign x)/2,
   |S| = k) against the adversarial oracle, which answers every query with its value under D0 (labels
   independent of x) and records which members S the answer would be wrong for. Gradient descent
   (random start w0, step 1, a loss query at every iterate) runs until its budget. Under D0's answers
   its first step lands on D0's stationary point on the ray of w0 and no later answer can move it:
   every answer is D0's. S is then planted among the members no answer exposed, so every answer was
   legal for D_S, and the run is certified when tau < gap/2 (then loss >= optS + gap - 2 tau is a
   theorem); otherwise the demo says that no certificate holds and why.
   tau: unless --tolerance is given, the geometric mean of the hidden signal (the largest member
   deviation of any query on w0's ray, measured before the run) and gap/2 -- the window where GD's
   queries cannot see S and the certificate holds. At such tau the statistical-dimension bound is
   tiny: what this part shows is GD's failure, not SQ hardness.
2. Easy instance: the same GD, same parameters, on a realizable ReLU teacher through the exact oracle
   with the same worst-case policy (answers moved by tau toward D0's) at the same tau.
3. Group testing (character-sum queries, then halving) finds the planted S at the same tau.
4. Where the SQ lower bound bites: for d in 20..d at the tau where the bound at d is about 150
   queries, the bound beside group testing's measured counts against the adversary and against random
   planted members (mean and 95 % interval over --bound-seeds).)";

// Part 1-2 (GD's excess loss against queries, both instances) and part 4 (queries against d, log-log).
void write_gd_failure_plot(const std::string& target, const experiments::GdFailureReport& r, const experiments::BoundWindowReport& window) {
  const double bound_tolerance = window.tolerance;
  const std::vector<experiments::SqBoundPoint>& bound_points = window.points;
  Panel losses{"GD: excess loss against queries", "scalar-equivalent queries", "loss - opt", true, true, {}};
  for (const auto* instance : {&r.easy, &r.hard}) {
    Series s{instance == &r.easy ? "easy: realizable teacher" : "hard: hidden parity (adversary)", {}, {}, false};
    for (const auto& p : instance->curve)
      if (p.queries > 0) s.points.emplace_back(static_cast<double>(p.queries), std::max(1e-16, p.loss - instance->opt));
    losses.series.push_back(std::move(s));
  }
  Panel bound{"where the SQ bound bites: tau = " + format_value(bound_tolerance, 3), "d", "queries", true, true, {}};
  Series lower{"statistical-dimension lower bound", {}, {}, true}, adversary{"group testing vs adversary", {}, {}, false},
      planted{"group testing, random S (95% CI)", {}, {}, false};
  for (const auto& p : bound_points) {
    const auto& m = p.measures.front();
    lower.points.emplace_back(p.d, std::max(1.0, p.bound));
    adversary.points.emplace_back(p.d, m.adversary_queries);
    planted.points.emplace_back(p.d, m.planted.mean);
    planted.errors.emplace_back(std::max(1.0, m.planted.low), m.planted.high);
  }
  bound.series = {lower, adversary, planted};
  write_plot(target, "sqsim: gradient descent against a hidden sparse parity", {losses, bound});
}

void print_gd_failure(const experiments::GdFailureConfig& config, const experiments::GdFailureReport& r,
                      const experiments::BoundWindowConfig& window_config, const experiments::BoundWindowReport& window) {
  const double bound_tolerance = window.tolerance;
  const std::vector<experiments::SqBoundPoint>& bound_points = window.points;
  const int bound_seeds = window_config.seeds;
  std::cout << "Hidden sparse parity: d = " << config.d << ", k = " << config.k << ", eta = " << format_value(config.noise)
            << ", C(d, k) = " << format_value(r.family_size, 7) << " members"
            << (r.hard.members_enumerated ? ""
                                          : " (adversary tracks a random sub-family of " + std::to_string(r.hard.members_tracked) + ")")
            << "\n"
            << "  rho_k = " << format_value(r.facts.rho) << ", opt0 = " << format_value(r.facts.opt0, 6)
            << ", optS = " << format_value(r.facts.optS, 6) << ", gap = " << format_value(r.facts.gap) << "\n"
            << "  hidden signal in GD's queries = " << format_value(r.hidden_signal) << " < tau = " << format_value(r.tolerance)
            << " < gap/2 = " << format_value(r.facts.gap / 2)
            << (r.hidden_signal < r.tolerance && r.tolerance < r.facts.gap / 2 ? "" : "   (NOT in this window: d is too small for k)")
            << "\n"
            << "  statistical-dimension lower bound at tau: "
            << (std::isfinite(r.lower_bound) ? format_value(r.lower_bound, 6) : std::string("infinite"))
            << " queries; largest error of the adversary's answers under the planted S: " << format_value(r.max_answer_error, 3) << "\n\n";
  auto verdict = [&](const experiments::InstanceReport& i, const std::string& yes, const std::string& no) { return i.verdict ? yes : no; };
  print_table(
      std::cout, {"instance (oracle)", "opt", "final loss", "excess", "queries", "scalar-eq", "members exposed", "verdict"},
      {{"GD, realizable teacher (exact, worst-case at tau)", "0", format_value(r.easy.final_loss, 3), format_value(r.easy.final_loss, 3),
        std::to_string(r.easy.spent.total_queries()), std::to_string(r.easy.spent.scalar_equivalent), "-",
        verdict(r.easy, "learns: loss <= gap/100 after " + std::to_string(r.easy.queries_to_target) + " queries",
                "does not reach gap/100")},
       {"GD, hidden parity (adversary)", format_value(r.facts.optS, 6), format_value(r.hard.final_loss, 6),
        format_value(r.hard.final_loss - r.facts.optS, 3), std::to_string(r.hard.spent.total_queries()),
        std::to_string(r.hard.spent.scalar_equivalent),
        std::to_string(r.hard.members_exposed) + " of " + std::to_string(r.hard.members_tracked),
        verdict(r.hard, "fails, certified: excess >= " + format_value(r.hard.certified_excess, 3), "NO CERTIFICATE (see below)")},
       {"group testing, hidden parity (member, worst-case at tau)", format_value(r.facts.optS, 6), format_value(r.search.final_loss, 6),
        format_value(r.search.final_loss - r.facts.optS, 3), std::to_string(r.search.spent.total_queries()),
        std::to_string(r.search.spent.scalar_equivalent), "-", verdict(r.search, "finds S", "misses S")}});
  std::cout << "\nhard instance: " << r.hard.certificate << "\n"
            << "GD's first step lands on D0's stationary point on the ray of its start; every later answer is D0's, so the rest of\n"
            << "the budget cannot move it. At this tau the statistical-dimension bound is "
            << (std::isfinite(r.lower_bound) ? format_value(r.lower_bound, 6) : std::string("infinite"))
            << " queries: what fails here is GD, not every SQ learner.\n\n"
            << "Where the SQ lower bound bites (tau = " << format_value(bound_tolerance, 3)
            << ", chosen so that the bound at d = " << config.d << " is ~150 queries; " << bound_seeds << " random S per d):\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : bound_points) {
    const auto& m = p.measures.front();
    rows.push_back({std::to_string(p.d), format_value(p.family_size, 7), format_value(p.bound, 6),
                    format_value(m.adversary_queries, 6) + " (" + format_value(m.ratio_adversary, 3) + "x)",
                    format_value(m.planted.mean, 5) + " [" + format_value(m.planted.low, 4) + ", " + format_value(m.planted.high, 4) + "]",
                    m.found_all ? "yes" : "no"});
  }
  print_table(std::cout, {"d", "C(d, k)", "SD bound", "group testing vs adversary", "random S: mean [95% CI]", "found every S"}, rows);
}
}  // namespace

int gd_failure_demo(const std::vector<std::string>& args) {
  experiments::GdFailureConfig config;
  long long budget = 1'000'000;
  std::optional<double> tolerance;
  int bound_seeds = 5;
  bool json = false;
  std::optional<std::string> output, plot;
  po::options_description options("demo gd-failure options");
  options.add_options()("dim", po::value(&config.d)->default_value(50), "dimension d of the hard instance")(
      "k", po::value(&config.k)->default_value(4), "parity size k (even, <= 16)")("noise", po::value(&config.noise)->default_value(0.0),
                                                                                  "label noise eta in [0, 0.5)")(
      "tolerance", po::value<double>()->notifier([&](double t) { tolerance = t; }),
      "tolerance tau (> 0); default: between the hidden signal and gap/2")("budget", po::value(&budget)->default_value(1'000'000),
                                                                           "scalar-equivalent query budget of GD on the hard instance")(
      "bound-seeds", po::value(&bound_seeds)->default_value(5), "random planted members per d in part 4")(
      "seed", seed_option(config.seed), "master seed; every random stream is derived from it")(
      "threads", po::value(&config.threads)->default_value(0), "threads for the adversary (0 = all cores); results do not depend on it")(
      "json", po::bool_switch(&json), "print one JSON object instead of the tables")(
      "output", po::value<std::string>()->notifier([&](const std::string& s) { output = s; }), "also write the JSON record to FILE")(
      "plot", po::value<std::string>()->notifier([&](const std::string& s) { plot = s; }),
      "draw GD's loss against queries (both instances) and part 4 (queries against d, log-log) to FILE.png, .svg or .pdf (gnuplot)");
  add_csv_option(options);
  if (!parse_command_line(args, options, kGdFailureDemoUsage)) return 0;
  if (tolerance) {
    sq::require(std::isfinite(*tolerance) && *tolerance > 0.0, "tolerance", *tolerance, "must be a finite number > 0");
    config.tolerance = *tolerance;
  }
  sq::require(budget >= 1, "budget", budget, "must be at least 1 query");
  config.hard_budget = budget;
  config.validate();
  const experiments::BoundWindowConfig bound_config{config.d, config.k, config.noise, bound_seeds, config.seed, config.threads};
  bound_config.validate();
  std::optional<std::string> plot_target;
  if (plot) plot_target = check_plot_target(*plot);
  std::optional<OutputFile> output_file;
  if (output) output_file.emplace(*output, "output");

  if (stderr_is_terminal()) std::cerr << "running gradient descent on the hard and the easy instance ...\r" << std::flush;
  const experiments::GdFailureReport r = experiments::run_gd_failure(config);

  if (stderr_is_terminal()) std::cerr << "group testing beside the SD bound ...                       \r" << std::flush;
  const experiments::BoundWindowReport window = experiments::run_bound_window(bound_config);
  if (stderr_is_terminal()) std::cerr << std::string(70, ' ') << "\r";
  const nlohmann::json record = records::gd_failure_record(config, r, bound_config, window);

  if (plot) write_gd_failure_plot(*plot_target, r, window);
  if (publish(record, output_file, json)) return 0;
  print_gd_failure(config, r, bound_config, window);
  if (plot) std::cout << "plot written to " << *plot << "\n";
  return 0;
}

}  // namespace sqsim::cli