// The JSON records of the experiments: each takes what the experiment was given and what it
// returned, and gives {context, ...} (context.version, .experiment and the settings that decide the
// numbers; the program adds context.provenance when it publishes).
#pragma once

#include "sqsim/experiments/approximation.hpp"
#include "sqsim/experiments/bound_window.hpp"
#include "sqsim/experiments/gd_failure.hpp"
#include "sqsim/experiments/reduction.hpp"
#include "sqsim/experiments/scaling.hpp"
#include "sqsim/experiments/sq_bound.hpp"
#include "sqsim/experiments/tradeoff.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace sqsim::records {

// context + points (labels, algorithm, target_opt, reachable, noise, opt, excess_mean/low/high,
// queries, status, seeds) + fits (labels, algorithm, fitted, points, reachable, exponent[_low|_high]).
nlohmann::json approximation_record(const experiments::ApproximationConfig& config, const experiments::ApproximationReport& report);
// context + points (d, k, tolerance, noise, family_size, bound, measures: one per algorithm run).
nlohmann::json sq_bound_record(const experiments::SqBoundConfig& config, const std::vector<experiments::SqBoundPoint>& points);
// context + points (one per (eps, d); separated false where no k separates eps) + fits.
nlohmann::json tradeoff_record(const experiments::TradeoffConfig& config, const experiments::TradeoffReport& report);
// context (with the learner and its tolerance) + hidden, decoded, recovered, status, samples, queries,
// seconds, loss, optS, gap.
nlohmann::json reduction_record(const experiments::ReductionConfig& config, const experiments::ReductionReport& report);

// context + experiment, k, noise, seed, rows (signal: d, planted, largest; exactness: d, median_steps,
// steps, learned, starts; parity-search: d, mean_queries, family_size, query_lower_bound), loglog_slope.
nlohmann::json scaling_record(const experiments::ScalingConfig& config, const experiments::ScalingReport& report);

// The demo's record: context (d, k, tau, noise, the oracles, gd, its budget) + the family's facts,
// the hidden signal, the SD bound, the planted member, the three instances with their curves, the
// certificate, and bound_instance (part 4: one row per d).
nlohmann::json gd_failure_record(const experiments::GdFailureConfig& config, const experiments::GdFailureReport& report,
                                 const experiments::BoundWindowConfig& window_config, const experiments::BoundWindowReport& window);

}  // namespace sqsim::records