// Small statistics for the experiments: a mean with its 95 % interval over seeds, and log-log fits.
#pragma once

#include <vector>

namespace sqsim::experiments {

struct Interval {
  double mean = 0.0, low = 0.0, high = 0.0;  // 95 % interval for the mean (Student t), low = high = mean for one value
};
Interval mean_interval(const std::vector<double>& values);

// Least-squares slope of log y against log x, with a 95 % interval (Student t on n - 2 degrees of
// freedom; low = high = slope for two points).
Interval loglog_fit(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace sqsim::experiments