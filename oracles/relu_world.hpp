// Gaussian ReLU worlds: x ~ N(0, I_d) and a label y that depends on x only through u = v.x
// (v the teacher), possibly with independent noise. Each label model is a mixture of a few
// deterministic branches y_b(u), which is what lets the exact oracle integrate it exactly.
#pragma once

#include "sqsim/sq/query.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqsim::oracles {

using sq::Matrix;
using sq::Vector;

enum class LabelModel {
  relu,          // y = relu(v.x)                                    (realizable)
  noisy_relu,    // y = relu(v.x) + eta * s, s = +-1 w.p. 1/2 each   (opt = eta^2)
  clipped_relu,  // y = clip(relu(v.x) + eta * s, 0, 1)
  agnostic,      // y = relu(v.x), except y = 0 on the fraction eta of inputs where v.x is largest
  band,          // y = relu(v.x), except y = 0 on a band |v| <= v.x <= |v| (1 + h) of mass eta (eta <= 0.15):
                 //   labels moved against the teacher where it predicts about |v|
  mirror,        // y = (1 - eta) relu(v.x) + eta relu(-v.x): built to be worst for the label-correlation
                 //   estimator 2 E[y x] (and GLMtron, which shares its fixed point) -- see the .cpp
};
std::string_view to_string(LabelModel model);
LabelModel parse_label_model(std::string_view name);  // throws std::invalid_argument naming "labels"

struct WorldParams {
  LabelModel labels = LabelModel::relu;
  Vector teacher;      // v, nonzero
  double noise = 0.0;  // eta in [0, 1/2): noise amplitude, or the corrupted fraction (agnostic, band), or the mirrored weight
  void validate() const;
};

class ReluWorld {
 public:
  explicit ReluWorld(WorldParams params);

  Eigen::Index dimension() const { return params_.teacher.size(); }
  const Vector& teacher() const { return params_.teacher; }
  double teacher_squared_norm() const { return teacher_squared_norm_; }  // |v|^2, once: not a pass per query
  LabelModel label_model() const { return params_.labels; }
  double noise() const { return params_.noise; }
  std::string description() const;

  // The label as a mixture over branches: P(branch b) = branch_weight(b), y = label(u, b).
  int branch_count() const;
  double branch_weight(int branch) const;
  double label(double u, int branch) const;
  // Values of u where label(., branch) is not smooth.
  std::vector<double> label_breakpoints(int branch) const;
  // Values of u where label(., branch) crosses `level` (jumps across it included, at the jump).
  std::vector<double> label_crossings(int branch, double level) const;
  // Draws a label for u given a uniform draw in [0, 1) (selects the branch).
  double sample_label(double u, double uniform) const;

  // Threshold on u above which the agnostic model zeroes the label (+inf when eta = 0), and the band's
  // upper end (the band is [|v|, band_end] for the band model).
  double agnostic_threshold() const { return agnostic_threshold_; }
  double band_end() const { return band_end_; }

 private:
  WorldParams params_;
  double agnostic_threshold_;
  double band_end_ = 0.0;
  double teacher_squared_norm_ = 0.0;
};

}  // namespace sqsim::oracles