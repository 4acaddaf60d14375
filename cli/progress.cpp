#include "progress.hpp"

#include "output.hpp"

#include <cmath>
#include <iostream>
#include <sstream>

namespace sqsim::cli {
namespace {

std::string duration_text(double seconds) {
  std::ostringstream s;
  if (seconds < 90)
    s << static_cast<long>(std::ceil(seconds)) << " s";
  else if (seconds < 5400)
    s << static_cast<long>(std::round(seconds / 60)) << " min";
  else
    s << format_value(seconds / 3600, 3) << " h";
  return s.str();
}

}  // namespace

Progress::Progress(std::string what, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      active_(stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (active_ && width_ > 0) std::cerr << "\r" << std::string(width_, ' ') << "\r" << std::flush;
}

void Progress::update(double done, double total, const std::string& current) {
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(250) && !(total > 0 && done >= total)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::ostringstream line;
  line << what_ << ": " << format_value(done, 4);
  if (total > 0) line << "/" << format_value(total, 4);
  line << " " << unit_;
  if (elapsed > 0 && done > 0) {
    line << " (" << format_value(done / elapsed, 3) << " " << unit_ << "/s";
    if (total > done) line << ", ETA " << duration_text((total - done) * elapsed / done);
    line << ")";
  }
  if (!current.empty()) line << "  " << current;
  std::string text = line.str();
  if (text.size() > 150) text.resize(150);
  std::cerr << "\r" << text << std::string(width_ > text.size() ? width_ - text.size() : 0, ' ') << std::flush;
  width_ = std::max(width_, text.size());
}

}  // namespace sqsim::cli