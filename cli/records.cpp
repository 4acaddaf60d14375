#include "records.hpp"

#include "commands.hpp"
#include "plot.hpp"
#include "sqsim_provenance.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <thread>

namespace sqsim::cli {

void RecordOptions::add(boost::program_options::options_description& options, const std::string& plot_help) {
  namespace po = boost::program_options;
  options.add_options()("json", po::bool_switch(&json), "print one JSON object instead of the table")(
      "output", po::value<std::string>()->notifier([this](const std::string& s) { output = s; }), "also write the JSON record to FILE")(
      "plot", po::value<std::string>()->notifier([this](const std::string& s) { plot = s; }), plot_help.c_str());
  add_csv_option(options);
}

namespace {

struct Invocation {
  std::vector<std::string> words;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::time_t date = std::time(nullptr);
  std::optional<std::string> csv;  // the validated --csv target
};
Invocation& invocation() {
  static Invocation i;
  return i;
}

std::string csv_cell(const nlohmann::json& value) {
  std::string text;
  if (value.is_null()) return "";
  if (value.is_string())
    text = value.get<std::string>();
  else if (value.is_number_float() && !std::isfinite(value.get<double>()))
    text = "nan";
  else
    text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

struct CsvTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::map<std::string, nlohmann::json>> rows;
};

bool is_table(const nlohmann::json& value) {
  return value.is_array() && !value.empty() &&
         std::all_of(value.begin(), value.end(), [](const nlohmann::json& v) { return v.is_object(); });
}

// Flattens one object into dotted columns; arrays of objects become tables of their own (with the
// row's index), other arrays one cell (their JSON).
void flatten(const nlohmann::json& object, const std::string& prefix, std::map<std::string, nlohmann::json>& row,
             std::vector<std::string>& columns, const std::string& table, std::size_t index, std::vector<CsvTable>& tables);

CsvTable& table_named(std::vector<CsvTable>& tables, const std::string& name) {
  for (CsvTable& t : tables)
    if (t.name == name) return t;
  tables.push_back({name, {}, {}});
  return tables.back();
}

void add_rows(const nlohmann::json& array, const std::string& name, const std::string& parent, std::size_t parent_index,
              std::vector<CsvTable>& tables) {
  table_named(tables, name);  // a table precedes the tables nested in its rows
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::map<std::string, nlohmann::json> row;
    std::vector<std::string> columns;
    if (!parent.empty()) {
      row[parent + "_index"] = parent_index;
      columns.push_back(parent + "_index");
    }
    flatten(array[i], "", row, columns, name, i, tables);
    CsvTable& t = table_named(tables, name);
    for (const std::string& c : columns)
      if (std::find(t.columns.begin(), t.columns.end(), c) == t.columns.end()) t.columns.push_back(c);
    t.rows.push_back(std::move(row));
  }
}

void flatten(const nlohmann::json& object, const std::string& prefix, std::map<std::string, nlohmann::json>& row,
             std::vector<std::string>& columns, const std::string& table, std::size_t index, std::vector<CsvTable>& tables) {
  for (const auto& [key, value] : object.items()) {
    const std::string column = prefix + key;
    if (value.is_object()) {
      flatten(value, column + ".", row, columns, table, index, tables);
    } else if (is_table(value)) {
      add_rows(value, table + "-" + column, table, index, tables);
    } else {
      row[column] = value;
      columns.push_back(column);
    }
  }
}

}  // namespace

void start_invocation(int argc, char** argv) {
  if (invocation().csv) release_output_target(validated_output_path(*invocation().csv, "csv"));  // an earlier invocation's, unwritten
  invocation() = Invocation{};
  invocation().words.assign(argv, argv + argc);
}

nlohmann::json provenance() {
  const Invocation& i = invocation();
  char date[32] = {};
  std::tm utc{};
  ::gmtime_r(&i.date, &utc);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - i.start).count();
  return {{"schema_version", kSchemaVersion},
          {"date", date},
          {"host", host},
          {"cpus", std::thread::hardware_concurrency()},
          {"build_type", SQSIM_BUILD_TYPE},
          {"git_commit", SQSIM_GIT_COMMIT},
          {"command_line", i.words},
          {"wall_seconds", wall}};
}

namespace {
void request_csv(const std::string& path) {
  const std::string target = validated_output_path(path, "csv");
  reserve_output_target(target, "csv");
  invocation().csv = path;
}
}  // namespace

void add_csv_option(boost::program_options::options_description& options) {
  namespace po = boost::program_options;
  // A function, not a captureless lambda: gcc 12 warns (a false positive) when boost::function copies an empty functor.
  options.add_options()("csv", po::value<std::string>()->notifier(&request_csv),
                        "also write the record's tables as CSV: FILE, and FILE-NAME.csv for each further table (curves, fits, ...)");
}

void write_csv_tables(const nlohmann::json& record, const std::string& path) {
  std::vector<CsvTable> tables;
  // The main table first: points, rows, instances or runs (whichever the record has), then the others.
  std::vector<std::string> keys;
  for (const char* main : {"points", "rows", "instances", "runs"})
    if (record.contains(main) && is_table(record[main])) keys.push_back(main);
  for (const auto& [key, value] : record.items())
    if (key != "context" && is_table(value) && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  for (const std::string& key : keys) add_rows(record[key], key, "", 0, tables);
  if (tables.empty()) {  // no arrays of rows: the whole record (context included) as one row
    nlohmann::json one = record;
    add_rows(nlohmann::json::array({one}), "record", "", 0, tables);
  }
  const std::filesystem::path main(path);
  std::vector<std::unique_ptr<OutputFile>> files;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    std::string target = path;
    if (t > 0) {
      std::string suffix = tables[t].name;
      std::replace(suffix.begin(), suffix.end(), '.', '-');
      target = (main.parent_path() / (main.stem().string() + "-" + suffix + ".csv")).string();
    }
    files.push_back(std::make_unique<OutputFile>(target, "csv"));  // every file validated before any is written
    std::ostream& out = files.back()->stream();
    for (std::size_t c = 0; c < tables[t].columns.size(); ++c) out << (c ? "," : "") << csv_cell(tables[t].columns[c]);
    out << "\n";
    for (const auto& row : tables[t].rows) {
      for (std::size_t c = 0; c < tables[t].columns.size(); ++c) {
        const auto cell = row.find(tables[t].columns[c]);
        out << (c ? "," : "") << (cell == row.end() ? std::string() : csv_cell(cell->second));
      }
      out << "\n";
    }
  }
  for (auto& file : files) file->commit();
}

void RecordOptions::open() {
  if (plot) plot_target = check_plot_target(*plot);
  if (output) output_file.emplace(*output, "output");
}

bool publish(nlohmann::json record, bool json) {
  std::optional<OutputFile> none;
  return publish(std::move(record), none, json);
}

bool publish(nlohmann::json record, std::optional<OutputFile>& output, bool json) {
  record["context"]["provenance"] = provenance();
  if (const std::optional<std::string> csv = invocation().csv) {
    release_output_target(validated_output_path(*csv, "csv"));  // reserved at parse time; OutputFile takes it now
    invocation().csv.reset();
    write_csv_tables(record, *csv);
  }
  if (output) {
    output->stream() << record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    output->commit();
  }
  if (json) std::cout << record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return json;
}

}  // namespace sqsim::cli