// The abstract oracle: what a concrete oracle (exact, sample-based, adversarial) implements.
#pragma once

#include "sqsim/sq/query.hpp"

#include <optional>
#include <string>

namespace sqsim::sq {

struct ScalarAnswer {
  double value = 0.0;
  std::optional<double> true_value;  // E_D[q] when the oracle knows it (transcript only)
};

struct VectorAnswer {
  Vector value;
  std::optional<Vector> true_value;  // E_D[q] when the oracle knows it (transcript only)
  bool value_is_true = false;        // the value is E_D[q] itself (a truthful answer): no second copy
};

// Contract for implementers:
//  - answer(q, tau) returns v with |v - E_D[q]| <= tau (vector queries: in q.norm; VSTAT queries:
//    within max(tau, sqrt(p (1 - p) tau)) of p = E_D[q], i.e. VSTAT(t = 1/tau)); a sample-based
//    oracle may fail this with the probability it declares.
//  - If the query breaks its declared bound where the oracle can check it, or the oracle cannot
//    answer this kind of query, it throws QueryRefused with a message naming the query.
//  - It does no counting: the QueryChannel wrapping it owns the ledger.
//  - tolerance has been validated (finite, > 0) by the channel before the call.
class Oracle {
 public:
  virtual ~Oracle() = default;
  virtual Eigen::Index dimension() const = 0;
  virtual std::string name() const = 0;
  virtual ScalarAnswer answer(const ScalarQuery& query, double tolerance) = 0;
  virtual VectorAnswer answer(const VectorQuery& query, double tolerance) = 0;
};

}  // namespace sqsim::sq