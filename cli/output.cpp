#include "output.hpp"

#include "commands.hpp"
#include "sqsim/sq/distributed.hpp"
#include "sqsim/sq/errors.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace sqsim::cli {

namespace {
std::set<std::string>& reserved_targets() {
  static std::set<std::string> targets;
  return targets;
}
}  // namespace

std::string validated_output_path(const std::string& path, const std::string& parameter) {
  namespace fs = std::filesystem;
  if (path.empty()) throw UsageError(parameter + " = (empty): must name a file");
  if (std::any_of(path.begin(), path.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw UsageError(parameter + " = " + sq::printable(path) + ": control characters are not allowed in file names");
  std::error_code error;
  fs::path target = path;
  if (fs::is_symlink(fs::symlink_status(target, error))) {
    target = fs::weakly_canonical(target, error);
    if (error) throw UsageError(parameter + " = " + path + ": cannot resolve the symbolic link");
  }
  const fs::file_status status = fs::status(target, error);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) throw UsageError(parameter + " = " + path + ": is a directory, not a file");
    if (!fs::is_regular_file(status))
      throw UsageError(parameter + " = " + path + ": exists and is not a regular file (a device, a FIFO, ...)");
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, error))
    throw UsageError(parameter + " = " + path + ": the directory " + parent.string() + " does not exist");
  if (target.filename().empty() || target.filename() == "." || target.filename() == "..")
    throw UsageError(parameter + " = " + path + ": must name a file");
  return target.string();
}

void reserve_output_target(const std::string& target, const std::string& parameter) {
  std::error_code error;
  const std::string key = std::filesystem::weakly_canonical(target, error).string();
  if (!reserved_targets().insert(error ? target : key).second)
    throw UsageError(parameter + " = " + target + ": the same file as another output of this command");
}

void release_output_target(const std::string& target) {
  std::error_code error;
  const std::string key = std::filesystem::weakly_canonical(target, error).string();
  reserved_targets().erase(error ? target : key);
}

OutputFile::OutputFile(const std::string& path, const std::string& parameter) {
  // Under mpirun rank 0 alone checks and writes (the others write nowhere); a path it refuses ends every rank.
  sq::on_output_process([&] {
    target_ = validated_output_path(path, parameter);
    partial_ = target_ + ".partial";
    reserve_output_target(target_, parameter);
    out_.open(partial_);
    if (!out_) {
      release_output_target(target_);
      throw UsageError(parameter + " = " + path + ": cannot open file for writing");
    }
  });
  if (!sq::output_process()) out_.open("/dev/null");
}

OutputFile::~OutputFile() {
  if (target_.empty()) return;  // not the output process
  if (!committed_) {
    out_.close();
    std::remove(partial_.c_str());
  }
  release_output_target(target_);
}

void OutputFile::commit() {
  out_.close();
  committed_ = true;
  if (target_.empty()) return;
  if (!out_ || std::rename(partial_.c_str(), target_.c_str()) != 0) {
    committed_ = false;
    throw std::runtime_error("could not write " + target_);
  }
}

void print_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out << (c ? "  " : "") << cells[c];
      if (c + 1 < cells.size()) out << std::string(width[c] - cells[c].size(), ' ');
    }
    out << "\n";
  };
  line(header);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  line(rule);
  for (const auto& row : rows) line(row);
}

std::string format_value(double value, int precision) {
  if (std::isnan(value)) return "-";
  std::ostringstream s;
  s << std::setprecision(precision) << value;
  return s.str();
}

bool stderr_is_terminal() { return ::isatty(2) == 1; }

}  // namespace sqsim::cli