// Errors of the SQ layer. Each message names the query (or parameter) and the offending value.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sq {

// The oracle will not answer: the query breaks its declared bound, or the oracle cannot
// compute it (for example a black-box query sent to an exact oracle).
class QueryRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run asked for more than its budget allows; the query that would exceed it is not answered.
class BudgetExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats a double the way every message of sqsim does (shortest round-trip form).
std::string format_number(double value);

// A user's string made safe to print in a one-line message: control characters (newline, NUL, ...)
// become \xNN escapes.
std::string printable(std::string_view text);

// Throws std::invalid_argument("<parameter> = <value>: <requirement>") unless ok.
template <class T>
void require(bool ok, const std::string& parameter, const T& value, const std::string& requirement) {
  if (ok) return;
  std::ostringstream message;
  if constexpr (std::is_floating_point_v<T>)
    message << parameter << " = " << format_number(value) << ": " << requirement;
  else
    message << parameter << " = " << value << ": " << requirement;
  throw std::invalid_argument(message.str());
}

}  // namespace sq
