// sqsim inspect: exact population quantities of a world at a given w (no oracle, no ledger).
#include "command_line.hpp"
#include "commands.hpp"
#include "family_options.hpp"
#include "output.hpp"
#include "records.hpp"
#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/records/inspection_records.hpp"
#include "sqsim/sq/errors.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <variant>

namespace po = boost::program_options;

namespace sqsim::cli {

namespace {
constexpr const char* kInspectUsage = R"(usage: sqsim inspect --w a,b,c [options]

Prints the exact population square loss E[(relu(w.x) - y)^2] of a world at w, its gradient
2 E[(relu(w.x) - y) relu'(w.x) x] (relu'(0) = 1/2), and opt = inf_w loss where known (the label
noise variance for relu and noisy-relu; minimised numerically in the plane of v otherwise).

With --family (lifted-parity, orthogonal-relu), the exact answer of one typed query at w under the
member D_S given by --member (0-based coordinates) and under D0: value, reference_value and their
deviation (in the query's norm for vector queries). --query: loss, half-gradient, glmtron-gradient,
label-correlation, threshold (y 1{w.x > t}, --threshold t), parity (chi_S of the member itself).

examples:
  sqsim inspect --teacher 1,0,0 --w 0.5,0.5,0
  sqsim inspect --labels agnostic --noise 0.1 --dim 5 --w-file w.txt --json
  sqsim inspect --family lifted-parity --dim 8 --k 2 --member 1,4 --w 0,0.7,0,0,0.7,0,0,0 --query half-gradient --json)";

// The typed query --query names, at w, with scale 1.
std::variant<sq::ScalarQuery, sq::VectorQuery> named_query(const std::string& name, const sq::Vector& w, double threshold,
                                                           const lower_bounds::Subset& member) {
  if (name == "loss") return queries::square_loss(w);
  if (name == "half-gradient") return queries::half_gradient(w);
  if (name == "glmtron-gradient") return queries::surrogate_gradient(w);
  if (name == "label-correlation") return queries::label_correlation(w.size());
  if (name == "threshold") return queries::threshold_correlation(w, threshold);
  if (name == "parity") return queries::character(w.size(), member);
  throw UsageError("query = " + sq::printable(name) +
                   ": must be loss, half-gradient, glmtron-gradient, label-correlation, threshold or parity");
}

int inspect_family(const FamilyOptions& family_options, const WorldOptions& world_options, const sq::Vector& w,
                   const std::string& query_name, double threshold, bool json) {
  const auto family = make_family(family_options, world_options.dim.value_or(w.size()), world_options.noise);
  if (w.size() != family->dimension())
    throw UsageError("w has " + std::to_string(w.size()) + " entries but the family has dimension " + std::to_string(family->dimension()));
  const std::optional<lower_bounds::Subset> member = parse_member(family_options, *family);
  if (!member) throw UsageError("member: missing; give --member i,j,... (k distinct 0-based coordinates)");
  const auto query = named_query(query_name, w, threshold, *member);
  records::MemberAnswer answer{query_name, w,  query_name == "threshold" ? std::optional<double>(threshold) : std::nullopt, true, {},
                               {},         0.0};
  if (const auto* scalar = std::get_if<sq::ScalarQuery>(&query)) {
    answer.value = sq::Vector::Constant(1, family->member_answer(*scalar, *member));
    answer.reference = sq::Vector::Constant(1, family->reference_answer(*scalar));
    answer.deviation = std::abs(answer.value[0] - answer.reference[0]);
  } else {
    const auto& vector = std::get<sq::VectorQuery>(query);
    answer.scalar = false;
    answer.value = family->member_answer(vector, *member);
    answer.reference = family->reference_answer(vector);
    answer.deviation = lower_bounds::deviation_norm(answer.value, answer.reference, vector.norm());
  }
  const nlohmann::json record = records::member_answer_record(*family, world_options.noise, *member, answer);
  if (publish(record, json)) return 0;
  const nlohmann::json& value = record["value"];
  const nlohmann::json& reference = record["reference_value"];
  const double deviation = answer.deviation;
  std::string members;
  for (int i : *member) {
    if (!members.empty()) members += ',';
    members += std::to_string(i);
  }
  std::cout << "family           " << family->description() << ", member {" << members << "}\nquery            " << query_name
            << "\nvalue            " << value.dump() << "\nreference value  " << reference.dump() << "\ndeviation        "
            << format_value(deviation, 10) << "\n";
  return 0;
}
}  // namespace

int inspect_command(const std::vector<std::string>& args) {
  WorldOptions world_options;
  std::optional<std::string> w_text, w_file;
  bool json = false;
  FamilyOptions family_options;
  std::string query_name = "loss";
  double threshold = 0.0;
  po::options_description options("inspect options");
  options.add_options()("w", po::value<std::string>()->notifier([&](const std::string& s) { w_text = s; }),
                        "the point w as a comma-separated list")(
      "w-file", po::value<std::string>()->notifier([&](const std::string& s) { w_file = s; }),
      "the point w from a file, one number per line")("json", po::bool_switch(&json),
                                                      "print a JSON object with keys context, loss, gradient, opt");
  options.add_options()("query", po::value(&query_name)->default_value("loss"), "with --family: the typed query to answer (listed above)")(
      "threshold", po::value(&threshold)->default_value(0.0), "with --family --query threshold: t");
  add_world_options(options, world_options);
  add_family_options(options, family_options);
  add_csv_option(options);
  if (!parse_command_line(args, options, kInspectUsage)) return 0;

  if (w_text && w_file) throw UsageError("give --w or --w-file, not both");
  if (!w_text && !w_file) throw UsageError("w: missing; give --w a,b,c or --w-file FILE");
  const sq::Vector w = w_text ? parse_vector_list(*w_text, "w") : read_vector_file(*w_file, "w-file");
  if (family_options.family) return inspect_family(family_options, world_options, w, query_name, threshold, json);
  if (family_options.member) throw UsageError("--member needs --family");
  if (!world_options.dim && !world_options.teacher && !world_options.teacher_file) world_options.dim = w.size();
  const oracles::ReluWorld world = make_world(world_options);
  if (w.size() != world.dimension())
    throw UsageError("w has " + std::to_string(w.size()) + " entries but the world has dimension " + std::to_string(world.dimension()));

  const oracles::Population population(world);
  const double loss = population.loss(w);
  const sq::Vector gradient = population.gradient(w);
  const std::optional<double> opt = population.opt();
  if (!std::isfinite(loss) || !gradient.allFinite())
    throw UsageError("w: the loss at w is not finite (|w| = " + sq::format_number(w.norm()) + " overflows); give a smaller w");
  if (json) {
    publish(records::world_point_record(world_options.seed, world.dimension(), world.noise(), std::string(to_string(world.label_model())),
                                        loss, gradient, opt),
            true);
    return 0;
  }
  std::cout << "world     " << world.description() << "\n"
            << "loss      " << format_value(loss, 12) << "\n"
            << "opt       " << format_value(opt.value_or(NAN), 12) << "\n"
            << "excess    " << format_value(opt ? loss - *opt : NAN, 6) << "\n"
            << "|grad|    " << format_value(gradient.norm(), 6) << "\n"
            << "gradient  ";
  for (Eigen::Index i = 0; i < gradient.size(); ++i) std::cout << (i ? "," : "") << format_value(gradient[i], 10);
  std::cout << "\n";
  return 0;
}

}  // namespace sqsim::cli