#include "sqsim/sq/errors.hpp"

#include <charconv>
#include <cmath>

namespace sqsim::sq {

ParameterError::ParameterError(std::string parameter, std::string value, std::string requirement)
    : std::invalid_argument(parameter + " = " + value + ": " + requirement),
      parameter_(std::move(parameter)),
      value_(std::move(value)),
      requirement_(std::move(requirement)) {}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::to_string(value);
}

std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      const char escape[4] = {'\\', 'x', hex[u >> 4], hex[u & 15]};
      out.append(escape, 4);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace sqsim::sq