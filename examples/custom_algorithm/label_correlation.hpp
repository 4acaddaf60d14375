// A user's own SQ algorithm: the one-query estimator w = 2 E[y x] (under Gaussian inputs and
// labels with E[y|x] = relu(v.x), E[y x] = v/2). It sees the data only through the QueryChannel,
// which counts every query; it asks one typed query (sqsim::queries::LabelCorrelation), so every oracle of
// sqsim can answer it, the hard families included.
#pragma once

#include <sqsim/queries/relu_regression.hpp>
#include <sqsim/sq/algorithm.hpp>

class TwiceLabelCorrelation : public sqsim::sq::Algorithm {
 public:
  explicit TwiceLabelCorrelation(double tolerance) : tolerance_(tolerance) {}
  std::string name() const override { return "two-e-yx"; }
  sqsim::sq::Vector run(sqsim::sq::QueryChannel& channel) override {
    const sqsim::sq::Vector w = 2.0 * channel.ask(sqsim::queries::label_correlation(channel.dimension()), tolerance_);
    channel.report_iterate(w);
    return w;
  }

 private:
  double tolerance_;
};
