// The square loss E[(relu(w.x) - y)^2] of a hypothesis on a fixed data set: the evaluator when there is no world.
#pragma once

#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/sq/algorithm.hpp"

#include <memory>

namespace sqsim::oracles {

class EmpiricalLoss : public sq::Evaluator {
 public:
  explicit EmpiricalLoss(std::shared_ptr<const Dataset> data) : data_(std::move(data)) {}
  double loss(const Vector& w) const override {
    const Vector residual = (data_->X.transpose() * w).cwiseMax(0.0) - data_->y;
    return residual.squaredNorm() / static_cast<double>(data_->size());
  }
  std::optional<double> opt() const override { return std::nullopt; }

 private:
  std::shared_ptr<const Dataset> data_;
};

}  // namespace sqsim::oracles