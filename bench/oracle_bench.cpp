// Costs of single oracle answers. Compare ratios measured in one run; never used in a test.
#include "lower_bounds/adversary.hpp"
#include "lower_bounds/lifted_parity.hpp"
#include "oracles/exact_oracle.hpp"
#include "oracles/sample_oracle.hpp"
#include "sq/random.hpp"
#include "queries/parity.hpp"
#include "queries/relu_regression.hpp"

#include <benchmark/benchmark.h>

#include <optional>

namespace {

oracles::ReluWorld world(Eigen::Index d, oracles::LabelModel labels = oracles::LabelModel::relu, double noise = 0.0) {
  return oracles::ReluWorld(oracles::WorldParams{labels, sq::random_unit_vector(d, 1), noise});
}

// One exact gradient query (vector, d coordinates): closed form for the typed query; the bound
// check integrates under D0.
void BM_ExactGradient(benchmark::State& state) {
  const auto w_world = world(state.range(0));
  oracles::ExactOracle oracle(w_world);
  const sq::Vector w = 0.5 * sq::random_unit_vector(state.range(0), 2);
  const double scale = static_cast<double>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(queries::half_gradient(w, scale), 1e-6));
}
BENCHMARK(BM_ExactGradient)->Args({1000, 1})->Args({1000, 2})->Args({100, 2})->Args({10000, 2})->Unit(benchmark::kMillisecond);

void BM_ExactGradientClipped(benchmark::State& state) {
  const auto w_world = world(state.range(0), oracles::LabelModel::clipped_relu, 0.2);
  oracles::ExactOracle oracle(w_world);
  const sq::Vector w = 0.5 * sq::random_unit_vector(state.range(0), 2);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(queries::half_gradient(w, 2.0), 1e-6));
}
BENCHMARK(BM_ExactGradientClipped)->Arg(1000)->Unit(benchmark::kMillisecond);

// One sample-oracle query with m = 1e6 fresh samples at d = 100: an l2 query at tau = 0.01 and
// delta = 0.01 gets Chebyshev's m = 1 / (delta tau^2) = 1e6. Argument: threads.
void BM_SampleScalarQuery(benchmark::State& state) {
  const auto w_world = world(100);
  oracles::SampleOracle oracle(w_world, oracles::SampleOracleParams{0.01, 1, static_cast<int>(state.range(0))});
  const sq::Vector w = 0.5 * sq::random_unit_vector(100, 2);
  const auto query = queries::square_loss(w, 4.0);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(query, 0.01));
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(oracle.samples_used()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SampleScalarQuery)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

// One adversarial query on the lifted parity family (d = 50, k = 4: all 230300 members): the first
// query in a direction tabulates every member (argument 0), later ones on the same ray reuse it (1).
namespace {

void BM_AdversarialGradientQuery(benchmark::State& state) {
  const lower_bounds::LiftedParityParams params{50, static_cast<int>(state.range(1)), 0.0};
  const sq::Vector w = 0.4 * sq::random_unit_vector(50, 3);
  const auto query = queries::half_gradient(w, 2.0);
  std::optional<lower_bounds::AdversarialOracle> warm;
  if (state.range(0) == 1) {
    warm.emplace(lower_bounds::LiftedParity::make(params));
    warm->answer(query, 1e-3);
  }
  for (auto _ : state) {
    if (state.range(0) == 0) {
      lower_bounds::AdversarialOracle fresh(lower_bounds::LiftedParity::make(params));  // a new family has no tables yet
      benchmark::DoNotOptimize(fresh.answer(query, 1e-3));
    } else {
      benchmark::DoNotOptimize(warm->answer(query, 1e-3));
    }
  }
}
BENCHMARK(BM_AdversarialGradientQuery)->Args({0, 4})->Args({1, 4})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
