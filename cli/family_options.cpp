#include "family_options.hpp"

#include "commands.hpp"
#include "sqsim/lower_bounds/families.hpp"
#include "sqsim/sq/errors.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace po = boost::program_options;

namespace sqsim::cli {

void add_family_options(po::options_description& options, FamilyOptions& family) {
  options.add_options()("family", po::value<std::string>()->notifier([&family](const std::string& s) { family.family = s; }),
                        "run on a hard family instead of a Gaussian ReLU world: lifted-parity (E[y|x] = 1/2 + (1 - 2 eta) chi_S(sign x)/2) "
                        "or orthogonal-relu (y = f_S(x), a sum of 2^k ReLUs odd in each coordinate of S)")(
      "k", po::value(&family.k)->default_value(4), "size of the hidden subset S (even); also the order of parity-search")(
      "member", po::value<std::string>()->notifier([&family](const std::string& s) { family.member = s; }),
      "plant this member S (0-based coordinates 'i,j,...') instead of one chosen among those no answer exposed");
}

std::shared_ptr<lower_bounds::HardFamily> make_family(const FamilyOptions& options, long long d, double noise) {
  return lower_bounds::make_family(*options.family, d, options.k, noise);
}

std::optional<lower_bounds::Subset> parse_member(const FamilyOptions& options, const lower_bounds::HardFamily& family) {
  if (!options.member) return std::nullopt;
  lower_bounds::Subset member;
  for (double c : parse_vector_list(*options.member, "member")) {
    sq::require(c >= 0 && c == std::floor(c) && c < static_cast<double>(family.dimension()), "member coordinate", c,
                "must be an integer in [0, dim)");
    member.push_back(static_cast<int>(c));
  }
  std::sort(member.begin(), member.end());
  family.check_member(member);
  return member;
}

}  // namespace sqsim::cli