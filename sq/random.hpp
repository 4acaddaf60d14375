// Seeds and the few random draws the model layer needs. One master seed; every stream's seed is
// derived from it and a stream number, never from thread counts.
#pragma once

#include "sq/query.hpp"

#include <cstdint>

namespace sq {

// splitmix64 of (master, stream): well-mixed, distinct seeds for distinct streams.
std::uint64_t derive_seed(std::uint64_t master, std::uint64_t stream);

// A vector of independent N(0, 1) draws (Boost.Random, so identical across standard libraries).
Vector standard_normal_vector(Eigen::Index dimension, std::uint64_t seed);

// Uniform on the unit sphere of R^dimension.
Vector random_unit_vector(Eigen::Index dimension, std::uint64_t seed);

}  // namespace sq
