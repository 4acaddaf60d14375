// sqsim run: one algorithm against one oracle, with its ledger and its score; on a hard family,
// against the adversary (or one member's exact oracle), with the certificate of what the run proves.
#include "algorithms/catalogue.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "experiment.hpp"
#include "family_options.hpp"
#include "experiments/family_run.hpp"
#include "oracles/empirical_loss.hpp"
#include "oracles/population.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "sq/errors.hpp"
#include "sq/parallel.hpp"
#include "sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace cli {

namespace {
constexpr const char* kRunUsage = R"(usage: sqsim run [options]

Runs an SQ algorithm against an oracle and prints one table row: algorithm, oracle, d, tau, queries
(vector + scalar), scalar-equivalent queries (a vector query of size m counts m), the hypothesis's
true population loss (evaluated outside the ledger), opt where known, excess = loss - opt, status
(completed, budget_exhausted, refused: the oracle cannot answer a query, failed: the iteration
diverged).

Without --family: a Gaussian ReLU world (x ~ N(0, I_d), labels from a teacher v), with the exact or
the sample oracle. With --family: a hard family. --oracle adversary (the default) answers every
query with its value under D0 and records which members the answer exposes; a member S is then
planted among the unexposed (or fixed by --member), the hypothesis is scored under D_S, and the run
is certified when S was never exposed and tau < gap/2: then loss >= optS + gap - 2 tau is a theorem
(see lower_bounds/hard_instance.hpp). --oracle member answers exactly for one member.

algorithms (--algorithm): )";

void print_algorithms(std::ostream& out) {
  for (const algorithms::AlgorithmEntry& a : algorithms::catalogue()) out << "\n  " << a.name << ": " << a.description;
  out << R"(

examples:
  sqsim run --dim 100 --tolerance 1e-6
  sqsim run --algorithm glmtron --labels agnostic --noise 0.1 --perturbation worst-case --transcript queries.jsonl
  sqsim run --oracle sample --dim 10 --tolerance 0.05 --json
  sqsim run --family lifted-parity --dim 30 --k 4 --algorithm gd --init random --tolerance 0.004 --budget 100000
  sqsim run --family lifted-parity --dim 12 --k 2 --algorithm parity-search --tolerance 0.05)";
}

std::string member_text(const lower_bounds::Subset& s) {
  std::string out;
  for (int j : s) {
    if (!out.empty()) out += ',';
    out += std::to_string(j);
  }
  return out;
}

// --plot: the run's loss against the scalar-equivalent queries spent (every reported iterate),
// with horizontal references; the same curve goes into the record as named objects.
void plot_curve(const std::string& target, const std::string& title, const sq::RunResult& run,
                const std::vector<std::pair<std::string, double>>& references, nlohmann::json& results) {
  Series curve{run.algorithm + " (" + std::string(sq::to_string(run.status)) + ")", {}, {}, false};
  nlohmann::json points = nlohmann::json::array();
  for (const sq::TracePoint& p : run.trace) {
    if (!p.loss) continue;
    curve.points.emplace_back(static_cast<double>(std::max<std::int64_t>(1, p.scalar_equivalent)), *p.loss);
    points.push_back({{"scalar_equivalent", p.scalar_equivalent}, {"loss", *p.loss}});
  }
  results["curve"] = points;
  if (curve.points.empty()) throw std::runtime_error("--plot: the algorithm reported no iterate, so there is no curve to draw");
  Panel panel{title, "scalar-equivalent queries", "loss", true, false, {curve}};
  const double first = curve.points.front().first, last = std::max(curve.points.back().first, first * 2);
  for (const auto& [name, level] : references) panel.series.push_back(Series{name, {{first, level}, {last, level}}, {}, true});
  write_plot(target, "sqsim run", {panel});
}

int run_on_family(const std::string& algorithm_name, algorithms::RunContext context, const algorithms::OptionValues& algorithm_options,
                  const FamilyOptions& family_options,
                  const WorldOptions& world, const OracleOptions& oracle_options, double tolerance, const sq::Budget& budget,
                  bool json, const std::optional<std::string>& output, const std::optional<std::string>& transcript,
                  const std::optional<std::string>& plot_target) {
  if (world.teacher || world.teacher_file || world.labels != "relu") throw UsageError("--labels, --teacher and --teacher-file describe a Gaussian ReLU world; they do not apply with --family");
  if (oracle_options.data || oracle_options.pool) throw UsageError("--data and --pool need a Gaussian ReLU world; they do not apply with --family");
  const std::string oracle_kind = oracle_options.kind == "exact" ? "adversary" : oracle_options.kind;  // exact is the world default
  if (oracle_kind != "adversary" && oracle_kind != "member")
    throw UsageError("oracle = " + oracle_options.kind + ": with --family it must be adversary or member");
  if (oracle_kind == "adversary" && oracle_options.perturbation != "truthful")
    throw UsageError("--perturbation applies to --oracle member; the adversary always answers with D0's value");
  const auto family = make_family(family_options, world.dim.value_or(20), world.noise);
  const std::optional<lower_bounds::Subset> fixed = parse_member(family_options, *family);
  context.k = family->order();
  const auto algorithm = algorithms::make_algorithm(algorithm_name, context, algorithm_options);
  const oracles::Perturbation perturbation = oracles::parse_perturbation(oracle_options.perturbation);

  experiments::FamilyRunSpec spec;
  spec.oracle = oracle_kind == "adversary" ? experiments::FamilyOracle::adversary : experiments::FamilyOracle::member;
  spec.tolerance = tolerance;
  spec.budget = budget;
  spec.member = fixed;
  spec.seed = world.seed;
  spec.threads = oracle_options.threads;
  spec.perturbation = perturbation;
  spec.record_trace = plot_target.has_value();
  spec.validate();  // before any file

  std::optional<OutputFile> output_file, transcript_file;
  if (output) output_file.emplace(*output, "output");
  if (transcript) transcript_file.emplace(*transcript, "transcript");
  spec.transcript = transcript_file ? &transcript_file->stream() : nullptr;
  Progress progress("adversary", "queries");
  if (spec.oracle == experiments::FamilyOracle::adversary)
    spec.progress = [&](std::uint64_t queries, std::uint64_t exposed, std::uint64_t tracked) {
      progress.update(static_cast<double>(queries), 0.0, format_value(static_cast<double>(exposed), 4) + " of " +
                                                             format_value(static_cast<double>(tracked), 4) + " members exposed");
    };
  const experiments::FamilyRunReport report = experiments::run_on_family(*algorithm, family, spec);
  const sq::RunResult& run = report.run;
  const lower_bounds::FamilyFacts& facts = report.facts;
  nlohmann::json record = records::run_record(report, world.seed);
  if (plot_target) {
    std::vector<std::pair<std::string, double>> references{{"optS", facts.optS}, {"opt0", facts.opt0}};
    if (report.adversary && report.adversary->certified) references.emplace_back("certified: optS + gap - 2 tau", facts.optS + report.adversary->certified_excess);
    plot_curve(*plot_target, family->description() + (report.adversary ? ", loss under the planted member" : ", member oracle"), run, references,
               record["results"]);
  }
  const std::string exposed = report.adversary ? std::to_string(report.adversary->members_exposed) + " of " +
                                                     format_value(static_cast<double>(report.adversary->tracked_members), 10)
                                               : "-";
  const std::string certified = report.adversary ? (report.adversary->certified ? "yes" : "no") : "-";
  const std::string certificate = report.adversary ? report.adversary->certificate : "";
  if (transcript_file) transcript_file->commit();
  if (!publish(record, output_file, json)) {
    print_table(std::cout, {"algorithm", "oracle", "family", "d", "k", "tau", "queries", "scalar-eq", "loss", "optS", "excess", "exposed", "status", "certified"},
                {{run.algorithm, run.oracle, family->name(), std::to_string(family->dimension()), std::to_string(family->order()),
                  format_value(tolerance), std::to_string(run.spent.total_queries()), std::to_string(run.spent.scalar_equivalent),
                  format_value(run.loss.value_or(NAN), 6), format_value(facts.optS, 6), format_value(records::excess(run), 3), exposed,
                  std::string(sq::to_string(run.status)), certified}});
    std::cout << "planted S = {" << member_text(report.planted) << "}, opt0 = " << format_value(facts.opt0, 6)
              << ", gap = " << format_value(facts.gap, 4) << "\n";
    if (!certificate.empty()) std::cout << certificate << "\n";
    if (!run.message.empty()) std::cout << "note: " << run.message << "\n";
  }
  return run.status == sq::RunStatus::failed ? 1 : 0;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  WorldOptions world_options;
  OracleOptions oracle_options;
  algorithms::OptionValues algorithm_options;
  FamilyOptions family_options;
  std::string algorithm = "gd";
  double tolerance = 1e-3;
  std::optional<long long> budget;
  bool json = false;
  std::optional<std::string> output, transcript, plot;

  po::options_description options("run options");
  options.add_options()
    ("algorithm", po::value(&algorithm)->default_value("gd"), "the algorithm, by name (listed above)")
    ("tolerance", po::value(&tolerance)->default_value(1e-3), "tolerance tau of every query (> 0)")
    ("budget", po::value<long long>()->notifier([&](long long b) { budget = b; }),
     "stop the run after this many scalar-equivalent queries (>= 1)")
    ("json", po::bool_switch(&json), "print one JSON object (context + results) instead of the table")
    ("output", po::value<std::string>()->notifier([&](const std::string& s) { output = s; }), "also write the JSON record to FILE")
    ("transcript", po::value<std::string>()->notifier([&](const std::string& s) { transcript = s; }),
     "write every query to FILE, one JSON line each (kind, tolerance, answer, true value)");
  options.add_options()("plot", po::value<std::string>()->notifier([&](const std::string& s) { plot = s; }),
                        "the loss of every reported iterate against the queries spent, with opt (optS, opt0 and the certified "
                        "level on a hard instance) as references, to FILE.png, .svg or .pdf; the curve also goes into the record");
  add_csv_option(options);
  add_world_options(options, world_options);
  add_oracle_options(options, oracle_options);
  add_family_options(options, family_options);
  po::options_description algorithm_flags("algorithm options (each applies to the algorithms it names)");
  add_algorithm_options(algorithm_flags, algorithm_options);
  options.add(algorithm_flags);
  std::ostringstream usage;
  usage << kRunUsage;
  print_algorithms(usage);
  if (!parse_command_line(args, options, usage.str())) return 0;

  // Validate everything before any work or any file.
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  algorithms::RunContext run_context{tolerance, sq::stream_seed(world_options.seed, sq::Stream::algorithm), family_options.k};
  sq::Budget run_budget;
  if (budget) {
    sq::require(*budget >= 1, "budget", *budget, "must be at least 1 query");
    run_budget.max_scalar_queries = *budget;
  }
  const std::optional<std::string> plot_target = plot ? std::optional<std::string>(check_plot_target(*plot)) : std::nullopt;
  if (family_options.family)
    return run_on_family(algorithm, run_context, algorithm_options, family_options, world_options, oracle_options, tolerance, run_budget, json,
                         output, transcript, plot_target);
  if (family_options.member) throw UsageError("--member needs --family");

  const std::shared_ptr<const oracles::Dataset> data = load_data(oracle_options);
  if (data && !world_options.dim && !world_options.teacher && !world_options.teacher_file)
    world_options.dim = data->dimension();  // the world is unused but must have the data's dimension
  const oracles::ReluWorld world = make_world(world_options);
  if (data && data->dimension() != world.dimension())
    throw UsageError("data has " + std::to_string(data->dimension()) + " features but dim = " + std::to_string(world.dimension()));
  const auto solver = algorithms::make_algorithm(algorithm, run_context, algorithm_options);
  check_sample_budget(oracle_options, tolerance, world.dimension(), algorithms::find_algorithm(algorithm)->vector_queries);
  Progress progress("sample oracle", "samples");
  int query = 0;
  double last_done = 0.0;
  if (progress.active())
    oracle_options.progress = [&](double done, double total) {
      if (done < last_done || query == 0) {  // a new query: its count, rate and ETA start again
        ++query;
        progress.restart();
      }
      last_done = done;
      progress.update(done, total, "query " + std::to_string(query));
    };
  const auto oracle = make_oracle(oracle_options, world, data, sq::stream_seed(world_options.seed, sq::Stream::oracle));
  sq::RunOptions run_options;
  run_options.budget = run_budget;

  std::optional<OutputFile> output_file, transcript_file;
  if (output) output_file.emplace(*output, "output");
  if (transcript) {
    transcript_file.emplace(*transcript, "transcript");
    run_options.transcript = &transcript_file->stream();
  }

  const oracles::Population population(world);
  std::optional<oracles::EmpiricalLoss> empirical;
  if (data) empirical.emplace(data);
  const sq::Evaluator& evaluator = data ? static_cast<const sq::Evaluator&>(*empirical) : population;
  run_options.record_trace = plot_target.has_value();
  const sq::RunResult result = sq::run(*solver, *oracle, run_options, &evaluator);

  const records::Context context{world_options.seed, world.dimension(), tolerance, world.noise(),
                        data ? "data:" + *oracle_options.data : std::string(to_string(world.label_model())),
                        oracle->name(), solver->name()};
  nlohmann::json record = records::run_record(context, result, data ? std::nullopt : std::optional<sq::Vector>(world.teacher()));
  if (plot_target)
    plot_curve(*plot_target, data ? "data " + *oracle_options.data : world.description(), result,
               result.opt ? std::vector<std::pair<std::string, double>>{{"opt", *result.opt}} : std::vector<std::pair<std::string, double>>{},
               record["results"]);

  if (transcript_file) transcript_file->commit();
  if (!publish(record, output_file, json)) {
    print_table(std::cout, {"algorithm", "oracle", "d", "tau", "queries", "scalar-eq", "final loss", "opt", "excess", "status"},
                {{result.algorithm, result.oracle, std::to_string(world.dimension()), format_value(tolerance),
                  std::to_string(result.spent.total_queries()), std::to_string(result.spent.scalar_equivalent),
                  format_value(result.loss.value_or(NAN), 6), format_value(result.opt.value_or(NAN), 6),
                  format_value(records::excess(result), 3), std::string(sq::to_string(result.status))}});
    if (!result.message.empty()) std::cout << "note: " << result.message << "\n";
  }
  return result.status == sq::RunStatus::failed ? 1 : 0;
}

}  // namespace cli
