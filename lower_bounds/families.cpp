#include "sqsim/lower_bounds/families.hpp"

#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/orthogonal_relu/orthogonal_relu.hpp"
#include "sqsim/sq/errors.hpp"

namespace sqsim::lower_bounds {

std::shared_ptr<HardFamily> make_family(const std::string& name, long long d, int k, double noise) {
  sq::require(d >= 1 && d <= kMaxFamilyDimension, "dim", d, "must lie in [1, 20000] for a hard family");
  if (name == "lifted-parity") return LiftedParity::make({static_cast<int>(d), k, noise});
  if (name == "orthogonal-relu") {
    if (noise != 0.0) throw sq::ParameterError("noise", sq::format_number(noise), "orthogonal-relu labels are noiseless");
    return OrthogonalRelu::make({static_cast<int>(d), k});
  }
  throw sq::ParameterError("family", sq::printable(name), "must be lifted-parity or orthogonal-relu");
}

}  // namespace sqsim::lower_bounds