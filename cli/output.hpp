// Writing results: aligned tables for people, files that appear only once complete.
#pragma once

#include <fstream>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

namespace sqsim::cli {

// Checks an output path before any work, and returns the file that will really be written (a
// symbolic link is followed to its target, which is replaced; the link stays). Throws UsageError
// naming the parameter for: an empty path, control characters (a newline, ...), a directory, an
// existing target that is not a regular file (a device, a FIFO, ...), a missing parent directory.
std::string validated_output_path(const std::string& path, const std::string& parameter);

// Writes to TARGET.partial next to the target and renames it over the target on commit(); removed
// if never committed, so a failed run leaves no half-written file. The constructor validates the
// path (above), refuses a target another OutputFile of this process already writes (--output X
// --transcript X), and creates the partial file (UsageError if the directory is not writable).
class OutputFile {
 public:
  OutputFile(const std::string& path, const std::string& parameter);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  std::ostream& stream() { return out_; }
  void commit();

 private:
  std::string target_, partial_;
  std::ofstream out_;
  bool committed_ = false;
};

// Reserves a target for this process (also used for --plot); throws UsageError if taken.
void reserve_output_target(const std::string& target, const std::string& parameter);
void release_output_target(const std::string& target);

void print_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

std::string format_value(double value, int precision = 4);  // compact %g form
bool stderr_is_terminal();

}  // namespace sqsim::cli