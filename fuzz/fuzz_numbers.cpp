// libFuzzer harness: the number parsers of the command line (comma-separated vectors, seeds) and the
// message sanitiser. A vector either parses to finite numbers or is refused with UsageError; a seed
// parses exactly when the text is a decimal integer below 2^64; messages stay printable.
#include "sqsim/sq/errors.hpp"
#include "world_options.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

using namespace sqsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sq::Vector v = cli::parse_vector_list(text, "fuzz");
    if (v.size() < 1 || !v.allFinite()) std::abort();
  } catch (const std::invalid_argument& e) {
    for (const char* c = e.what(); *c; ++c)
      if (static_cast<unsigned char>(*c) < 0x20) std::abort();
  }
  // An independent reading of the seed: decimal digits, leading zeros allowed, at most 2^64 - 1.
  bool digits = !text.empty();
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  const std::string significant = digits ? text.substr(std::min(text.find_first_not_of('0'), text.size())) : "";
  const std::string largest = "18446744073709551615";
  const bool representable =
      digits && (significant.size() < largest.size() || (significant.size() == largest.size() && significant <= largest));
  std::uint64_t expected = 0;
  for (char c : significant) expected = expected * 10 + static_cast<std::uint64_t>(c - '0');
  try {
    const std::uint64_t seed = cli::parse_seed(text);
    if (!representable || seed != expected) std::abort();
  } catch (const std::invalid_argument&) {
    if (representable) std::abort();
  }
  for (char c : sq::printable(text))
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort();
  return 0;
}
