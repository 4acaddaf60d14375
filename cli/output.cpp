#include "output.hpp"

#include "commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace cli {

OutputFile::OutputFile(const std::string& path, const std::string& parameter)
    : path_(path), partial_(path + ".partial"), out_(partial_) {
  if (!out_) throw UsageError(parameter + " = " + path + ": cannot open file for writing");
}

OutputFile::~OutputFile() {
  if (!committed_) {
    out_.close();
    std::remove(partial_.c_str());
  }
}

void OutputFile::commit() {
  out_.close();
  if (!out_ || std::rename(partial_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("could not write " + path_);
  committed_ = true;
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
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

}  // namespace cli
