// The JSON record of an experiment: a `context` block (what was run) and its results.
#pragma once

#include "oracles/relu_world.hpp"
#include "output.hpp"
#include "sq/harness.hpp"

#include <boost/program_options/options_description.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace cli {

nlohmann::json vector_json(const sq::Vector& v);
nlohmann::json optional_json(const std::optional<double>& value);

struct Context {
  std::uint64_t seed = 1;
  Eigen::Index d = 0;
  double tolerance = 0.0;
  double noise = 0.0;
  std::string labels, oracle, algorithm;
};
nlohmann::json context_json(const Context& context);

// status, message, w, queries {vector, scalar, total, scalar_equivalent, smallest_tolerance},
// loss, opt, excess.
nlohmann::json result_json(const sq::RunResult& result);

double excess(const sq::RunResult& result);  // loss - opt, NaN where either is unknown

// --json, --output FILE and --plot FILE of an experiment, and what they become once validated.
struct RecordOptions {
  bool json = false;
  std::optional<std::string> output, plot;
  std::optional<OutputFile> output_file;
  std::optional<std::string> plot_target;
  void add(boost::program_options::options_description& options, const std::string& plot_help);
  void open();  // validates --plot and opens --output (before any work)
};

// Writes the record to the --output file, if any, and with --json to stdout; returns `json`, so
// that the caller prints its table only when it is false.
bool publish(const nlohmann::json& record, std::optional<OutputFile>& output, bool json);

}  // namespace cli
