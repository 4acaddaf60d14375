// Building the pieces of one experiment from command-line choices: oracle and algorithm.
#pragma once

#include "sqsim/algorithms/options.hpp"
#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/oracles/relu_world.hpp"
#include "sqsim/sq/oracle.hpp"
#include "sqsim_cli.hpp"

#include <boost/program_options/options_description.hpp>

#include <memory>
#include <optional>
#include <string>

namespace sqsim::cli {

// The most fresh samples per query --force allows (the sample oracle's own ceiling).
constexpr double kForcedMaxSamples = 1e12;

struct OracleOptions {
  std::string kind = "exact";  // exact | sample
  std::string perturbation = "truthful";
  double delta = 0.01;
  int threads = 0;
  std::optional<long long> pool;    // sample oracle over a fixed pool drawn from the world
  std::optional<std::string> data;  // sample oracle over a CSV data set
  std::string label_range = "0,1";
  double max_samples = 1e9;                                           // sample oracle: refuse a query needing more fresh samples
  bool force = false;                                                 // --force: allow plans above max_samples, up to kForcedMaxSamples
  std::function<void(double done, double total)> progress = nullptr;  // sample oracle: samples of the current query
};
void add_oracle_options(boost::program_options::options_description& options, OracleOptions& oracle);

// The data set of --data (empty when not given), then the oracle.
std::shared_ptr<const oracles::Dataset> load_data(const OracleOptions& options);
// Before any work: with the fresh-sample oracle, refuse (UsageError naming tau, delta and the count)
// a tolerance at which the first query of the algorithm (a vector query of dimension d when it asks
// vector queries, else a scalar l2 query) would need more than --max-samples samples.
void check_sample_budget(const OracleOptions& options, double tolerance, Eigen::Index d, bool vector_queries);
std::unique_ptr<sq::Oracle> make_oracle(const OracleOptions& options, const oracles::ReluWorld& world,
                                        const std::shared_ptr<const oracles::Dataset>& data, std::uint64_t seed);

// Every option of the algorithm catalogue as a --flag, once per name (its help says which algorithms
// take it and their defaults); the values a user gives land in `values`, for
// algorithms::make_algorithm, which refuses one the chosen algorithm does not take.
void add_algorithm_options(boost::program_options::options_description& options, algorithms::OptionValues& values);

}  // namespace sqsim::cli