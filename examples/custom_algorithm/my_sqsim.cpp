// The whole sqsim program with two more algorithms: `my_sqsim run --algorithm two-e-yx [--family ...]`
// gets worlds, oracles, hard instances with their certificates, JSON and transcripts; the second,
// an entry of the algorithm catalogue, also gets its own option (`--scale`, listed in `run --help`).
#include "label_correlation.hpp"

#include <sqsim/algorithms/catalogue.hpp>
#include <sqsim/cli/sqsim_cli.hpp>
#include <sqsim/sq/errors.hpp>

#include <memory>

using namespace sqsim;

// w = scale * E[y x]: its params struct holds the defaults and checks itself.
struct ScaledParams {
  double tolerance = 1e-3;
  double scale = 2.0;
  void validate() const { sq::require(scale > 0.0, "scale", scale, "must be > 0"); }
};

class ScaledLabelCorrelation : public sq::Algorithm {
 public:
  explicit ScaledLabelCorrelation(ScaledParams params) : params_(params) { params_.validate(); }
  std::string name() const override { return "scaled-e-yx"; }
  sq::Vector run(sq::QueryChannel& channel) override {
    const sq::Vector w = params_.scale * channel.ask(queries::label_correlation(channel.dimension()), params_.tolerance);
    channel.report_iterate(w);
    return w;
  }

 private:
  ScaledParams params_;
};

int main(int argc, char** argv) {
  cli::register_algorithm("two-e-yx", "2 E[y x] in one typed query (examples/custom_algorithm)",
                          [](const cli::AlgorithmSettings& s) { return std::make_unique<TwiceLabelCorrelation>(s.tolerance); });
  algorithms::register_algorithm(
      algorithms::entry<ScaledParams, ScaledLabelCorrelation>("scaled-e-yx", "scale * E[y x] (examples/custom_algorithm)")
          .context([](ScaledParams& p, const algorithms::RunContext& c) { p.tolerance = c.tolerance; })
          .real("scale", &ScaledParams::scale, "w = scale * E[y x]"));
  return cli::run_program(argc, argv);
}
