// Several reductions over a vector's entries in one pass, where Eigen takes one pass per reduction
// (each at the build's baseline SSE2 width). At d = 10^4 a pass costs about as much as copying the
// vector, so the exact oracle's answers are counted in passes.
#pragma once

#include <Eigen/Core>

namespace sqsim::sq {

// sum, smallest and largest of the w_i^2 (all 0 for an empty w). For finite entries only: a NaN
// entry makes the sum NaN, and the smallest and largest are then unspecified.
struct SquareRange {
  double sum = 0.0, smallest = 0.0, largest = 0.0;
};
SquareRange square_range(const Eigen::Ref<const Eigen::VectorXd>& w);

// w.w and w.v in one pass (v of w's length).
struct DotSums {
  double ww = 0.0, wv = 0.0;
};
DotSums dot_sums(const Eigen::Ref<const Eigen::VectorXd>& w, const Eigen::Ref<const Eigen::VectorXd>& v);

// a w + b v (v of w's length), in one pass.
Eigen::VectorXd combine(double a, const Eigen::Ref<const Eigen::VectorXd>& w, double b, const Eigen::Ref<const Eigen::VectorXd>& v);

// sum of squares of n contiguous entries: finite iff every entry is finite and none beyond ~1e154.
double squared_sum(const double* data, Eigen::Index n);

}  // namespace sqsim::sq