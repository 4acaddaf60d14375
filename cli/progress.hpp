// A progress line on stderr for work that can take more than a few seconds: done/total, rate and
// ETA, rewritten in place at most 4 times a second. Only when stderr is a terminal (never in a pipe
// or a file, so never mixed into --json output or logs); the line is cleared when done.
#pragma once

#include <chrono>
#include <string>

namespace sqsim::cli {

class Progress {
 public:
  // unit: what is counted ("runs", "samples", "queries"); total <= 0 when unknown (no ETA).
  Progress(std::string what, std::string unit);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(double done, double total, const std::string& current = "");
  bool active() const { return active_; }
  void restart() { start_ = std::chrono::steady_clock::now(); }  // a new unit of work: rate and ETA start again

 private:
  std::string what_, unit_;
  bool active_;
  std::size_t width_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace sqsim::cli