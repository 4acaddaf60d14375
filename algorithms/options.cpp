#include "sqsim/algorithms/options.hpp"

#include "sqsim/sq/errors.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <limits>

namespace sqsim::algorithms {

std::string_view to_string(OptionType type) {
  switch (type) {
    case OptionType::real:
      return "real";
    case OptionType::integer:
      return "integer";
    case OptionType::flag:
      return "flag";
    case OptionType::choice:
      return "choice";
  }
  return "?";
}

namespace {
[[noreturn]] void refuse(const OptionSpec& spec, const std::string& text, const std::string& requirement) {
  throw sq::ParameterError(spec.name, "'" + sq::printable(text) + "'", requirement);
}
}  // namespace

double parse_real(const OptionSpec& spec, const std::string& text) {
  // strtod skips leading space and takes '+': a value is written as a number, nothing around it.
  if (text.empty() || text.front() == '+' || text.front() == ' ' || text.front() == '\t') refuse(spec, text, "must be a number");
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) refuse(spec, text, "must be a number");
  if (errno == ERANGE && std::abs(value) > 1.0) refuse(spec, text, "is out of the range of a double");
  return value;
}

int parse_integer(const OptionSpec& spec, const std::string& text) {
  long long value = 0;
  const char* const last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  const std::string range = "must be an integer in [" + std::to_string(std::numeric_limits<int>::min()) + ", " +
                            std::to_string(std::numeric_limits<int>::max()) + "]";
  if (text.empty() || end != last || (error != std::errc{} && error != std::errc::result_out_of_range)) refuse(spec, text, range);
  if (error == std::errc::result_out_of_range || value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
    throw sq::ParameterError(spec.name, text, range);
  return static_cast<int>(value);
}

bool parse_flag(const OptionSpec& spec, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  refuse(spec, text, "must be true or false");
}

const std::string& parse_choice(const OptionSpec& spec, const std::string& text) {
  for (const std::string& c : spec.choices)
    if (c == text) return c;
  std::string words;
  for (std::size_t i = 0; i < spec.choices.size(); ++i)
    words += (i == 0 ? "" : i + 1 == spec.choices.size() ? " or " : ", ") + spec.choices[i];
  throw sq::ParameterError(spec.name, sq::printable(text), "must be " + words);
}

}  // namespace sqsim::algorithms