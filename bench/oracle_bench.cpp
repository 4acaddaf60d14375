// Costs of single oracle answers. Compare ratios measured in one run; never used in a test.
#include "sqsim/lower_bounds/adversary.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity_exposure.hpp"
#include "sqsim/oracles/csv_dataset.hpp"
#include "sqsim/oracles/exact_oracle.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/queries/parity.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/memory.hpp"
#include "sqsim/sq/random.hpp"
#include "sqsim/sq/vector_sums.hpp"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <boost/random/normal_distribution.hpp>

#include <cstring>
#include <memory>
#include <optional>
#include <vector>

using namespace sqsim;

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
BENCHMARK(BM_ExactGradient)->Args({1000, 1})->Args({100, 2})->Args({1000, 2})->Args({10000, 2})->Unit(benchmark::kMicrosecond);

// The floor of one gradient answer: read w and write a d-vector (a plain copy of the same bytes),
// measured in the same run as BM_ExactGradient.
void BM_GradientCopy(benchmark::State& state) {
  const sq::Vector w = 0.5 * sq::random_unit_vector(state.range(0), 2);
  for (auto _ : state) {
    sq::Vector gradient = w;
    benchmark::DoNotOptimize(gradient.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0) * 16);
}
BENCHMARK(BM_GradientCopy)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

// The floor of the realizable gradient itself: its coefficients need w.w and w.v over all of w before
// the answer a w + b v can be written, so at least one pass reading w and v and one reading both and
// writing d doubles (three vectors to the copy's two), with the oracle's own kernels.
void BM_GradientFloor(benchmark::State& state) {
  const sq::Vector w = 0.5 * sq::random_unit_vector(state.range(0), 2), v = sq::random_unit_vector(state.range(0), 3);
  for (auto _ : state) {
    const sq::DotSums sums = sq::dot_sums(w, v);
    sq::Vector gradient = sq::combine(sums.ww, w, sums.wv, v);
    benchmark::DoNotOptimize(gradient.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_GradientFloor)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_ExactGradientClipped(benchmark::State& state) {
  const auto w_world = world(state.range(0), oracles::LabelModel::clipped_relu, 0.2);
  oracles::ExactOracle oracle(w_world);
  const sq::Vector w = 0.5 * sq::random_unit_vector(state.range(0), 2);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(queries::half_gradient(w, 2.0), 1e-6));
}
BENCHMARK(BM_ExactGradientClipped)->Arg(1000)->Unit(benchmark::kMillisecond);

// One generic ridge query (untyped: no closed form, no batch g), answered by 2-D quadrature under D
// (w and the teacher) and the declared-bound check by 2-D quadrature under D0.
// Argument 1: g = tanh(z - y)/2 (most of the time is libm's tanh), argument 0: g = (z - y)/4 (the
// quadrature's own cost).
void BM_ExactGenericRidge(benchmark::State& state) {
  const auto w_world = world(state.range(0));
  oracles::ExactOracle oracle(w_world);
  const sq::Vector w = 0.5 * sq::random_unit_vector(state.range(0), 2);
  const sq::RidgeFunction g = state.range(1) == 1
                                  ? sq::RidgeFunction([](const sq::Vector& z, double y) { return 0.5 * std::tanh(z[0] - y); })
                                  : sq::RidgeFunction([](const sq::Vector& z, double y) { return 0.25 * (z[0] - y); });
  const auto query = sq::VectorQuery::ridge_times_x(sq::QueryKind::l2, "generic gradient", sq::Matrix(w), g);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(query, 1e-6));
}
BENCHMARK(BM_ExactGenericRidge)->Args({1000, 0})->Args({1000, 1})->Unit(benchmark::kMicrosecond);

// The pooled sample oracle at d = 100, n = 10^6 (800 MB of samples): one vector ridge query reads the
// pool once. Compare its bytes/s with the copy bandwidth of the same matrix, measured in the same run.
const oracles::Dataset& big_pool() {
  static const oracles::Dataset pool = oracles::draw_dataset(world(100), 1'000'000, 3);
  return pool;
}

void BM_SamplePoolVectorQuery(benchmark::State& state) {
  const auto pool = std::make_shared<const oracles::Dataset>(big_pool());
  oracles::SampleOracle oracle(pool, oracles::SampleOracleParams{0.01, 1, static_cast<int>(state.range(0))});
  const sq::Vector w = 0.5 * sq::random_unit_vector(100, 2);
  const auto query = queries::half_gradient(w, 4.0);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(query, 0.01));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * pool->X.size() * 8);
}
BENCHMARK(BM_SamplePoolVectorQuery)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CopyBandwidth(benchmark::State& state) {
  const sq::Matrix& source = big_pool().X;
  sq::Matrix target(source.rows(), source.cols());
  const auto bytes = static_cast<std::size_t>(source.size()) * sizeof(double);
  std::memcpy(target.data(), source.data(), bytes);  // first touch (page faults) before timing: a zeroing may have become calloc
  for (auto _ : state) {
    std::memcpy(target.data(), source.data(), bytes);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * source.size() * 8);
}
BENCHMARK(BM_CopyBandwidth)->Unit(benchmark::kMillisecond)->UseRealTime();

// A raw Boost.Random normal loop (the ziggurat of boost::random::normal_distribution): the rate a
// fresh-sample query can at best reach, normals per second.
void BM_RawNormals(benchmark::State& state) {
  sq::Engine engine(1);
  boost::random::normal_distribution<double> normal;
  std::vector<double> out(100 * 4096);
  for (auto _ : state) {
    for (double& x : out) x = normal(engine);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["normals/s"] = benchmark::Counter(static_cast<double>(state.iterations() * out.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawNormals)->Unit(benchmark::kMillisecond);

// One sample-oracle query with m = 1e6 fresh samples at d = 100: an l2 query at tau = 0.01 and
// delta = 0.01 gets Chebyshev's m = 1 / (delta tau^2) = 1e6. Argument: threads.
void BM_SampleScalarQuery(benchmark::State& state) {
  const auto w_world = world(100);
  oracles::SampleOracle oracle(w_world, oracles::SampleOracleParams{0.01, 1, static_cast<int>(state.range(0))});
  const sq::Vector w = 0.5 * sq::random_unit_vector(100, 2);
  const auto query = queries::square_loss(w, 4.0);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(query, 0.01));
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(oracle.samples_used()), benchmark::Counter::kIsRate);
  state.counters["normals/s"] = benchmark::Counter(static_cast<double>(oracle.samples_used()) * 101, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SampleScalarQuery)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

// One adversarial query in a new direction on the lifted parity family (issue 8's table): d in
// {50, 100, 200}, k in {4, 6}, tau = 0.4 gap_k (a tolerance at which GD's run is certified; argument 3
// is tau / gap_k in thousandths, argument 4 the adversary's threads), a random unit direction per
// iteration. Argument 2 picks the query: 0 GD's half-gradient (closed form), 1 a user's scalar
// g = cos(2 w.x)(2y - 1)/2 (through ParityRidge). Counters: members
// C(d, k), members evaluated (the rest pruned by the Hermite bound), exposed, peak RSS in MiB.
namespace {

void BM_AdversaryNewDirection(benchmark::State& state) {
  const int d = static_cast<int>(state.range(0)), k = static_cast<int>(state.range(1));
  const auto family = lower_bounds::LiftedParity::make({d, k, 0.0});
  const double tau = 1e-3 * static_cast<double>(state.range(3)) * family->facts().gap;
  const int threads = static_cast<int>(state.range(4));
  const lower_bounds::MemberSet all = lower_bounds::MemberSet::all(family->size());
  lower_bounds::LiftedParityExposure scan(*family);
  std::uint64_t seed = 1, evaluated = 0, exposed = 0, queries = 0;
  for (auto _ : state) {
    const sq::Vector w = sq::random_unit_vector(d, ++seed);
    lower_bounds::Exposure e;
    if (state.range(2) == 0) {
      const auto q = queries::half_gradient(w, 2.0);
      e = scan.expose(q, family->reference_answer(q), tau, all, threads);
    } else {
      const auto q = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "cos", sq::Matrix(w),
                                                  [](const sq::Vector& z, double y) { return 0.5 * std::cos(2 * z[0]) * (2 * y - 1); });
      e = scan.expose(q, family->reference_answer(q), tau, all, threads);
    }
    benchmark::DoNotOptimize(e);
    evaluated += scan.last_prune().candidates;
    exposed += e.count();
    ++queries;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["members"] = static_cast<double>(family->size());
  state.counters["evaluated"] = static_cast<double>(evaluated) / static_cast<double>(queries);
  state.counters["pruned_fraction"] =
      1.0 - static_cast<double>(evaluated) / static_cast<double>(queries) / static_cast<double>(family->size());
  state.counters["exposed"] = static_cast<double>(exposed) / static_cast<double>(queries);
  state.counters["peak_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_AdversaryNewDirection)
    ->ArgsProduct({{50, 100, 200}, {4, 6}, {0, 1}, {400}, {1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// The same at d = 100, k = 6 with smaller tolerances: more members survive the pruning (at 50,
// 1.18e7 of 1.19e9 for GD's gradient), on one thread and on two (the program's default: all cores).
BENCHMARK(BM_AdversaryNewDirection)->ArgsProduct({{100}, {6}, {0, 1}, {100, 50, 30}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  sq::retain_freed_memory();  // as the sqsim program does (sq/memory.hpp)
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
