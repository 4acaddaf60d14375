// Drawing one sample (x, y) of a ReLU world: the single place where samples are made.
#pragma once

#include "oracles/relu_world.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace oracles {

template <class Engine>
double draw_sample(const ReluWorld& world, Engine& engine, Eigen::Ref<Vector> x) {
  boost::random::normal_distribution<double> normal;
  for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = normal(engine);
  return world.sample_label(world.teacher().dot(x), boost::random::uniform_01<double>()(engine));
}

}  // namespace oracles
