// sqsim run: one algorithm against one oracle, with its ledger and its score.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiment.hpp"
#include "oracles/empirical_loss.hpp"
#include "oracles/population.hpp"
#include "output.hpp"
#include "records.hpp"
#include "sq/errors.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace cli {

namespace {
constexpr const char* kRunUsage = R"(usage: sqsim run [options]

Runs an SQ algorithm against an oracle for a Gaussian ReLU world (x ~ N(0, I_d), labels from a
teacher v) and prints one table row: algorithm, oracle, d, tau, queries (vector + scalar),
scalar-equivalent queries (a vector query of size m counts m), the hypothesis's true population
loss (evaluated outside the ledger), opt where known, and the excess loss - opt.

examples:
  sqsim run --dim 100 --tolerance 1e-6
  sqsim run --oracle sample --dim 10 --tolerance 0.05 --json
  sqsim run --labels agnostic --noise 0.1 --perturbation worst-case --transcript queries.jsonl)";
}  // namespace

int run_command(const std::vector<std::string>& args) {
  WorldOptions world_options;
  OracleOptions oracle_options;
  DescentOptions descent_options;
  std::string algorithm = "gd";
  double tolerance = 1e-3;
  std::optional<long long> budget;
  bool json = false;
  std::optional<std::string> output, transcript;

  po::options_description options("run options");
  options.add_options()
    ("algorithm", po::value(&algorithm)->default_value("gd"), "algorithm: gd (SQ gradient descent on the square loss)")
    ("tolerance", po::value(&tolerance)->default_value(1e-3), "tolerance tau of every query (> 0)")
    ("budget", po::value<long long>()->notifier([&](long long b) { budget = b; }),
     "stop the run after this many scalar-equivalent queries (>= 1)")
    ("json", po::bool_switch(&json), "print one JSON object (context + results) instead of the table")
    ("output", po::value<std::string>()->notifier([&](const std::string& s) { output = s; }), "also write the JSON record to FILE")
    ("transcript", po::value<std::string>()->notifier([&](const std::string& s) { transcript = s; }),
     "write every query to FILE, one JSON line each (kind, tolerance, answer, true value)");
  add_world_options(options, world_options);
  add_oracle_options(options, oracle_options);
  add_descent_options(options, descent_options);
  if (!parse_command_line(args, options, kRunUsage)) return 0;

  // Validate everything before any work or any file.
  if (algorithm != "gd") throw UsageError("algorithm = " + algorithm + ": must be gd");
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::RunOptions run_options;
  if (budget) {
    sq::require(*budget >= 1, "budget", *budget, "must be at least 1 query");
    run_options.budget.max_scalar_queries = *budget;
  }
  const std::optional<oracles::Dataset> data = load_data(oracle_options);
  if (data && !world_options.dim && !world_options.teacher && !world_options.teacher_file)
    world_options.dim = data->dimension();  // the world is unused but must have the data's dimension
  const oracles::ReluWorld world = make_world(world_options);
  if (data && data->dimension() != world.dimension())
    throw UsageError("data has " + std::to_string(data->dimension()) + " features but dim = " + std::to_string(world.dimension()));
  const auto oracle = make_oracle(oracle_options, world, data, stream_seed(world_options.seed, Stream::oracle));
  algorithms::GradientDescent gd(make_descent_params(descent_options, tolerance, stream_seed(world_options.seed, Stream::algorithm)));

  std::optional<OutputFile> output_file, transcript_file;
  if (output) output_file.emplace(*output, "output");
  if (transcript) {
    transcript_file.emplace(*transcript, "transcript");
    run_options.transcript = &transcript_file->stream();
  }

  const oracles::Population population(world);
  std::optional<oracles::EmpiricalLoss> empirical;
  if (data) empirical.emplace(*data);
  const sq::Evaluator& evaluator = data ? static_cast<const sq::Evaluator&>(*empirical) : population;
  const sq::RunResult result = sq::run(gd, *oracle, run_options, &evaluator);

  const Context context{world_options.seed, world.dimension(), tolerance, world.noise(),
                        data ? "data:" + *oracle_options.data : std::string(to_string(world.label_model())),
                        oracle->name(), gd.name()};
  nlohmann::json record{{"context", context_json(context)}, {"results", result_json(result)}};
  record["results"]["iterations"] = gd.iterations();
  if (!data) record["results"]["distance_to_teacher"] = result.w ? nlohmann::json((*result.w - world.teacher()).norm()) : nlohmann::json(nullptr);

  if (transcript_file) transcript_file->commit();
  if (!publish(record, output_file, json)) {
    print_table(std::cout, {"algorithm", "oracle", "d", "tau", "queries", "scalar-eq", "final loss", "opt", "excess", "status"},
                {{result.algorithm, result.oracle, std::to_string(world.dimension()), format_value(tolerance),
                  std::to_string(result.spent.total_queries()), std::to_string(result.spent.scalar_equivalent),
                  format_value(result.loss.value_or(NAN), 6), format_value(result.opt.value_or(NAN), 6),
                  format_value(excess(result), 3), std::string(sq::to_string(result.status))}});
    if (!result.message.empty()) std::cout << "note: " << result.message << "\n";
  }
  return 0;
}

}  // namespace cli
