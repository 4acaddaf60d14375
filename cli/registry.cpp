#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim_cli.hpp"

namespace sqsim::cli {

void register_algorithm(const std::string& name, const std::string& description, AlgorithmFactory factory, bool vector_queries) {
  if (!factory) throw std::invalid_argument("algorithm '" + sq::printable(name) + "': the factory is empty");
  algorithms::AlgorithmEntry entry{name, description, {}, nullptr, vector_queries};
  entry.make = [factory = std::move(factory)](const algorithms::RunContext& context, const algorithms::OptionValues&) {
    return factory(context);
  };
  algorithms::register_algorithm(std::move(entry));
}

}  // namespace sqsim::cli