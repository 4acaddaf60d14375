// sqsim inspect: exact population quantities of a world at a given w (no oracle, no ledger).
#include "command_line.hpp"
#include "commands.hpp"
#include "oracles/population.hpp"
#include "output.hpp"
#include "sq/errors.hpp"
#include "records.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace cli {

namespace {
constexpr const char* kInspectUsage = R"(usage: sqsim inspect --w a,b,c [options]

Prints the exact population square loss E[(relu(w.x) - y)^2] of a world at w, its gradient
2 E[(relu(w.x) - y) relu'(w.x) x] (relu'(0) = 1/2), and opt = inf_w loss where known (the label
noise variance for relu and noisy-relu; minimised numerically in the plane of v otherwise).

examples:
  sqsim inspect --teacher 1,0,0 --w 0.5,0.5,0
  sqsim inspect --labels agnostic --noise 0.1 --dim 5 --w-file w.txt --json)";
}  // namespace

int inspect_command(const std::vector<std::string>& args) {
  WorldOptions world_options;
  std::optional<std::string> w_text, w_file;
  bool json = false;
  po::options_description options("inspect options");
  options.add_options()
    ("w", po::value<std::string>()->notifier([&](const std::string& s) { w_text = s; }), "the point w as a comma-separated list")
    ("w-file", po::value<std::string>()->notifier([&](const std::string& s) { w_file = s; }), "the point w from a file, one number per line")
    ("json", po::bool_switch(&json), "print a JSON object with keys context, loss, gradient, opt");
  add_world_options(options, world_options);
  if (!parse_command_line(args, options, kInspectUsage)) return 0;

  if (w_text && w_file) throw UsageError("give --w or --w-file, not both");
  if (!w_text && !w_file) throw UsageError("w: missing; give --w a,b,c or --w-file FILE");
  const sq::Vector w = w_text ? parse_vector_list(*w_text, "w") : read_vector_file(*w_file, "w-file");
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
    const Context context{world_options.seed, world.dimension(), 0.0, world.noise(), std::string(to_string(world.label_model())), "exact", "none"};
    nlohmann::json record{{"context", context_json(context)}, {"loss", loss}, {"gradient", vector_json(gradient)}, {"opt", optional_json(opt)}};
    record["context"].erase("tolerance");
    record["context"].erase("algorithm");
    publish(std::move(record), true);
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

}  // namespace cli
