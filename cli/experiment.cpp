#include "experiment.hpp"

#include "commands.hpp"
#include "oracles/exact_oracle.hpp"
#include "oracles/sample_oracle.hpp"
#include "sq/errors.hpp"
#include "sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <limits>

namespace po = boost::program_options;

namespace cli {

void add_oracle_options(po::options_description& options, OracleOptions& oracle) {
  options.add_options()
    ("oracle", po::value(&oracle.kind)->default_value("exact"),
     "exact: population values by quadrature, within 1e-9; sample: empirical means of fresh samples "
     "(or of --pool / --data)")
    ("perturbation", po::value(&oracle.perturbation)->default_value("truthful"),
     "exact oracle's answer within tau: truthful, uniform, worst-case (toward the answer under D0, "
     "labels independent of x), vstat")
    ("delta", po::value(&oracle.delta)->default_value(0.01), "sample oracle: failure probability per query")
    ("threads", po::value(&oracle.threads)->default_value(0), "sample oracle: threads (0 = all cores); answers do not depend on it")
    ("pool", po::value<long long>()->notifier([&oracle](long long n) { oracle.pool = n; }),
     "sample oracle: draw one fixed pool of N samples and answer every query from it")
    ("data", po::value<std::string>()->notifier([&oracle](const std::string& s) { oracle.data = s; }),
     "sample oracle: answer from this CSV data set (features, then the label; one row per sample)")
    ("label-range", po::value(&oracle.label_range)->default_value("0,1"), "allowed labels 'low,high' in --data");
}

std::optional<oracles::Dataset> load_data(const OracleOptions& options) {
  if (!options.data) return std::nullopt;
  const sq::Vector range = parse_vector_list(options.label_range, "label-range");
  if (range.size() != 2 || !(range[0] <= range[1]))
    throw UsageError("label-range = " + options.label_range + ": expected 'low,high' with low <= high");
  return oracles::load_csv(*options.data, oracles::LabelRange{range[0], range[1]});
}

std::unique_ptr<sq::Oracle> make_oracle(const OracleOptions& options, const oracles::ReluWorld& world,
                                        const std::optional<oracles::Dataset>& data, std::uint64_t seed) {
  if (options.kind == "exact") {
    if (options.pool || options.data) throw UsageError("--pool and --data need --oracle sample");
    return std::make_unique<oracles::ExactOracle>(world, oracles::ExactOracleParams{oracles::parse_perturbation(options.perturbation), seed});
  }
  if (options.kind != "sample") throw UsageError("oracle = " + options.kind + ": must be exact or sample");
  if (options.perturbation != "truthful") throw UsageError("--perturbation applies to --oracle exact only");
  const oracles::SampleOracleParams params{options.delta, seed, options.threads};
  params.validate();
  if (options.pool && options.data) throw UsageError("give --pool or --data, not both");
  if (data) return std::make_unique<oracles::SampleOracle>(*data, params);
  if (options.pool) {
    sq::require(*options.pool >= 1, "pool", *options.pool, "must be at least 1 sample");
    return std::make_unique<oracles::SampleOracle>(oracles::draw_dataset(world, *options.pool, sq::derive_seed(seed, 1)), params);
  }
  return std::make_unique<oracles::SampleOracle>(world, params);
}

void add_descent_options(po::options_description& options, DescentOptions& descent) {
  options.add_options()
    ("iterations", po::value(&descent.iterations)->default_value(100), "gd: maximum iterations")
    ("step-size", po::value(&descent.step)->default_value(1.0), "gd: step size (w <- w - step * gradient)")
    ("radius", po::value(&descent.radius)->default_value(std::numeric_limits<double>::infinity(), "inf"), "gd: project onto |w| <= radius")
    ("init", po::value(&descent.init)->default_value("zero"), "gd: zero (relu'(0) = 1/2) or random (unit norm, from --seed)")
    ("gradient", po::value(&descent.gradient)->default_value("vector"), "gd: vector (one vector query) or coordinates (d scalar queries)")
    ("query-scale", po::value(&descent.query_scale)->default_value(1.0), "gd: ask q/s so that E_D0[(q/s)^2] <= 1; the answer is multiplied by s")
    ("stop-threshold", po::value(&descent.stop_threshold)->default_value(0.0), "gd: stop when the answered half-gradient has norm below this (0: twice its error bound)")
    ("loss-queries", po::bool_switch(&descent.loss_queries), "gd: also ask the loss at every iterate");
}

algorithms::GradientDescentParams make_descent_params(const DescentOptions& options, double tolerance, std::uint64_t seed) {
  algorithms::GradientDescentParams params;
  params.tolerance = tolerance;
  sq::require(options.iterations >= 1 && options.iterations <= std::numeric_limits<int>::max(), "iterations",
              options.iterations, "must be at least 1");
  params.max_iterations = static_cast<int>(options.iterations);
  params.step_size = options.step;
  params.radius = options.radius;
  if (options.init != "zero" && options.init != "random") throw UsageError("init = " + options.init + ": must be zero or random");
  params.init = options.init == "zero" ? algorithms::Initialization::zero : algorithms::Initialization::random;
  if (options.gradient != "vector" && options.gradient != "coordinates")
    throw UsageError("gradient = " + options.gradient + ": must be vector or coordinates");
  params.mode = options.gradient == "vector" ? algorithms::GradientMode::vector : algorithms::GradientMode::coordinates;
  params.query_scale = options.query_scale;
  params.stop_threshold = options.stop_threshold;
  params.loss_queries = options.loss_queries;
  params.seed = seed;
  params.validate();
  return params;
}

}  // namespace cli
