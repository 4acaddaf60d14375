#include "sqsim/oracles/csv_dataset.hpp"

#include "sqsim/sq/errors.hpp"

#include "sqsim/oracles/sampling.hpp"

#include "sqsim/sq/random.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace sqsim::oracles {
namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace

Dataset load_csv(const std::string& path, LabelRange range) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("data = " + sq::printable(path) + ": cannot open file for reading");
  return parse_csv(in, path, range);
}

Dataset parse_csv(std::istream& in, const std::string& path, LabelRange range) {
  std::vector<double> values;
  std::size_t columns = 0, rows = 0, line_number = 0;
  std::string line;
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument("data = " + sq::printable(path) + ", line " + std::to_string(line_number) + ": " + sq::printable(what));
  };
  while (std::getline(in, line)) {
    ++line_number;
    const std::string content = trim(line);
    if (content.empty() || content[0] == '#') continue;
    std::size_t fields = 0, start = 0;
    while (true) {
      const std::size_t comma = content.find(',', start);
      const std::string field =
          trim(std::string_view(content).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      double value = 0.0;
      const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (field.empty() || ec != std::errc{} || end != field.data() + field.size())
        fail("field " + std::to_string(fields + 1) + " '" + field + "' is not a number");
      if (!std::isfinite(value)) fail("field " + std::to_string(fields + 1) + " is " + field + ", not finite");
      values.push_back(value);
      ++fields;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (fields < 2) fail("needs at least one feature and a label, found " + std::to_string(fields) + " field");
    if (columns == 0) columns = fields;
    if (fields != columns) fail("has " + std::to_string(fields) + " fields, earlier rows have " + std::to_string(columns));
    const double label = values.back();
    if (label < range.low || label > range.high)
      fail("label " + sq::format_number(label) + " is outside [" + sq::format_number(range.low) + ", " + sq::format_number(range.high) +
           "]");
    ++rows;
  }
  if (rows == 0) throw std::invalid_argument("data = " + sq::printable(path) + ": no data rows");
  Dataset data;
  const Eigen::Index d = static_cast<Eigen::Index>(columns - 1), n = static_cast<Eigen::Index>(rows);
  data.X.resize(d, n);
  data.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) data.X(j, i) = values[static_cast<std::size_t>(i * (d + 1) + j)];
    data.y[i] = values[static_cast<std::size_t>(i * (d + 1) + d)];
  }
  return data;
}

Dataset draw_dataset(const ReluWorld& world, Eigen::Index n, std::uint64_t seed) {
  sq::require(n >= 1, "pool size", n, "must be at least 1");
  sq::Engine engine(seed);
  Dataset data;
  data.X.resize(world.dimension(), n);
  data.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) data.y[i] = draw_sample(world, engine, data.X.col(i));
  return data;
}

}  // namespace sqsim::oracles