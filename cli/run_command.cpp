// sqsim run: one algorithm against one oracle, with its ledger and its score; on a hard family,
// against the adversary (or one member's exact oracle), with the certificate of what the run proves.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiment.hpp"
#include "family_options.hpp"
#include "output.hpp"
#include "plot.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/experiments/family_run.hpp"
#include "sqsim/oracles/empirical_loss.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"
#include "sqsim/sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace sqsim::cli {

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

// What `sqsim run` was asked, validated; the run on a hard family and the run on a world read it.
struct RunRequest {
  std::string algorithm = "gd";
  algorithms::OptionValues algorithm_options;
  algorithms::RunContext context;
  WorldOptions world;
  OracleOptions oracle;
  FamilyOptions family;
  double tolerance = 1e-3;
  sq::Budget budget;
  bool json = false;
  std::optional<std::string> output, transcript, plot_target;
};

int run_on_family(const RunRequest& r) {
  algorithms::RunContext context = r.context;
  if (r.world.teacher || r.world.teacher_file || r.world.labels != "relu")
    throw UsageError("--labels, --teacher and --teacher-file describe a Gaussian ReLU world; they do not apply with --family");
  if (r.oracle.data || r.oracle.pool) throw UsageError("--data and --pool need a Gaussian ReLU world; they do not apply with --family");
  const std::string oracle_kind = r.oracle.kind == "exact" ? "adversary" : r.oracle.kind;  // exact is the world default
  if (oracle_kind != "adversary" && oracle_kind != "member")
    throw UsageError("oracle = " + r.oracle.kind + ": with --family it must be adversary or member");
  if (oracle_kind == "adversary" && r.oracle.perturbation != "truthful")
    throw UsageError("--perturbation applies to --oracle member; the adversary always answers with D0's value");
  const auto family = make_family(r.family, r.world.dim.value_or(20), r.world.noise);
  const std::optional<lower_bounds::Subset> fixed = parse_member(r.family, *family);
  context.k = family->order();
  const auto algorithm = algorithms::make_algorithm(r.algorithm, context, r.algorithm_options);
  const oracles::Perturbation perturbation = oracles::parse_perturbation(r.oracle.perturbation);

  experiments::FamilyRunSpec spec;
  spec.oracle = oracle_kind == "adversary" ? experiments::FamilyOracle::adversary : experiments::FamilyOracle::member;
  spec.tolerance = r.tolerance;
  spec.budget = r.budget;
  spec.member = fixed;
  spec.seed = r.world.seed;
  spec.threads = r.oracle.threads;
  spec.perturbation = perturbation;
  spec.record_trace = r.plot_target.has_value();
  spec.validate();  // before any file

  std::optional<OutputFile> output_file, transcript_file;
  if (r.output) output_file.emplace(*r.output, "output");
  if (r.transcript) transcript_file.emplace(*r.transcript, "transcript");
  spec.transcript = transcript_file ? &transcript_file->stream() : nullptr;
  Progress progress("adversary", "queries");
  if (spec.oracle == experiments::FamilyOracle::adversary)
    spec.progress = [&](std::uint64_t queries, std::uint64_t exposed, std::uint64_t tracked) {
      progress.update(
          static_cast<double>(queries), 0.0,
          format_value(static_cast<double>(exposed), 4) + " of " + format_value(static_cast<double>(tracked), 4) + " members exposed");
    };
  const experiments::FamilyRunReport report = experiments::run_on_family(*algorithm, family, spec);
  const sq::RunResult& run = report.run;
  const lower_bounds::FamilyFacts& facts = report.facts;
  nlohmann::json record = records::run_record(report, r.world.seed);
  if (r.plot_target) {
    std::vector<std::pair<std::string, double>> references{{"optS", facts.optS}, {"opt0", facts.opt0}};
    if (report.adversary && report.adversary->certified)
      references.emplace_back("certified: optS + gap - 2 tau", facts.optS + report.adversary->certified_excess);
    plot_curve(*r.plot_target, family->description() + (report.adversary ? ", loss under the planted member" : ", member oracle"), run,
               references, record["results"]);
  }
  const std::string exposed = report.adversary ? std::to_string(report.adversary->members_exposed) + " of " +
                                                     format_value(static_cast<double>(report.adversary->tracked_members), 10)
                                               : "-";
  const std::string certified = report.adversary ? (report.adversary->certified ? "yes" : "no") : "-";
  const std::string certificate = report.adversary ? report.adversary->certificate : "";
  if (transcript_file) transcript_file->commit();
  if (!publish(record, output_file, r.json)) {
    print_table(std::cout,
                {"algorithm", "oracle", "family", "d", "k", "tau", "queries", "scalar-eq", "loss", "optS", "excess", "exposed", "status",
                 "certified"},
                {{run.algorithm, run.oracle, family->name(), std::to_string(family->dimension()), std::to_string(family->order()),
                  format_value(r.tolerance), std::to_string(run.spent.total_queries()), std::to_string(run.spent.scalar_equivalent),
                  format_value(run.loss.value_or(NAN), 6), format_value(facts.optS, 6), format_value(records::excess(run), 3), exposed,
                  std::string(sq::to_string(run.status)), certified}});
    std::cout << "planted S = {" << member_text(report.planted) << "}, opt0 = " << format_value(facts.opt0, 6)
              << ", gap = " << format_value(facts.gap, 4) << "\n";
    if (!certificate.empty()) std::cout << certificate << "\n";
    if (!run.message.empty()) std::cout << "note: " << run.message << "\n";
  }
  return run.status == sq::RunStatus::failed ? 1 : 0;
}

// A Gaussian ReLU world (or a data set through the pool), its exact or sample oracle, scored by the population (or empirical) loss.
int run_on_world(RunRequest r) {
  const std::shared_ptr<const oracles::Dataset> data = load_data(r.oracle);
  if (data && !r.world.dim && !r.world.teacher && !r.world.teacher_file)
    r.world.dim = data->dimension();  // the world is unused but must have the data's dimension
  const oracles::ReluWorld world = make_world(r.world);
  if (data && data->dimension() != world.dimension())
    throw UsageError("data has " + std::to_string(data->dimension()) + " features but dim = " + std::to_string(world.dimension()));
  const auto solver = algorithms::make_algorithm(r.algorithm, r.context, r.algorithm_options);
  check_sample_budget(r.oracle, r.tolerance, world.dimension(), algorithms::find_algorithm(r.algorithm)->vector_queries);
  Progress progress("sample oracle", "samples");
  int query = 0;
  double last_done = 0.0;
  if (progress.active())
    r.oracle.progress = [&](double done, double total) {
      if (done < last_done || query == 0) {  // a new query: its count, rate and ETA start again
        ++query;
        progress.restart();
      }
      last_done = done;
      progress.update(done, total, "query " + std::to_string(query));
    };
  const auto oracle = make_oracle(r.oracle, world, data, sq::stream_seed(r.world.seed, sq::Stream::oracle));
  sq::RunOptions run_options;
  run_options.budget = r.budget;

  std::optional<OutputFile> output_file, transcript_file;
  if (r.output) output_file.emplace(*r.output, "output");
  if (r.transcript) {
    transcript_file.emplace(*r.transcript, "transcript");
    run_options.transcript = &transcript_file->stream();
  }

  const oracles::Population population(world);
  std::optional<oracles::EmpiricalLoss> empirical;
  if (data) empirical.emplace(data);
  const sq::Evaluator& evaluator = data ? static_cast<const sq::Evaluator&>(*empirical) : population;
  run_options.record_trace = r.plot_target.has_value();
  const sq::RunResult result = sq::run(*solver, *oracle, run_options, &evaluator);

  const records::Context context{r.world.seed,
                                 world.dimension(),
                                 r.tolerance,
                                 world.noise(),
                                 data ? "data:" + *r.oracle.data : std::string(to_string(world.label_model())),
                                 oracle->name(),
                                 solver->name()};
  nlohmann::json record = records::run_record(context, result, data ? std::nullopt : std::optional<sq::Vector>(world.teacher()));
  if (r.plot_target)
    plot_curve(
        *r.plot_target, data ? "data " + *r.oracle.data : world.description(), result,
        result.opt ? std::vector<std::pair<std::string, double>>{{"opt", *result.opt}} : std::vector<std::pair<std::string, double>>{},
        record["results"]);

  if (transcript_file) transcript_file->commit();
  if (!publish(record, output_file, r.json)) {
    print_table(std::cout, {"algorithm", "oracle", "d", "tau", "queries", "scalar-eq", "final loss", "opt", "excess", "status"},
                {{result.algorithm, result.oracle, std::to_string(world.dimension()), format_value(r.tolerance),
                  std::to_string(result.spent.total_queries()), std::to_string(result.spent.scalar_equivalent),
                  format_value(result.loss.value_or(NAN), 6), format_value(result.opt.value_or(NAN), 6),
                  format_value(records::excess(result), 3), std::string(sq::to_string(result.status))}});
    if (!result.message.empty()) std::cout << "note: " << result.message << "\n";
  }
  return result.status == sq::RunStatus::failed ? 1 : 0;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  RunRequest r;
  WorldOptions& world_options = r.world;
  OracleOptions& oracle_options = r.oracle;
  FamilyOptions& family_options = r.family;
  std::optional<long long> budget;
  std::optional<std::string> plot;

  po::options_description options("run options");
  options.add_options()("algorithm", po::value(&r.algorithm)->default_value(r.algorithm), "the algorithm, by name (listed above)")(
      "tolerance", po::value(&r.tolerance)->default_value(r.tolerance), "tolerance tau of every query (> 0)")(
      "budget", po::value<long long>()->notifier([&](long long b) { budget = b; }),
      "stop the run after this many scalar-equivalent queries (>= 1)")("json", po::bool_switch(&r.json),
                                                                       "print one JSON object (context + results) instead of the table")(
      "output", po::value<std::string>()->notifier([&](const std::string& s) { r.output = s; }), "also write the JSON record to FILE")(
      "transcript", po::value<std::string>()->notifier([&](const std::string& s) { r.transcript = s; }),
      "write every query to FILE, one JSON line each (kind, tolerance, answer, true value)");
  options.add_options()("plot", po::value<std::string>()->notifier([&](const std::string& s) { plot = s; }),
                        "the loss of every reported iterate against the queries spent, with opt (optS, opt0 and the certified "
                        "level on a hard instance) as references, to FILE.png, .svg or .pdf; the curve also goes into the record");
  add_csv_option(options);
  add_world_options(options, world_options);
  add_oracle_options(options, oracle_options);
  add_family_options(options, family_options);
  po::options_description algorithm_flags("algorithm options (each applies to the algorithms it names)");
  add_algorithm_options(algorithm_flags, r.algorithm_options);
  options.add(algorithm_flags);
  std::ostringstream usage;
  usage << kRunUsage;
  print_algorithms(usage);
  if (!parse_command_line(args, options, usage.str())) return 0;

  // Validate everything before any work or any file.
  sq::require(std::isfinite(r.tolerance) && r.tolerance > 0.0, "tolerance", r.tolerance, "must be a finite number > 0");
  r.context = {r.tolerance, sq::stream_seed(world_options.seed, sq::Stream::algorithm), family_options.k};
  if (budget) {
    sq::require(*budget >= 1, "budget", *budget, "must be at least 1 query");
    r.budget.max_scalar_queries = *budget;
  }
  if (plot) r.plot_target = check_plot_target(*plot);
  if (family_options.family) return run_on_family(r);
  if (family_options.member) throw UsageError("--member needs --family");
  return run_on_world(std::move(r));
}

}  // namespace sqsim::cli