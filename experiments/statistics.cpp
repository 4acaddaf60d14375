#include "sqsim/experiments/statistics.hpp"

#include "sqsim/sq/errors.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <numeric>

namespace sqsim::experiments {

Interval mean_interval(const std::vector<double>& values) {
  sq::require(!values.empty(), "values", 0, "need at least one value");
  const auto n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (values.size() == 1) return {mean, mean, mean};
  double ss = 0.0;
  for (double v : values) ss += (v - mean) * (v - mean);
  const double half = boost::math::quantile(boost::math::students_t(n - 1.0), 0.975) * std::sqrt(ss / (n - 1.0) / n);
  return {mean, mean - half, mean + half};
}

Interval loglog_fit(const std::vector<double>& x, const std::vector<double>& y) {
  sq::require(x.size() == y.size() && x.size() >= 2, "points", x.size(), "need at least two (x, y) pairs");
  const auto n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += std::log(x[i]);
    my += std::log(y[i]);
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (std::log(x[i]) - mx) * (std::log(y[i]) - my);
    sxx += (std::log(x[i]) - mx) * (std::log(x[i]) - mx);
  }
  const double slope = sxy / sxx;
  if (x.size() == 2) return {slope, slope, slope};
  double residual = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double r = std::log(y[i]) - my - slope * (std::log(x[i]) - mx);
    residual += r * r;
  }
  const double se = std::sqrt(residual / (n - 2.0) / sxx);
  const double half = boost::math::quantile(boost::math::students_t(n - 2.0), 0.975) * se;
  return {slope, slope - half, slope + half};
}

}  // namespace sqsim::experiments