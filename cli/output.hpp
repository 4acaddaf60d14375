// Writing results: aligned tables for people, files that appear only once complete.
#pragma once

#include <fstream>
#include <iosfwd>
#include <string>
#include <vector>

namespace cli {

// Writes to PATH.partial and renames to PATH on commit(); removed if never committed, so a failed
// run leaves no half-written file. The constructor fails (UsageError) if the path is not writable.
class OutputFile {
 public:
  OutputFile(const std::string& path, const std::string& parameter);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  std::ostream& stream() { return out_; }
  void commit();

 private:
  std::string path_, partial_;
  std::ofstream out_;
  bool committed_ = false;
};

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

std::string format_value(double value, int precision = 4);  // compact %g form
bool stderr_is_terminal();

}  // namespace cli
