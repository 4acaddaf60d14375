// sqsim demo: gradient descent on Gaussian ReLU worlds, exact and sample oracles side by side.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiment.hpp"
#include "output.hpp"
#include "records.hpp"
#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/records/inspection_records.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"
#include "sqsim/sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace po = boost::program_options;

namespace sqsim::cli {

namespace {

constexpr const char* kDemoUsage = R"(usage: sqsim demo relu [options]

SQ gradient descent (from w = 0, step 1) on Gaussian ReLU worlds with d = 10, through the exact
oracle (truthful, uniformly perturbed, worst-case) and the sample oracle, side by side: what it
spent, and how close it got. On realizable labels GD reaches opt to within the oracle's error;
with noisy or adversarial labels opt > 0 and GD's excess shows what the noise costs.)";

struct DemoRow {
  std::string labels;
  double noise;
  OracleOptions oracle;
  double tolerance;
};

}  // namespace

int demo_command(const std::vector<std::string>& args) {
  if (args.empty() || args.front().starts_with("-")) {
    // `sqsim demo --help` describes the default demo, after naming both.
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h"))
      std::cout
          << "sqsim demo [gd-failure|relu]: gd-failure (the default) and relu are described below and by 'sqsim demo relu --help'.\n\n";
    return gd_failure_demo(args);
  }
  const std::string name = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (name == "gd-failure") return gd_failure_demo(rest);
  if (name == "relu") return relu_demo(rest);
  throw UsageError("demo = " + name + ": must be gd-failure or relu");
}

int relu_demo(const std::vector<std::string>& args) {
  std::uint64_t seed = 1;
  int threads = 0;
  bool json = false;
  std::optional<std::string> output;
  po::options_description options("demo options");
  options.add_options()("seed", seed_option(seed), "master seed; every random stream is derived from it")(
      "threads", po::value(&threads)->default_value(0), "threads of the sample oracle (0 = all cores); results do not depend on it")(
      "json", po::bool_switch(&json), "print one JSON object instead of the table")(
      "output", po::value<std::string>()->notifier([&](const std::string& s) { output = s; }), "also write the JSON record to FILE");
  add_csv_option(options);
  if (!parse_command_line(args, options, kDemoUsage)) return 0;
  sq::require(threads >= 0 && threads <= sq::kMaxThreads, "threads", threads, "must lie in [0, 1024] (0 = all cores)");
  std::optional<OutputFile> output_file;
  if (output) output_file.emplace(*output, "output");

  auto exact = [](std::string perturbation) {
    OracleOptions o;
    o.perturbation = std::move(perturbation);
    return o;
  };
  OracleOptions sample;
  sample.kind = "sample";
  sample.threads = threads;
  const std::vector<DemoRow> rows{{"relu", 0.0, exact("truthful"), 1e-6},   {"relu", 0.0, exact("uniform"), 1e-2},
                                  {"relu", 0.0, exact("worst-case"), 1e-2}, {"relu", 0.0, sample, 0.05},
                                  {"noisy-relu", 0.2, sample, 0.05},        {"agnostic", 0.1, exact("truthful"), 1e-3}};

  std::vector<std::vector<std::string>> table;
  std::vector<records::DemoRun> runs;
  for (const DemoRow& row : rows) {
    WorldOptions world_options;
    world_options.labels = row.labels;
    world_options.noise = row.noise;
    world_options.dim = 10;
    world_options.seed = seed;
    const oracles::ReluWorld world = make_world(world_options);
    if (stderr_is_terminal()) std::cerr << "running gd on " << world.description() << " ...\r" << std::flush;
    const auto oracle = make_oracle(row.oracle, world, nullptr, sq::stream_seed(seed, sq::Stream::oracle));
    const auto algorithm =
        algorithms::make_algorithm("gd", {row.tolerance, sq::stream_seed(seed, sq::Stream::algorithm)}, {{"iterations", "50"}});
    sq::Algorithm& gd = *algorithm;
    const oracles::Population population(world);
    const sq::RunResult result = sq::run(gd, *oracle, {}, &population);
    if (!result.w)
      throw std::runtime_error("gd on " + world.description() + " ended with status " + std::string(sq::to_string(result.status)) + ": " +
                               result.message);
    const auto* sampler = dynamic_cast<const oracles::SampleOracle*>(oracle.get());
    const double distance = (*result.w - world.teacher()).norm();
    table.push_back({row.labels + (row.noise > 0 ? " (" + format_value(row.noise) + ")" : ""), result.oracle, format_value(row.tolerance),
                     std::to_string(result.spent.total_queries()), std::to_string(result.spent.scalar_equivalent),
                     sampler ? std::to_string(sampler->samples_used()) : "-", format_value(*result.loss, 6), format_value(*result.opt, 6),
                     format_value(records::excess(result), 3), format_value(distance, 3)});
    runs.push_back({records::Context{seed, world.dimension(), row.tolerance, row.noise, row.labels, result.oracle, gd.name()}, result,
                    world.teacher(), sampler ? std::optional<std::int64_t>(sampler->samples_used()) : std::nullopt});
  }
  if (stderr_is_terminal()) std::cerr << std::string(60, ' ') << "\r";
  const nlohmann::json record = records::demo_runs_record(runs);
  if (publish(record, output_file, json)) return 0;
  std::cout << "SQ gradient descent (from w = 0) on x ~ N(0, I_10), teacher v a random unit vector\n\n";
  print_table(std::cout, {"labels", "oracle", "tau", "queries", "scalar-eq", "samples", "final loss", "opt", "excess", "|w - v|"}, table);
  std::cout << "\nqueries: vector queries (one gradient each); scalar-eq counts each as d = 10 scalar queries.\n"
               "final loss and opt are exact population values, computed outside the ledger.\n";
  return 0;
}

}  // namespace sqsim::cli