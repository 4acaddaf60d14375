#include "experiment.hpp"

#include "commands.hpp"
#include "output.hpp"
#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>

namespace po = boost::program_options;

namespace sqsim::cli {

void add_oracle_options(po::options_description& options, OracleOptions& oracle) {
  options.add_options()("oracle", po::value(&oracle.kind)->default_value("exact"),
                        "exact: population values by quadrature, within 1e-9; sample: empirical means of fresh samples "
                        "(or of --pool / --data)")(
      "perturbation", po::value(&oracle.perturbation)->default_value("truthful"),
      "exact oracle's answer within tau: truthful, uniform, worst-case (toward the answer under D0, "
      "labels independent of x), vstat")("delta", po::value(&oracle.delta)->default_value(0.01),
                                         "sample oracle: failure probability per query")(
      "threads", po::value(&oracle.threads)->default_value(0), "sample oracle: threads (0 = all cores); answers do not depend on it")(
      "pool", po::value<long long>()->notifier([&oracle](long long n) { oracle.pool = n; }),
      "sample oracle: draw one fixed pool of N samples and answer every query from it")(
      "data", po::value<std::string>()->notifier([&oracle](const std::string& s) { oracle.data = s; }),
      "sample oracle: answer from this CSV data set (features, then the label; one row per sample)")(
      "label-range", po::value(&oracle.label_range)->default_value("0,1"), "allowed labels 'low,high' in --data")(
      "max-samples", po::value(&oracle.max_samples)->default_value(1e9, "1e9"),
      "sample oracle: refuse a query whose plan needs more fresh samples than this (checked before the run for the first query)")(
      "force", po::bool_switch(&oracle.force),
      "sample oracle: run even when a query needs more than --max-samples fresh samples (up to 1e12)");
}

std::shared_ptr<const oracles::Dataset> load_data(const OracleOptions& options) {
  if (!options.data) return nullptr;
  const sq::Vector range = parse_vector_list(options.label_range, "label-range");
  if (range.size() != 2 || !(range[0] <= range[1]))
    throw UsageError("label-range = " + options.label_range + ": expected 'low,high' with low <= high");
  return std::make_shared<const oracles::Dataset>(oracles::load_csv(*options.data, oracles::LabelRange{range[0], range[1]}));
}

void check_sample_budget(const OracleOptions& options, double tolerance, Eigen::Index d, bool vector_queries) {
  if (options.kind != "sample" || options.pool || options.data) return;
  const oracles::SampleOracleParams params{options.delta, 1, options.threads, options.max_samples};
  params.validate();
  const double cap = options.force ? kForcedMaxSamples : options.max_samples;
  const oracles::SamplePlan plan = vector_queries ? oracles::plan_samples(d, sq::VectorNorm::l2, tolerance, options.delta)
                                                  : oracles::plan_samples(sq::QueryKind::l2, tolerance, options.delta);
  if (plan.total() > options.max_samples && plan.total() <= cap) {
    std::cerr << "sqsim: --force: each " << (vector_queries ? "gradient query" : "query") << " of this run needs "
              << format_value(plan.total(), 3) << " fresh samples (" << plan.bound
              << "), above --max-samples = " << format_value(options.max_samples, 3) << "\n";
    return;
  }
  if (plan.total() > cap)
    throw UsageError("tolerance = " + sq::format_number(tolerance) + " with delta = " + sq::format_number(options.delta) + ": " +
                     (vector_queries ? "a gradient query of dimension " + std::to_string(d) : std::string("an l2 query")) + " needs " +
                     format_value(plan.total(), 3) + " fresh samples (" + plan.bound + "), above --max-samples = " + format_value(cap, 3) +
                     (options.force ? " (the most --force allows)" : "") + "; raise tau or delta, use --pool" +
                     (options.force ? "" : ", or give --force"));
}

std::unique_ptr<sq::Oracle> make_oracle(const OracleOptions& options, const oracles::ReluWorld& world,
                                        const std::shared_ptr<const oracles::Dataset>& data, std::uint64_t seed) {
  if (options.kind == "exact") {
    if (options.pool || options.data) throw UsageError("--pool and --data need --oracle sample");
    return std::make_unique<oracles::ExactOracle>(world,
                                                  oracles::ExactOracleParams{oracles::parse_perturbation(options.perturbation), seed});
  }
  if (options.kind != "sample") throw UsageError("oracle = " + options.kind + ": must be exact or sample");
  if (options.perturbation != "truthful") throw UsageError("--perturbation applies to --oracle exact only");
  const oracles::SampleOracleParams params{options.delta, seed, options.threads, options.force ? kForcedMaxSamples : options.max_samples,
                                           options.progress};
  params.validate();
  if (options.pool && options.data) throw UsageError("give --pool or --data, not both");
  if (data) return std::make_unique<oracles::SampleOracle>(data, params);
  if (options.pool) {
    sq::require(*options.pool >= 1, "pool", *options.pool, "must be at least 1 sample");
    // (d + 1) doubles per sample; refuse what cannot be allocated before trying.
    const double bytes = static_cast<double>(*options.pool) * static_cast<double>(world.dimension() + 1) * 8.0;
    sq::require(
        bytes <= 8.0 * 1024 * 1024 * 1024, "pool", *options.pool,
        "needs " + format_value(bytes / (1024.0 * 1024 * 1024), 3) + " GiB at d = " + std::to_string(world.dimension()) + ", above 8 GiB");
    return std::make_unique<oracles::SampleOracle>(oracles::draw_dataset(world, *options.pool, sq::derive_seed(seed, 1)), params);
  }
  return std::make_unique<oracles::SampleOracle>(world, params);
}

void add_algorithm_options(po::options_description& options, algorithms::OptionValues& values) {
  // Options by name, in first-declared order, with who takes them: (help, default) -> algorithms.
  struct Shared {
    algorithms::OptionSpec spec;
    std::vector<std::pair<std::string, std::vector<std::string>>> uses;  // "help (default x)" -> algorithm names
  };
  std::vector<Shared> shared;
  for (const algorithms::AlgorithmEntry& a : algorithms::catalogue())
    for (const algorithms::OptionSpec& spec : a.options) {
      auto it = std::find_if(shared.begin(), shared.end(), [&](const Shared& s) { return s.spec.name == spec.name; });
      if (it == shared.end()) it = shared.insert(shared.end(), Shared{spec, {}});
      const std::string use = spec.help + (spec.type == algorithms::OptionType::flag ? "" : " (default " + spec.default_text + ")");
      auto u = std::find_if(it->uses.begin(), it->uses.end(), [&](const auto& p) { return p.first == use; });
      if (u == it->uses.end()) u = it->uses.insert(it->uses.end(), {use, {}});
      u->second.push_back(a.name);
    }
  for (const Shared& s : shared) {
    std::string help;
    for (const auto& [use, names] : s.uses) {
      std::string who;
      for (const std::string& n : names) who += (who.empty() ? "" : ", ") + n;
      help += (help.empty() ? "" : "; ") + who + ": " + use;
    }
    const std::string name = s.spec.name;
    if (s.spec.type == algorithms::OptionType::flag) {
      options.add_options()(name.c_str(), po::bool_switch()->notifier([&values, name](bool on) {
        if (on) values[name] = "true";
      }),
                            help.c_str());
    } else {
      const char* value_name = s.spec.type == algorithms::OptionType::real      ? "NUMBER"
                               : s.spec.type == algorithms::OptionType::integer ? "INT"
                                                                                : "WORD";
      options.add_options()(name.c_str(), po::value<std::string>()->value_name(value_name)->notifier([&values, name](const std::string& v) {
        values[name] = v;
      }),
                            help.c_str());
    }
  }
}

}  // namespace sqsim::cli