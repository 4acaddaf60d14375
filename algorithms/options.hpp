// The options an algorithm is built from, declared once: their names, types, defaults and help are
// what the program turns into --flags and Python into keyword arguments; values arrive as text (what
// a user typed) and are parsed here by one set of rules, then validated by the algorithm's params.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sqsim::algorithms {

enum class OptionType { real, integer, flag, choice };
std::string_view to_string(OptionType type);

// One option. `name` is the program's --name and, with '_' for '-', Python's keyword argument.
struct OptionSpec {
  std::string name;
  OptionType type = OptionType::real;
  std::string default_text;  // the default, as a user would type it
  std::string help;
  std::vector<std::string> choices;  // OptionType::choice: the words accepted
};

// Option values by name, as text ("0.5", "true", "random").
using OptionValues = std::map<std::string, std::string>;

// The parsed value of `text` for `spec`; ParameterError naming spec.name when the text is not one.
// Reals accept what strtod does (inf and nan included: the params' validate() decides) but no
// leading '+' or space; integers must be whole and within int; flags are true/false/1/0.
double parse_real(const OptionSpec& spec, const std::string& text);
int parse_integer(const OptionSpec& spec, const std::string& text);
bool parse_flag(const OptionSpec& spec, const std::string& text);
const std::string& parse_choice(const OptionSpec& spec, const std::string& text);

// What every run gives its algorithm, beside the algorithm's own options.
struct RunContext {
  double tolerance = 1e-3;  // tau of every query
  std::uint64_t seed = 1;   // the algorithm's own random stream
  int k = 4;                // the parity order of the hard instance (or the program's --k)
};

}  // namespace sqsim::algorithms