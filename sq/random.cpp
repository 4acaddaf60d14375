#include "sqsim/sq/random.hpp"

#include <boost/random/normal_distribution.hpp>

namespace sqsim::sq {

std::uint64_t derive_seed(std::uint64_t master, std::uint64_t stream) {
  auto mix = [](std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return mix(mix(master) ^ (stream * 0xd1b54a32d192ed03ULL + 0x8cb92ba72f3d8dd7ULL));
}

std::uint64_t stream_seed(std::uint64_t master, Stream stream) { return derive_seed(master, static_cast<std::uint64_t>(stream)); }

Vector standard_normal_vector(Eigen::Index dimension, std::uint64_t seed) {
  sq::Engine engine(seed);
  boost::random::normal_distribution<double> normal;
  Vector v(dimension);
  for (Eigen::Index i = 0; i < dimension; ++i) v[i] = normal(engine);
  return v;
}

Vector random_unit_vector(Eigen::Index dimension, std::uint64_t seed) {
  Vector v = standard_normal_vector(dimension, seed);
  return v / v.norm();
}

}  // namespace sqsim::sq