// An optional hook through which a long experiment reports how far it is: done of total work units
// (points, runs), with a short description of the current one. Called on the experiment's thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace sqsim::experiments {

using ProgressCallback = std::function<void(std::size_t done, std::size_t total, const std::string& current)>;

inline void report_progress(const ProgressCallback& progress, std::size_t done, std::size_t total, const std::string& current) {
  if (progress) progress(done, total, current);
}

}  // namespace sqsim::experiments