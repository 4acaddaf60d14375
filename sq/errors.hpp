// Errors of the SQ layer. Each message names the query (or parameter) and the offending value.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace sqsim::sq {

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

// A parameter outside its domain: what() is "<parameter> = <value>: <requirement>", and the parts
// stay readable so that a layer that knows the parameter by another name (a --flag for a field)
// can say it in the user's words.
class ParameterError : public std::invalid_argument {
 public:
  ParameterError(std::string parameter, std::string value, std::string requirement);
  const std::string& parameter() const { return parameter_; }
  const std::string& value() const { return value_; }
  const std::string& requirement() const { return requirement_; }
  // The same error about the parameter under another name.
  ParameterError renamed(std::string parameter) const { return {std::move(parameter), value_, requirement_}; }

 private:
  std::string parameter_, value_, requirement_;
};

// Formats a double the way every message of sqsim does (shortest round-trip form).
std::string format_number(double value);

// A user's string made safe to print in a one-line message: control characters (newline, NUL, ...)
// become \xNN escapes.
std::string printable(std::string_view text);

// Throws ParameterError("<parameter> = <value>: <requirement>") unless ok.
template <class T>
void require(bool ok, const std::string& parameter, const T& value, const std::string& requirement) {
  if (ok) return;
  if constexpr (std::is_floating_point_v<T>)
    throw ParameterError(parameter, format_number(value), requirement);
  else if constexpr (std::is_integral_v<T>)
    throw ParameterError(parameter, std::to_string(value), requirement);
  else
    throw ParameterError(parameter, std::string(value), requirement);
}

}  // namespace sqsim::sq