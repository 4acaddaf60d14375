// Publishing a record (records/ writes it): --json, --output, --csv, and the provenance of the invocation.
#pragma once

#include "output.hpp"
#include "sqsim/records/run_record.hpp"

#include <boost/program_options/options_description.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace sqsim::cli {

// --json, --output FILE and --plot FILE of an experiment, and what they become once validated.
struct RecordOptions {
  bool json = false;
  std::optional<std::string> output, plot;
  std::optional<OutputFile> output_file;
  std::optional<std::string> plot_target;
  void add(boost::program_options::options_description& options, const std::string& plot_help);  // and --csv
  void open();  // validates --plot and opens --output (before any work)
};

// The invocation every record describes: run_program calls start_invocation first (it also forgets
// a --csv request of an earlier invocation in the same process).
void start_invocation(int argc, char** argv);
// context.provenance of every published record: schema_version, date (UTC, ISO 8601), host, cpus,
// build_type, git_commit, command_line (the words), wall_seconds (since start_invocation).
constexpr int kSchemaVersion = 2;
nlohmann::json provenance();

// --csv FILE: validated (and reserved) when the options are parsed, written by publish(): the
// record's main array of objects (points, rows, instances or runs) goes to FILE, each further one (and each array of objects nested
// in their rows, with the parent's index) to FILE's stem + "-NAME.csv"; a record without arrays is
// one row. Nested objects become dotted columns, numbers keep full precision.
void add_csv_option(boost::program_options::options_description& options);
void write_csv_tables(const nlohmann::json& record, const std::string& path);

// Adds the provenance to the record's context, writes it to the --output file and the --csv files,
// if any, and with --json to stdout; returns `json`, so that the caller prints its table only when
// it is false.
bool publish(nlohmann::json record, std::optional<OutputFile>& output, bool json);
bool publish(nlohmann::json record, bool json);  // without an --output file

}  // namespace sqsim::cli