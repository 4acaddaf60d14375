// Drawing one sample (x, y) of a ReLU world: the single place where samples are made.
#pragma once

#include "sqsim/oracles/relu_world.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace sqsim::oracles {

template <class Engine>
double draw_sample(const ReluWorld& world, Engine& engine, Eigen::Ref<Vector> x) {
  boost::random::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
  return world.sample_label(world.teacher().dot(x), boost::random::uniform_01<double>()(engine));
}

// The samples of draw_sample for every column of X, from the same stream in the same order (so the
// same samples), with the labels' projections v.x done as one matrix-vector product.
template <class Engine>
void draw_block(const ReluWorld& world, Engine& engine, Eigen::Ref<Matrix> X, Eigen::Ref<Vector> y) {
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> uniform;
  for (Eigen::Index i = 0; i < X.cols(); ++i) {
    double* column = X.col(i).data();
    for (Eigen::Index j = 0; j < X.rows(); ++j) column[j] = normal(engine);
    y[i] = uniform(engine);  // the branch draw, turned into the label below
  }
  const Vector u = X.transpose() * world.teacher();
  for (Eigen::Index i = 0; i < X.cols(); ++i) y[i] = world.sample_label(u[i], y[i]);
}

}  // namespace sqsim::oracles