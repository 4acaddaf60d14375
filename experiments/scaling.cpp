#include "sqsim/experiments/scaling.hpp"

#include "sqsim/experiments/gd_failure.hpp"
#include "sqsim/experiments/statistics.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/statistical_dimension.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sqsim::experiments {

std::string to_string(Scaling experiment) {
  switch (experiment) {
    case Scaling::signal:
      return "signal";
    case Scaling::exactness:
      return "exactness";
    case Scaling::parity_search:
      return "parity-search";
  }
  return "?";
}

void ScalingConfig::validate() const {
  for (int d : dims) lower_bounds::LiftedParityParams{d, k, noise}.validate();
  std::string dims_text;
  for (int d : dims) {
    if (!dims_text.empty()) dims_text += ',';  // appended in two steps: GCC 12's -Wrestrict misfires on "," + to_string
    dims_text += std::to_string(d);
  }
  sq::require(dims.size() >= 2, "dims", dims_text, "needs at least two dimensions to fit a slope");
  sq::require(samples >= 1, "samples", samples, "must be at least 1");
  sq::require(std::isfinite(tolerance) && tolerance > 0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(max_steps >= 1, "max-steps", max_steps, "must be at least 1");
}

namespace {

ScalingRow exactness_row(const ScalingConfig& c, int d, std::size_t& done) {
  const lower_bounds::LiftedParity family({d, c.k, c.noise});
  lower_bounds::Subset member(static_cast<std::size_t>(c.k));
  std::iota(member.begin(), member.end(), 0);
  ScalingRow row{d, 0.0, 0.0, {}, NAN, 0.0, 0.0, 0.0};
  for (int i = 0; i < c.samples; ++i) {
    report_progress(c.progress, done++, c.dims.size() * static_cast<std::size_t>(c.samples),
                    "d = " + std::to_string(d) + ", start " + std::to_string(i + 1));
    const auto n = exact_gd_steps_to_learn(family, member, sq::derive_seed(c.seed, static_cast<std::uint64_t>(d * 1000 + i)), c.max_steps);
    if (n >= 0) row.steps.push_back(static_cast<double>(n));
  }
  // The count depends on the start's chance overlap with S (heavy-tailed): the median is the typical cost.
  std::sort(row.steps.begin(), row.steps.end());
  if (!row.steps.empty()) row.median_steps = (row.steps[(row.steps.size() - 1) / 2] + row.steps[row.steps.size() / 2]) / 2;
  return row;
}

ScalingRow parity_search_row(const ScalingConfig& c, int d) {
  const lower_bounds::LiftedParity family({d, c.k, c.noise});
  double total = 0;
  for (int i = 0; i < c.samples; ++i)
    total += static_cast<double>(parity_search_queries(
        family, queries::random_subsets(d, c.k, 1, sq::derive_seed(c.seed, static_cast<std::uint64_t>(d * 1000 + i))).front(),
        c.tolerance));
  ScalingRow row{d, 0.0, 0.0, {}, 0.0, total / c.samples, queries::binomial(d, c.k), 0.0};
  row.query_lower_bound =
      lower_bounds::statistical_query_lower_bound(row.family_size, family.facts().beta, family.facts().gamma, c.tolerance).queries;
  return row;
}

}  // namespace

ScalingReport run_scaling(const ScalingConfig& config) {
  config.validate();
  ScalingReport report;
  if (config.experiment == Scaling::signal) {
    for (const SignalPoint& p : signal_versus_dimension(config.k, config.noise, config.dims, config.samples, config.seed)) {
      report.rows.push_back({p.d, p.planted, p.largest, {}, 0.0, 0.0, 0.0, 0.0});
      report.x.push_back(p.d);
      report.y.push_back(p.planted);
    }
  } else {
    std::size_t done = 0;
    for (int d : config.dims) {
      const ScalingRow row = config.experiment == Scaling::exactness ? exactness_row(config, d, done) : parity_search_row(config, d);
      const double value = config.experiment == Scaling::exactness ? row.median_steps : row.mean_queries;
      if (!std::isnan(value)) {
        report.x.push_back(d);
        report.y.push_back(value);
      }
      report.rows.push_back(row);
    }
  }
  report.slope = report.x.size() >= 2 ? loglog_slope(report.x, report.y) : NAN;
  return report;
}

}  // namespace sqsim::experiments