// sqsim demo gd-failure: gradient descent on an easy and a hard instance side by side, then the
// exhaustive parity search that succeeds where gradient descent cannot.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiments/gd_failure.hpp"
#include "lower_bounds/statistical_dimension.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "records.hpp"
#include "sq/errors.hpp"
#include "sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace cli {

namespace {

constexpr const char* kUsage = R"(usage: sqsim demo [gd-failure] [options]

The seed paper's claim as an experiment. Hard instance: the lifted sparse parity D_S (x ~ N(0, I_d),
E[y|x] = 1/2 + (1 - 2 eta) chi_S(sign x)/2, |S| = k), against the adversarial oracle, which answers
every query with its value under D0 (labels independent of x) and records which members S the
answer would be wrong for. Gradient descent (random start, step 1, a loss query at every iterate)
runs until its budget; S is then planted among the members no answer exposed, so every answer was
a legal answer for D_S. Its loss stays near opt0 = optS + gap. Easy instance: the same GD, same
parameters, on a realizable ReLU teacher with the truthful exact oracle, reaches loss <= 1e-6.
Then the exhaustive SQ parity search (one correlational query per candidate S) finds S, and its
query count is measured for k = 2 and 4 over d = 8..64: it grows like C(d, k) ~ d^k.

tau is chosen between the hidden signal (the largest member deviation of GD's queries) and gap/2,
unless --tolerance is given.)";

struct ScalingRow {
  int k, d;
  double mean_queries, family_size, lower_bound;
};

}  // namespace

int gd_failure_demo(const std::vector<std::string>& args) {
  experiments::GdFailureConfig config;
  long long budget = 1'000'000;
  std::optional<double> tolerance;
  int scaling_seeds = 3;
  bool json = false;
  std::optional<std::string> output, plot;
  po::options_description options("demo gd-failure options");
  options.add_options()
    ("dim", po::value(&config.d)->default_value(50), "dimension d of the hard instance")
    ("k", po::value(&config.k)->default_value(4), "parity size k (even, <= 16)")
    ("noise", po::value(&config.noise)->default_value(0.0), "label noise eta in [0, 0.5)")
    ("tolerance", po::value<double>()->notifier([&](double t) { tolerance = t; }), "tolerance tau (> 0); default: between the hidden signal and gap/2")
    ("budget", po::value(&budget)->default_value(1'000'000), "scalar-equivalent query budget of GD on the hard instance")
    ("scaling-seeds", po::value(&scaling_seeds)->default_value(3), "random S per (k, d) in the parity-search scaling")
    ("seed", seed_option(config.seed), "master seed; every random stream is derived from it")
    ("threads", po::value(&config.threads)->default_value(0), "threads for the adversary (0 = all cores); results do not depend on it")
    ("json", po::bool_switch(&json), "print one JSON object instead of the tables")
    ("output", po::value<std::string>()->notifier([&](const std::string& s) { output = s; }), "also write the JSON record to FILE")
    ("plot", po::value<std::string>()->notifier([&](const std::string& s) { plot = s; }),
     "draw GD's loss against queries (both instances) and the parity search's queries against d (log-log) to FILE.png or FILE.svg (gnuplot)");
  if (!parse_command_line(args, options, kUsage)) return 0;
  if (tolerance) {
    sq::require(std::isfinite(*tolerance) && *tolerance > 0.0, "tolerance", *tolerance, "must be a finite number > 0");
    config.tolerance = *tolerance;
  }
  sq::require(budget >= 1, "budget", budget, "must be at least 1 query");
  sq::require(scaling_seeds >= 1, "scaling-seeds", scaling_seeds, "must be at least 1");
  config.hard_budget = budget;
  config.validate();
  std::optional<std::string> plot_target;
  if (plot) plot_target = check_plot_target(*plot);
  std::optional<OutputFile> output_file;
  if (output) output_file.emplace(*output, "output");

  if (stderr_is_terminal()) std::cerr << "running gradient descent on the hard and the easy instance ...\r" << std::flush;
  const experiments::GdFailureReport r = experiments::run_gd_failure(config);

  std::vector<ScalingRow> scaling;
  for (int k : {2, 4})
    for (int d : {8, 16, 32, 64}) {
      if (stderr_is_terminal()) std::cerr << "parity search: k = " << k << ", d = " << d << "            \r" << std::flush;
      const lower_bounds::LiftedParity family({d, k, config.noise});
      double total = 0;
      for (int i = 0; i < scaling_seeds; ++i) {
        const auto member = queries::random_subsets(d, k, 1, sq::derive_seed(config.seed, 1000u + static_cast<unsigned>(100 * k + d + 7 * i))).front();
        total += static_cast<double>(experiments::parity_search_queries(family, member, r.tolerance));
      }
      const double size = queries::binomial(d, k);
      scaling.push_back({k, d, total / scaling_seeds, size,
                         lower_bounds::statistical_query_lower_bound(size, family.facts().beta, family.facts().gamma, r.tolerance).queries});
    }
  if (stderr_is_terminal()) std::cerr << std::string(70, ' ') << "\r";
  std::vector<double> slopes;
  for (int k : {2, 4}) {
    std::vector<double> x, y;
    for (const auto& row : scaling)
      if (row.k == k) {
        x.push_back(row.d);
        y.push_back(row.mean_queries);
      }
    slopes.push_back(experiments::loglog_slope(x, y));
  }

  auto instance_json = [](const experiments::InstanceReport& i) {
    nlohmann::json curve = nlohmann::json::array();
    for (const auto& p : i.curve) curve.push_back({p.queries, p.loss});
    return nlohmann::json{{"instance", i.instance}, {"opt", i.opt}, {"final_loss", i.final_loss}, {"excess", i.final_loss - i.opt},
                          {"queries", i.spent.total_queries()}, {"scalar_equivalent", i.spent.scalar_equivalent},
                          {"members_exposed", i.members_exposed}, {"members_tracked", i.members_tracked},
                          {"members_enumerated", i.members_enumerated}, {"queries_to_loss_1e-6", i.queries_to_target},
                          {"verdict", i.verdict}, {"certified_excess", i.certified_excess}, {"certificate", i.certificate}, {"curve", curve}};
  };
  nlohmann::json scaling_json = nlohmann::json::array();
  for (const auto& row : scaling)
    scaling_json.push_back({{"k", row.k}, {"d", row.d}, {"mean_queries", row.mean_queries}, {"family_size", row.family_size},
                            {"query_lower_bound", std::isfinite(row.lower_bound) ? nlohmann::json(row.lower_bound) : nlohmann::json(nullptr)}});
  nlohmann::json record{
      {"context", {{"version", SQSIM_VERSION}, {"seed", config.seed}, {"d", config.d}, {"k", config.k}, {"tolerance", r.tolerance},
                   {"noise", config.noise}, {"oracle", "adversarial (hard), exact/truthful (easy)"}, {"algorithm", "gd"}, {"budget", budget}}},
      {"rho", r.facts.rho}, {"opt0", r.facts.opt0}, {"optS", r.facts.optS}, {"gap", r.facts.gap},
      {"hidden_signal", r.hidden_signal}, {"query_lower_bound", std::isfinite(r.lower_bound) ? nlohmann::json(r.lower_bound) : nlohmann::json(nullptr)},
      {"planted", r.planted}, {"max_answer_error", r.max_answer_error},
      {"instances", {instance_json(r.easy), instance_json(r.hard), instance_json(r.search)}},
      {"parity_search_scaling", scaling_json}, {"parity_search_slopes", {{"k2", slopes[0]}, {"k4", slopes[1]}}}};

  if (plot) {
    Panel losses{"GD: excess loss against queries", "scalar-equivalent queries", "loss - opt", true, true, {}};
    for (const auto* instance : {&r.easy, &r.hard}) {
      Series s{instance == &r.easy ? "easy: realizable teacher" : "hard: hidden parity (adversary)", {}, {}, false};
      for (const auto& p : instance->curve)
        if (p.queries > 0) s.points.emplace_back(static_cast<double>(p.queries), std::max(1e-16, p.loss - instance->opt));
      losses.series.push_back(std::move(s));
    }
    Panel search{"parity search: queries to find S", "d", "queries", true, true, {}};
    for (int k : {2, 4}) {
      Series measured{"measured, k = " + std::to_string(k), {}, {}, false}, size{"C(d, " + std::to_string(k) + ")", {}, {}, true};
      for (const auto& row : scaling)
        if (row.k == k) {
          measured.points.emplace_back(row.d, row.mean_queries);
          size.points.emplace_back(row.d, row.family_size);
        }
      search.series.push_back(std::move(measured));
      search.series.push_back(std::move(size));
    }
    write_plot(*plot_target, "sqsim: gradient descent against a hidden sparse parity", {losses, search});
  }
  if (publish(record, output_file, json)) return 0;
  std::cout << "Hidden sparse parity: d = " << config.d << ", k = " << config.k << ", eta = " << format_value(config.noise)
            << ", C(d, k) = " << format_value(r.family_size, 7) << " members"
            << (r.hard.members_enumerated ? "" : " (adversary tracks a random sub-family of " + std::to_string(r.hard.members_tracked) + ")") << "\n"
            << "  rho_k = " << format_value(r.facts.rho) << ", opt0 = " << format_value(r.facts.opt0, 6) << ", optS = " << format_value(r.facts.optS, 6)
            << ", gap = " << format_value(r.facts.gap) << "\n"
            << "  hidden signal in GD's queries = " << format_value(r.hidden_signal) << " < tau = " << format_value(r.tolerance)
            << " < gap/2 = " << format_value(r.facts.gap / 2)
            << (r.hidden_signal < r.tolerance && r.tolerance < r.facts.gap / 2 ? "" : "   (NOT in this window: d is too small for k)") << "\n"
            << "  statistical-dimension lower bound at tau: " << (std::isfinite(r.lower_bound) ? format_value(r.lower_bound, 6) : std::string("infinite"))
            << " queries; largest error of the adversary's answers under the planted S: " << format_value(r.max_answer_error, 3) << "\n\n";
  auto verdict = [&](const experiments::InstanceReport& i, const std::string& yes, const std::string& no) { return i.verdict ? yes : no; };
  print_table(std::cout, {"instance", "opt", "final loss", "excess", "queries", "scalar-eq", "members exposed", "verdict"},
              {{"GD, realizable teacher (easy)", "0", format_value(r.easy.final_loss, 3), format_value(r.easy.final_loss, 3),
                std::to_string(r.easy.spent.total_queries()), std::to_string(r.easy.spent.scalar_equivalent), "-",
                verdict(r.easy, "learns: loss <= 1e-6 after " + std::to_string(r.easy.queries_to_target) + " queries", "does not reach 1e-6")},
               {"GD, hidden parity (hard)", format_value(r.facts.optS, 6), format_value(r.hard.final_loss, 6), format_value(r.hard.final_loss - r.facts.optS, 3),
                std::to_string(r.hard.spent.total_queries()), std::to_string(r.hard.spent.scalar_equivalent),
                std::to_string(r.hard.members_exposed) + " of " + std::to_string(r.hard.members_tracked),
                verdict(r.hard, "fails, certified: excess >= " + format_value(r.hard.certified_excess, 3), "no certificate (see below)")},
               {"parity search (hard)", format_value(r.facts.optS, 6), format_value(r.search.final_loss, 6), format_value(r.search.final_loss - r.facts.optS, 3),
                std::to_string(r.search.spent.total_queries()), std::to_string(r.search.spent.scalar_equivalent), "-",
                verdict(r.search, "finds S", "budget ends before S (colex rank " + std::to_string(queries::subset_rank(r.planted)) + ")")}});
  std::cout << "\nhard instance: " << r.hard.certificate << "\n";
  std::cout << "\nParity search: queries to find a random S (mean of " << scaling_seeds << ")\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : scaling)
    rows.push_back({std::to_string(row.k), std::to_string(row.d), format_value(row.mean_queries, 6), format_value(row.family_size, 7),
                    std::isfinite(row.lower_bound) ? format_value(row.lower_bound, 4) : "inf"});
  print_table(std::cout, {"k", "d", "queries", "C(d, k)", "SD bound"}, rows);
  std::cout << "log-log slope of queries against d: k = 2: " << format_value(slopes[0], 3) << ", k = 4: " << format_value(slopes[1], 3) << "\n";
  if (plot) std::cout << "plot written to " << *plot << "\n";
  return 0;
}

}  // namespace cli
