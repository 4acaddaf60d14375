// sqsim experiment reduction: k-sparse parity with noise, lifted into ReLU regression, learned from
// samples by any registered algorithm, decoded back.
#include "command_line.hpp"
#include "commands.hpp"
#include "experiment.hpp"
#include "output.hpp"
#include "records.hpp"
#include "sqsim/experiments/reduction.hpp"
#include "sqsim/records/experiment_records.hpp"
#include "sqsim/sq/errors.hpp"
#include "world_options.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace sqsim::cli {
namespace {

constexpr const char* kReductionUsage = R"(usage: sqsim experiment reduction [--dim D] [--k K] [--noise ETA] [--learner NAME] [options]

The hardness reduction as a program. Samples (b, label) of k-sparse parity with noise on {+-1}^d
(b uniform, label = chi_S(b) with probability 1 - eta) are lifted into Gaussian space, x = b (.) |g|
with g ~ N(0, I_d) (so x ~ N(0, I_d) and sign(x) = b) and y = (1 + label)/2: exactly the lifted
parity D_S. A ReLU-regression learner (any registered algorithm, default group-testing) runs on them
through the ordinary sample oracle (fresh lifted samples per query, failure probability --delta per
query); the decoder reads S off as the k coordinates carrying the most weight of the returned w (the
optimal w for S puts all its weight on S). Prints the hidden and decoded S, samples drawn, queries,
time and the loss of w. A learner that reaches excess below gap/2 has found S this way; GD does not.)";

}  // namespace

int reduction_experiment(const std::vector<std::string>& args) {
  experiments::ReductionConfig config;
  bool json = false;
  po::options_description options("experiment reduction options");
  options.add_options()("dim", po::value(&config.d)->default_value(16), "dimension d")(
      "k", po::value(&config.k)->default_value(2), "parity size k (even)")("noise", po::value(&config.noise)->default_value(0.0),
                                                                           "label noise eta in [0, 0.5)")(
      "learner", po::value(&config.learner)->default_value(config.learner), "the algorithm, by name (as in sqsim run --algorithm)")(
      "tolerance", po::value<double>()->notifier([&](double t) { config.tolerance = t; }),
      "tolerance of the learner's queries (default 0.1 (1 - 2 eta))")("delta", po::value(&config.delta)->default_value(1e-4),
                                                                      "the sample oracle's failure probability per query")(
      "seed", seed_option(config.seed), "master seed")("threads", po::value(&config.threads)->default_value(0),
                                                       "sample oracle threads (0 = all cores); results do not depend on it")(
      "json", po::bool_switch(&json), "print a JSON object");
  add_csv_option(options);
  if (!parse_command_line(args, options, kReductionUsage)) return 0;
  const experiments::ReductionReport r = experiments::run_reduction(config);
  if (publish(records::reduction_record(config, r), json)) return 0;
  auto text = [](const queries::Subset& s) {
    std::string out = "{";
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string(s[i]);
    }
    return out + "}";
  };
  std::cout << "reduction: " << config.k << "-sparse parity with noise " << format_value(config.noise) << " on {+-1}^" << config.d
            << ", lifted; learner " << config.learner << " at tau = " << format_value(config.learner_tolerance()) << "\n"
            << "  hidden S   " << text(r.hidden) << "\n"
            << "  decoded    " << text(r.decoded) << (r.recovered ? "   recovered" : "   NOT recovered") << "\n"
            << "  samples    " << r.samples << " (fresh, lifted), queries " << r.queries << ", " << format_value(r.seconds, 3)
            << " s, status " << r.status << "\n"
            << "  loss of w  " << format_value(r.loss, 6) << " (optS " << format_value(r.optS, 6) << ", excess "
            << format_value(r.loss - r.optS, 3) << ", gap " << format_value(r.gap, 4) << ")\n";
  return 0;
}

}  // namespace sqsim::cli