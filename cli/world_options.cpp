#include "world_options.hpp"

#include "commands.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/program_options.hpp>

#include <charconv>
#include <cmath>
#include <fstream>

namespace po = boost::program_options;

namespace sqsim::cli {
namespace {

double parse_number(const std::string& field, const std::string& where) {
  const auto first = field.find_first_not_of(" \t\r"), last = field.find_last_not_of(" \t\r");
  const std::string trimmed = first == std::string::npos ? "" : field.substr(first, last - first + 1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (trimmed.empty() || ec != std::errc{} || end != trimmed.data() + trimmed.size())
    throw UsageError(where + ": '" + sq::printable(trimmed) + "' is not a number");
  if (!std::isfinite(value)) throw UsageError(where + ": '" + sq::printable(trimmed) + "' is not finite");
  return value;
}

}  // namespace

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    throw UsageError("seed = " + sq::printable(text) + ": must be an integer in [0, 2^64)");
  return seed;
}

po::typed_value<std::string>* seed_option(std::uint64_t& seed) {
  return po::value<std::string>()->default_value("1")->notifier([&seed](const std::string& text) { seed = parse_seed(text); });
}

sq::Vector parse_vector_list(const std::string& text, const std::string& parameter) {
  std::vector<double> values;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    values.push_back(parse_number(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start),
                                  parameter + " entry " + std::to_string(values.size() + 1)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Eigen::Map<sq::Vector>(values.data(), static_cast<Eigen::Index>(values.size()));
}

std::vector<double> parse_number_list(const std::string& text, const std::string& parameter) {
  const sq::Vector v = parse_vector_list(text, parameter);
  return {v.data(), v.data() + v.size()};
}

std::vector<int> parse_integer_list(const std::string& text, const std::string& parameter, int low, int high) {
  std::vector<int> out;
  for (double x : parse_number_list(text, parameter)) {
    sq::require(x >= low && x <= high && x == std::floor(x), parameter + " entry", x,
                "must be an integer in [" + std::to_string(low) + ", " + std::to_string(high) + "]");
    out.push_back(static_cast<int>(x));
  }
  return out;
}

sq::Vector read_vector_file(const std::string& path, const std::string& parameter) {
  std::ifstream in(path);
  if (!in) throw UsageError(parameter + " = " + sq::printable(path) + ": cannot open file for reading");
  std::vector<double> values;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    values.push_back(parse_number(line, parameter + " = " + sq::printable(path) + ", line " + std::to_string(number)));
  }
  if (values.empty()) throw UsageError(parameter + " = " + sq::printable(path) + ": no numbers in the file");
  return Eigen::Map<sq::Vector>(values.data(), static_cast<Eigen::Index>(values.size()));
}

void add_world_options(po::options_description& options, WorldOptions& world) {
  options.add_options()("labels", po::value(&world.labels)->default_value("relu"),
                        "label model: relu (y = relu(v.x), realizable), noisy-relu (y = relu(v.x) +- noise, opt = noise^2), "
                        "clipped-relu (clip(relu(v.x) +- noise, 0, 1)), agnostic (y = 0 on the fraction 'noise' of inputs "
                        "where v.x is largest), band (y = 0 on a band of mass 'noise' from v.x = |v| up), mirror "
                        "(y = (1 - noise) relu(v.x) + noise relu(-v.x), worst for 2 E[y x])")(
      "teacher", po::value<std::string>()->notifier([&world](const std::string& s) { world.teacher = s; }),
      "teacher v as a comma-separated list (default: a random unit vector from --seed)")(
      "teacher-file", po::value<std::string>()->notifier([&world](const std::string& s) { world.teacher_file = s; }),
      "teacher v from a file, one number per line")("dim", po::value<long long>()->notifier([&world](long long d) { world.dim = d; }),
                                                    "dimension d (default 10, or the teacher's length)")(
      "noise", po::value(&world.noise)->default_value(0.0), "noise eta in [0, 0.5): amplitude, or the corrupted fraction for agnostic")(
      "seed", seed_option(world.seed), "master seed; every random stream is derived from it");
}

oracles::ReluWorld make_world(const WorldOptions& options) {
  const oracles::LabelModel labels = oracles::parse_label_model(options.labels);
  if (labels == oracles::LabelModel::relu && options.noise != 0.0)
    throw UsageError("noise = " + sq::format_number(options.noise) +
                     ": the relu labels are noiseless; use --labels noisy-relu, clipped-relu, agnostic, band or mirror");
  if (options.dim) sq::require(*options.dim >= 1 && *options.dim <= kMaxWorldDimension, "dim", *options.dim, "must lie in [1, 10^7]");
  if (options.teacher && options.teacher_file) throw UsageError("give --teacher or --teacher-file, not both");
  sq::Vector teacher;
  if (options.teacher) teacher = parse_vector_list(*options.teacher, "teacher");
  if (options.teacher_file) teacher = read_vector_file(*options.teacher_file, "teacher-file");
  sq::require(teacher.size() <= kMaxWorldDimension, "teacher length", teacher.size(), "must be at most 10^7");
  if (teacher.size() == 0) {
    teacher = sq::random_unit_vector(options.dim.value_or(10), sq::stream_seed(options.seed, sq::Stream::teacher));
  } else if (options.dim && *options.dim != teacher.size()) {
    throw UsageError("teacher has " + std::to_string(teacher.size()) + " entries but dim = " + std::to_string(*options.dim));
  }
  return oracles::ReluWorld(oracles::WorldParams{labels, teacher, options.noise});
}

}  // namespace sqsim::cli