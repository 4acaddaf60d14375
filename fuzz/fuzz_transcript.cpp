// libFuzzer harness: the transcript writer round trip. A query with a fuzzed name, answered with a
// fuzzed value, must give exactly one transcript line that parses back as JSON with the same
// answer (null when not finite) and the name (invalid UTF-8 replaced, never a crash).
#include "sqsim/sq/harness.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

using namespace sqsim;

namespace {

class FixedOracle : public sq::Oracle {
 public:
  explicit FixedOracle(double value) : value_(value) {}
  Eigen::Index dimension() const override { return 2; }
  std::string name() const override { return "fixed"; }
  sq::ScalarAnswer answer(const sq::ScalarQuery&, double) override { return {value_, value_}; }
  sq::VectorAnswer answer(const sq::VectorQuery&, double) override { return {sq::Vector::Constant(2, value_), std::nullopt}; }

 private:
  double value_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 16) return 0;
  double value = 0.0, tolerance = 0.0;
  std::memcpy(&value, data, 8);
  std::memcpy(&tolerance, data + 8, 8);
  const std::string name(reinterpret_cast<const char*>(data + 16), size - 16);
  FixedOracle oracle(value);
  std::ostringstream transcript;
  sq::QueryChannel channel(oracle, {}, &transcript);
  const auto query = sq::ScalarQuery::black_box(sq::QueryKind::stat, name, [](const sq::Vector&, double) { return 0.0; });
  try {
    channel.ask(query, tolerance);
  } catch (const std::invalid_argument&) {
    if (std::isfinite(tolerance) && tolerance > 0.0) std::abort();  // only a bad tolerance may be refused
    return 0;
  }
  const std::string text = transcript.str();
  if (text.empty() || text.back() != '\n' || text.find('\n') != text.size() - 1) std::abort();  // one line
  const nlohmann::json line = nlohmann::json::parse(text);
  if (std::isfinite(value) ? line["answer"].get<double>() != value : !line["answer"].is_null()) std::abort();
  if (line["tolerance"].get<double>() != tolerance) std::abort();
  if (!line["name"].is_string()) std::abort();
  return 0;
}
