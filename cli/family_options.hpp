// Options of the commands that run on a hard family (run --family, inspect --family).
#pragma once

#include "sqsim/lower_bounds/families.hpp"

#include <boost/program_options/options_description.hpp>

#include <memory>
#include <optional>
#include <string>

namespace sqsim::cli {

using lower_bounds::kMaxFamilyDimension;

struct FamilyOptions {
  std::optional<std::string> family;  // lifted-parity | orthogonal-relu
  int k = 4;
  std::optional<std::string> member;  // "i,j,..." 0-based coordinates of a member fixed in advance
};
void add_family_options(boost::program_options::options_description& options, FamilyOptions& family);

// The family of the options at dimension d with label noise eta (lifted parity only).
std::shared_ptr<lower_bounds::HardFamily> make_family(const FamilyOptions& options, long long d, double noise);
// The --member subset, sorted and checked against the family.
std::optional<lower_bounds::Subset> parse_member(const FamilyOptions& options, const lower_bounds::HardFamily& family);

}  // namespace sqsim::cli