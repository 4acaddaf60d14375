#include "sqsim/experiments/approximation.hpp"

#include "sqsim/algorithms/catalogue.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/population.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/harness.hpp"
#include "sqsim/sq/random.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sqsim::experiments {

void ApproximationConfig::validate() const {
  sq::require(d >= 2 && d <= 10000, "dim", d, "must lie in [2, 10000]");
  sq::require(!opts.empty(), "opts", 0, "need at least one target opt");
  for (double o : opts) sq::require(std::isfinite(o) && o > 0.0 && o < 0.5, "opts entry", o, "must lie in (0, 0.5)");
  sq::require(!labels.empty(), "labels", 0, "need at least one label model");
  for (const std::string& l : labels) oracles::parse_label_model(l);
  sq::require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance", tolerance, "must be a finite number > 0");
  sq::require(seeds >= 1, "seeds", seeds, "must be at least 1");
  sq::require(bootstrap >= 10, "bootstrap", bootstrap, "must be at least 10");
  for (const std::string& name : algorithms) algorithms::make_algorithm(name, {tolerance});  // an unknown name, before any work
  sq::require(!algorithms.empty(), "algorithms", 0, "need at least one algorithm");
}

std::vector<NamedAlgorithm> catalogue_algorithms(const std::vector<std::string>& names) {
  std::vector<NamedAlgorithm> out;
  for (const std::string& name : names)
    out.push_back({name, [name](double tolerance, std::uint64_t seed) { return algorithms::make_algorithm(name, {tolerance, seed}); }});
  return out;
}

ApproximationReport run_approximation(const ApproximationConfig& config) {
  return run_approximation(config, catalogue_algorithms(config.algorithms));
}

namespace {

double world_opt(oracles::LabelModel model, double noise, Eigen::Index d) {
  const oracles::ReluWorld world({model, sq::Vector::Unit(d, 0), noise});
  return *oracles::Population(world).opt();
}

double max_noise(oracles::LabelModel model) { return model == oracles::LabelModel::band ? 0.15 : 0.499; }

}  // namespace

std::optional<double> noise_for_opt(const std::string& labels, double target, Eigen::Index d) {
  const oracles::LabelModel model = oracles::parse_label_model(labels);
  if (model == oracles::LabelModel::relu) return std::nullopt;
  // opt does not depend on the teacher's direction (rotation invariance): one direction suffices. It
  // need not be monotone in the noise (the agnostic model's opt falls again as the zeroed fraction nears
  // 1/2, where y = 0 is nearly optimal), so find the smallest grid noise reaching the target, then bisect
  // below it; a model whose opt already exceeds the target at zero noise (clipping) cannot reach it.
  const Eigen::Index dim = std::min<Eigen::Index>(d, 3);
  if (world_opt(model, 0.0, dim) > target) return std::nullopt;
  std::vector<double> grid;
  for (double noise = 1e-8; noise < max_noise(model); noise *= 2.0) grid.push_back(noise);
  grid.push_back(max_noise(model));
  double lo = 0.0, hi = -1.0;
  for (double noise : grid) {
    if (world_opt(model, noise, dim) >= target) {
      hi = noise;
      break;
    }
    lo = noise;
  }
  if (hi < 0.0) return std::nullopt;
  for (int i = 0; i < 50; ++i) {
    const double mid = 0.5 * (lo + hi);
    (world_opt(model, mid, dim) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

ApproximationReport run_approximation(const ApproximationConfig& config, const std::vector<NamedAlgorithm>& algorithms) {
  config.validate();
  ApproximationReport report;
  const std::size_t total = config.labels.size() * algorithms.size() * config.opts.size() * static_cast<std::size_t>(config.seeds);
  std::size_t done = 0;
  for (const std::string& labels : config.labels) {
    const oracles::LabelModel model = oracles::parse_label_model(labels);
    std::vector<std::optional<double>> noises;
    for (double target : config.opts) noises.push_back(noise_for_opt(labels, target, config.d));
    for (const NamedAlgorithm& algorithm : algorithms) {
      std::vector<std::vector<double>> excess_by_opt;  // [opt][seed]
      std::vector<double> opts_reached;
      for (std::size_t o = 0; o < config.opts.size(); ++o) {
        ApproximationPoint p{labels, algorithm.name, config.opts[o], 0.0, 0.0, noises[o].has_value(), {}, 0.0, "completed"};
        if (!p.reachable) {
          done += static_cast<std::size_t>(config.seeds);
          report.points.push_back(p);
          continue;
        }
        p.noise = *noises[o];
        std::vector<double> excess, queries;
        for (int s = 0; s < config.seeds; ++s) {
          const std::uint64_t seed = sq::derive_seed(sq::stream_seed(config.seed, sq::Stream::experiment), static_cast<std::uint64_t>(s));
          const oracles::ReluWorld world({model, sq::random_unit_vector(config.d, sq::derive_seed(seed, 1)), p.noise});
          oracles::ExactOracle oracle(world, {oracles::Perturbation::uniform, sq::derive_seed(seed, 2)});
          const oracles::Population population(world);
          const auto learner = algorithm.make(config.tolerance, sq::derive_seed(seed, 3));
          const sq::RunResult r = sq::run(*learner, oracle, {}, &population);
          report_progress(config.progress, ++done, total, labels + ", " + algorithm.name + ", opt " + sq::format_number(p.target_opt));
          if (r.status != sq::RunStatus::completed && p.status == "completed") p.status = std::string(sq::to_string(r.status));
          p.opt = *r.opt;
          excess.push_back(r.loss ? std::max(0.0, *r.loss - *r.opt) : std::nan(""));
          queries.push_back(static_cast<double>(r.spent.total_queries()));
        }
        p.excess = mean_interval(excess);
        p.queries = std::accumulate(queries.begin(), queries.end(), 0.0) / static_cast<double>(queries.size());
        report.points.push_back(p);
        excess_by_opt.push_back(excess);
        opts_reached.push_back(p.opt);
      }
      // The exponent of excess in opt over the opts whose mean excess is measurable, bootstrapped over seeds.
      ApproximationFit fit{labels, algorithm.name, false, 0.0, 0.0, 0.0, 0, 0};
      std::vector<std::size_t> usable;
      for (std::size_t i = 0; i < excess_by_opt.size(); ++i) {
        const double mean = std::accumulate(excess_by_opt[i].begin(), excess_by_opt[i].end(), 0.0) / static_cast<double>(config.seeds);
        if (mean > config.resolution) usable.push_back(i);
      }
      fit.points = static_cast<int>(usable.size());
      fit.reachable = static_cast<int>(excess_by_opt.size());
      if (usable.size() >= 2) {
        auto slope_of = [&](const std::vector<std::vector<double>>& samples) {
          std::vector<double> x, y;
          for (std::size_t i : usable) {
            const double mean = std::accumulate(samples[i].begin(), samples[i].end(), 0.0) / static_cast<double>(samples[i].size());
            x.push_back(opts_reached[i]);
            y.push_back(std::max(mean, config.resolution));
          }
          return loglog_fit(x, y).mean;
        };
        fit.fitted = true;
        fit.exponent = slope_of(excess_by_opt);
        sq::Engine engine(sq::derive_seed(sq::stream_seed(config.seed, sq::Stream::experiment), 999));
        boost::random::uniform_int_distribution<int> pick(0, config.seeds - 1);
        std::vector<double> slopes;
        for (int b = 0; b < config.bootstrap; ++b) {
          std::vector<std::vector<double>> resampled = excess_by_opt;
          for (std::size_t i : usable)
            for (int s = 0; s < config.seeds; ++s)
              resampled[i][static_cast<std::size_t>(s)] = excess_by_opt[i][static_cast<std::size_t>(pick(engine))];
          slopes.push_back(slope_of(resampled));
        }
        std::sort(slopes.begin(), slopes.end());
        fit.low = slopes[static_cast<std::size_t>(0.025 * (slopes.size() - 1))];
        fit.high = slopes[static_cast<std::size_t>(0.975 * (slopes.size() - 1))];
      }
      report.fits.push_back(fit);
    }
  }
  return report;
}

}  // namespace sqsim::experiments