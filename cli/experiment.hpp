// Building the pieces of one experiment from command-line choices: oracle and gradient descent.
#pragma once

#include "algorithms/gradient_descent.hpp"
#include "oracles/csv_dataset.hpp"
#include "oracles/relu_world.hpp"
#include "sq/oracle.hpp"

#include <boost/program_options/options_description.hpp>

#include <memory>
#include <optional>
#include <string>

namespace cli {

struct OracleOptions {
  std::string kind = "exact";           // exact | sample
  std::string perturbation = "truthful";
  double delta = 0.01;
  int threads = 0;
  std::optional<long long> pool;       // sample oracle over a fixed pool drawn from the world
  std::optional<std::string> data;     // sample oracle over a CSV data set
  std::string label_range = "0,1";
};
void add_oracle_options(boost::program_options::options_description& options, OracleOptions& oracle);

// The data set of --data (empty when not given), then the oracle.
std::optional<oracles::Dataset> load_data(const OracleOptions& options);
std::unique_ptr<sq::Oracle> make_oracle(const OracleOptions& options, const oracles::ReluWorld& world,
                                        const std::optional<oracles::Dataset>& data, std::uint64_t seed);

struct DescentOptions {
  long long iterations = 100;
  double step = 1.0;
  double radius = std::numeric_limits<double>::infinity();
  std::string init = "zero";
  std::string gradient = "vector";
  double query_scale = 1.0;
  double stop_threshold = 0.0;
  bool loss_queries = false;
};
void add_descent_options(boost::program_options::options_description& options, DescentOptions& descent);
algorithms::GradientDescentParams make_descent_params(const DescentOptions& options, double tolerance, std::uint64_t seed);

}  // namespace cli
