// Plugging your own SQ algorithm and your own query into sqsim, as a library.
//
// TwiceLabelCorrelation (label_correlation.hpp) runs against the exact oracle of an agnostic
// Gaussian ReLU world beside sqsim's own gradient descent; LabelMassInSlab (label_mass.hpp), a
// typed query sqsim has never heard of, is answered by the exact oracle (quadrature of its g) and
// by the sample oracle, and the two agree. Exit code 0 when everything holds.
#include "label_correlation.hpp"
#include "label_mass.hpp"

#include <sqsim/sqsim.hpp>

#include <cmath>
#include <cstdio>

using namespace sqsim;

int main() {
  const Eigen::Index d = 50;
  // Agnostic labels: the 5% of inputs where the teacher is largest are labelled 0.
  const oracles::ReluWorld world(oracles::WorldParams{oracles::LabelModel::agnostic, sq::random_unit_vector(d, 1), 0.05});
  oracles::ExactOracle oracle(world, {oracles::Perturbation::uniform, 7});
  const oracles::Population population(world);

  TwiceLabelCorrelation mine(1e-3);
  algorithms::GradientDescentParams params;
  params.tolerance = 1e-3;
  algorithms::GradientDescent gd(params);

  std::printf("%-10s %8s %10s %12s %12s %10s\n", "algorithm", "queries", "scalar-eq", "loss", "opt", "excess");
  bool ok = true;
  for (sq::Algorithm* algorithm : {static_cast<sq::Algorithm*>(&mine), static_cast<sq::Algorithm*>(&gd)}) {
    const sq::RunResult r = sq::run(*algorithm, oracle, {}, &population);
    std::printf("%-10s %8lld %10lld %12.6f %12.6f %10.2e\n", r.algorithm.c_str(), static_cast<long long>(r.spent.total_queries()),
                static_cast<long long>(r.spent.scalar_equivalent), *r.loss, *r.opt, *r.loss - *r.opt);
    ok = ok && r.status == sq::RunStatus::completed && *r.loss - *r.opt < 0.05;
  }

  // The user's typed query through two different oracles.
  const auto slab = sq::ScalarQuery::of(LabelMassInSlab{world.teacher(), 0.5, 1.0});
  const double exact = oracles::ExactOracle(world).answer(slab, 1e-9).value;
  oracles::SampleOracle sampler(world, {0.01, 3, 0});
  const double sampled = sampler.answer(slab, 0.01).value;
  std::printf("label mass in the slab |v.x| <= 0.5: exact %.6f, sampled %.6f (tau = 0.01)\n", exact, sampled);
  ok = ok && std::abs(exact - sampled) <= 0.01 && slab.as<LabelMassInSlab>() != nullptr;
  return ok ? 0 : 1;
}
