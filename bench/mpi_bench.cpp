// Two processes against one (issue 13): run it under `mpirun -n 1` and `mpirun -n 2` (bench/mpi_scaling
// does both in one go and prints the ratios). Each benchmark has a fixed iteration count: every rank
// must make the same collective calls, and Google Benchmark would choose the count per process.
// Rank 0 reports; one thread per rank.
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity_exposure.hpp"
#include "sqsim/oracles/sample_oracle.hpp"
#include "sqsim/queries/relu_regression.hpp"
#include "sqsim/sq/memory.hpp"
#include "sqsim/sq/mpi_communicator.hpp"
#include "sqsim/sq/random.hpp"

#include <benchmark/benchmark.h>

#include <cmath>

using namespace sqsim;

namespace {

// A fresh-sample query: the square loss at d = 100, tau = 0.01, delta = 0.01: Chebyshev's
// m = 1 / (delta tau^2) = 10^6 samples (245 chunks of 4096), split among the ranks by chunk.
// Argument: threads per process (2 in one process is the control: what this machine gives two workers).
void BM_MpiFreshSampleQuery(benchmark::State& state) {
  const oracles::ReluWorld world(oracles::WorldParams{oracles::LabelModel::relu, sq::random_unit_vector(100, 1), 0.0});
  oracles::SampleOracle oracle(world, oracles::SampleOracleParams{0.01, 1, static_cast<int>(state.range(0))});
  const auto query = queries::square_loss(0.5 * sq::random_unit_vector(100, 2), 4.0);
  for (auto _ : state) benchmark::DoNotOptimize(oracle.answer(query, 0.01));
  state.counters["processes"] = sq::process_count();
}
BENCHMARK(BM_MpiFreshSampleQuery)->Arg(1)->Arg(2)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();

// An adversary query in a new direction at C(d, k) >= 10^8: the lifted parity at d = 100, k = 6
// (1.19e9 members), a user's g = cos(2 w.x)(2y - 1)/2, tau = (argument / 100) gap_k. The heavy-member
// enumeration runs on every rank; the candidates' evaluation is split among them.
void BM_MpiAdversaryQuery(benchmark::State& state) {
  const auto family = lower_bounds::LiftedParity::make({100, 6, 0.0});
  const double tau = static_cast<double>(state.range(0)) / 100.0 * family->facts().gap;
  const lower_bounds::MemberSet all = lower_bounds::MemberSet::all(family->size());
  lower_bounds::LiftedParityExposure scan(*family);
  std::uint64_t seed = 1;
  double evaluated = 0.0;
  for (auto _ : state) {
    const sq::Vector w = sq::random_unit_vector(100, ++seed);
    const auto q = sq::ScalarQuery::ridge_query(sq::QueryKind::l2, "cos", sq::Matrix(w),
                                                [](const sq::Vector& z, double y) { return 0.5 * std::cos(2 * z[0]) * (2 * y - 1); });
    benchmark::DoNotOptimize(scan.expose(q, family->reference_answer(q), tau, all, 1));
    evaluated += static_cast<double>(scan.last_prune().candidates);
  }
  state.counters["members"] = static_cast<double>(family->size());
  state.counters["candidates"] = evaluated / static_cast<double>(state.iterations());
  state.counters["processes"] = sq::process_count();
}
BENCHMARK(BM_MpiAdversaryQuery)->Arg(40)->Arg(10)->Iterations(6)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  sq::MpiSession session(argc, argv);
  sq::retain_freed_memory();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
