// Seeds and the few random draws the model layer needs. One master seed; every random stream of a
// run has a name in the table below and its seed is derived from the master seed and that name,
// never from thread or rank counts. The CLI, the experiments and the oracles all use this table.
#pragma once

#include "sqsim/sq/query.hpp"

#include <cstdint>
#include <random>

namespace sqsim::sq {

// The project's random engine: the standard fixes MT19937-64's output bit for bit (it equals
// Boost.Random's mt19937_64), and the draws use Boost.Random's distributions, which are identical
// across standard libraries. The caller owns the engine and seeds it from a named stream below.
using Engine = std::mt19937_64;

// splitmix64 of (master, stream): well-mixed, distinct seeds for distinct streams.
std::uint64_t derive_seed(std::uint64_t master, std::uint64_t stream);

// The named streams of one run.
enum class Stream : std::uint64_t {
  teacher = 1,     // the teacher vector of a Gaussian ReLU world
  oracle = 2,      // an oracle's perturbations or samples
  algorithm = 3,   // an algorithm's own randomness (random initialisation)
  data = 4,        // a fixed pool of samples
  adversary = 5,   // the adversary's sub-family, when it tracks one
  planted = 6,     // the member planted among those no answer exposed
  experiment = 7,  // an experiment's repetitions (derive_seed(stream_seed(seed, experiment), i))
};
std::uint64_t stream_seed(std::uint64_t master, Stream stream);

// A vector of independent N(0, 1) draws (Boost.Random, so identical across standard libraries).
Vector standard_normal_vector(Eigen::Index dimension, std::uint64_t seed);

// Uniform on the unit sphere of R^dimension.
Vector random_unit_vector(Eigen::Index dimension, std::uint64_t seed);

}  // namespace sqsim::sq