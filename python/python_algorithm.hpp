// Algorithms written in Python: the trampoline behind sqsim.Algorithm, and the Channel proxy it
// hands to run() (closed when run() returns, so a kept reference cannot reach the oracle later).
#pragma once

#include "bindings.hpp"
#include "sqsim/sq/harness.hpp"

#include <pybind11/numpy.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace sqsim::python {

class Channel {
 public:
  explicit Channel(sq::QueryChannel& channel) : channel_(&channel) {}
  sq::QueryChannel& get() const {
    if (!channel_) throw std::runtime_error("this channel is closed: a channel lives only during the run() it was handed to");
    return *channel_;
  }
  void close() { channel_ = nullptr; }

 private:
  sq::QueryChannel* channel_;
};

class PythonAlgorithm : public sq::Algorithm {
 public:
  std::string name() const override;
  sq::Vector run(sq::QueryChannel& channel) override;

  // What the channel had spent when run() raised a Python exception (other than a refusal or a
  // budget stop), for the exception's .result.
  struct Partial {
    sq::Ledger ledger;
    std::optional<sq::Vector> last_iterate;
  };
  const std::optional<Partial>& partial() const { return partial_; }

 private:
  std::optional<Partial> partial_;
};

// A numpy array (or anything numpy converts) as a vector of the given length, or ValueError naming `what`.
sq::Vector to_vector(py::handle object, Eigen::Index dimension, const std::string& what);
// What sqsim.run returns: the record's results (records::world_results, with distance_to_teacher
// when the evaluator is a Population; w as a numpy array), plus algorithm, oracle and, when
// recorded, trace.
py::dict run_result_dict(const sq::RunResult& result, const sq::Evaluator* evaluator);

}  // namespace sqsim::python
