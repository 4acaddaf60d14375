// The ledger and the channel through which an algorithm reaches an oracle. The channel, not the
// algorithm and not the concrete oracle, counts every answer, enforces the budget and writes the
// optional transcript.
#pragma once

#include "sqsim/sq/oracle.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>

namespace sqsim::sq {

struct Budget {
  std::optional<std::int64_t> max_scalar_queries;  // scalar-equivalent: a vector query of size m costs m
  std::optional<double> min_tolerance;             // refuse queries asked at a smaller tolerance
  void validate() const;                           // throws std::invalid_argument naming the field
};

// What a run has spent so far.
struct Ledger {
  std::int64_t scalar_queries = 0;     // scalar queries asked directly
  std::int64_t vector_queries = 0;     // vector queries, each counted once
  std::int64_t scalar_equivalent = 0;  // scalar queries + sum of vector dimensions
  double smallest_tolerance = std::numeric_limits<double>::infinity();
  std::int64_t total_queries() const { return scalar_queries + vector_queries; }
};

class QueryChannel {
 public:
  // transcript: if non-null, one JSON object per line per answered query.
  QueryChannel(Oracle& oracle, Budget budget = {}, std::ostream* transcript = nullptr);

  Eigen::Index dimension() const { return oracle_.dimension(); }
  double ask(const ScalarQuery& query, double tolerance);
  Vector ask(const VectorQuery& query, double tolerance);
  const Ledger& ledger() const { return ledger_; }

  // Optional hook: an algorithm reports its current hypothesis, so that a run stopped by the
  // budget still has one, and a run's progress can be traced against queries spent.
  void report_iterate(const Vector& w);
  using IterateObserver = std::function<void(const Vector& w, const Ledger& spent)>;
  void set_iterate_observer(IterateObserver observer) { observer_ = std::move(observer); }
  const std::optional<Vector>& last_iterate() const { return last_iterate_; }

 private:
  void log_refusal(const std::string& name, const std::string& shape, double tolerance, const char* why);
  // The oracle's answer; a refusal is written to the transcript, then passed on.
  template <class Query>
  auto answer_or_log(const Query& query, double tolerance, const char* shape);
  void charge(const std::string& name, double tolerance, std::int64_t cost);

  Oracle& oracle_;
  Budget budget_;
  std::ostream* transcript_;
  Ledger ledger_;
  IterateObserver observer_;
  std::optional<Vector> last_iterate_;
};

}  // namespace sqsim::sq