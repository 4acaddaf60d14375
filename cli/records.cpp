#include "records.hpp"

#include "plot.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>
#include <limits>

namespace cli {

nlohmann::json vector_json(const sq::Vector& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

nlohmann::json optional_json(const std::optional<double>& value) {
  return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json context_json(const Context& c) {
  return {{"version", SQSIM_VERSION}, {"seed", c.seed},   {"d", c.d},           {"tolerance", c.tolerance},
          {"noise", c.noise},         {"labels", c.labels}, {"oracle", c.oracle}, {"algorithm", c.algorithm}};
}

double excess(const sq::RunResult& result) {
  return result.loss && result.opt ? *result.loss - *result.opt : std::numeric_limits<double>::quiet_NaN();
}

nlohmann::json result_json(const sq::RunResult& result) {
  const double smallest = result.spent.smallest_tolerance;
  nlohmann::json record{
      {"status", sq::to_string(result.status)},
      {"message", result.message},
      {"w", result.w ? vector_json(*result.w) : nlohmann::json(nullptr)},
      {"queries",
       {{"vector", result.spent.vector_queries},
        {"scalar", result.spent.scalar_queries},
        {"total", result.spent.total_queries()},
        {"scalar_equivalent", result.spent.scalar_equivalent},
        {"smallest_tolerance", std::isfinite(smallest) ? nlohmann::json(smallest) : nlohmann::json(nullptr)}}},
      {"loss", optional_json(result.loss)},
      {"opt", optional_json(result.opt)}};
  const double e = excess(result);
  record["excess"] = std::isnan(e) ? nlohmann::json(nullptr) : nlohmann::json(e);
  return record;
}

void RecordOptions::add(boost::program_options::options_description& options, const std::string& plot_help) {
  namespace po = boost::program_options;
  options.add_options()
    ("json", po::bool_switch(&json), "print one JSON object instead of the table")
    ("output", po::value<std::string>()->notifier([this](const std::string& s) { output = s; }), "also write the JSON record to FILE")
    ("plot", po::value<std::string>()->notifier([this](const std::string& s) { plot = s; }), plot_help.c_str());
}

void RecordOptions::open() {
  if (plot) plot_target = check_plot_target(*plot);
  if (output) output_file.emplace(*output, "output");
}

bool publish(const nlohmann::json& record, std::optional<OutputFile>& output, bool json) {
  if (output) {
    output->stream() << record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    output->commit();
  }
  if (json) std::cout << record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return json;
}

}  // namespace cli
