// Options shared by the commands that build a Gaussian ReLU world (run, inspect).
#pragma once

#include "sqsim/oracles/relu_world.hpp"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/value_semantic.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sqsim::cli {

// The largest dimension of a Gaussian ReLU world (a d-vector is 8d bytes; the oracles keep a few).
constexpr long long kMaxWorldDimension = 10'000'000;

struct WorldOptions {
  std::string labels = "relu";
  std::optional<std::string> teacher;       // "a,b,c"
  std::optional<std::string> teacher_file;  // one number per line
  std::optional<long long> dim;
  double noise = 0.0;
  std::uint64_t seed = 1;
};

void add_world_options(boost::program_options::options_description& options, WorldOptions& world);
oracles::ReluWorld make_world(const WorldOptions& options);

// A seed: decimal digits only, below 2^64 ("-1" is refused, not wrapped around); UsageError otherwise.
std::uint64_t parse_seed(const std::string& text);
// The --seed option (parse_seed).
boost::program_options::typed_value<std::string>* seed_option(std::uint64_t& seed);

// "a,b,c" -> vector; throws UsageError naming the parameter and the bad entry.
sq::Vector parse_vector_list(const std::string& text, const std::string& parameter);
// "a,b,c" -> numbers, and -> integers in [low, high] (UsageError naming "<parameter> entry" otherwise).
std::vector<double> parse_number_list(const std::string& text, const std::string& parameter);
std::vector<int> parse_integer_list(const std::string& text, const std::string& parameter, int low, int high);
// One number per line (blank lines and '#' comments skipped); throws UsageError naming file and line.
sq::Vector read_vector_file(const std::string& path, const std::string& parameter);

}  // namespace sqsim::cli