// libFuzzer harness: the CSV loader. Any input either loads into a well-formed data set (d >= 1
// features, finite values, labels in range) or is refused with std::invalid_argument whose message
// is one printable line; anything else (a crash, another exception, a sanitizer report) is a bug.
#include "sqsim/oracles/csv_dataset.hpp"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

using namespace sqsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const oracles::Dataset d = oracles::parse_csv(in, "fuzz.csv", oracles::LabelRange{0.0, 1.0});
    if (d.dimension() < 1 || d.size() < 1 || !d.X.allFinite() || !d.y.allFinite()) std::abort();
    if ((d.y.array() < 0.0).any() || (d.y.array() > 1.0).any()) std::abort();
  } catch (const std::invalid_argument& e) {
    for (const char* c = e.what(); *c; ++c)
      if (static_cast<unsigned char>(*c) < 0x20) std::abort();  // one printable line
  }
  return 0;
}
