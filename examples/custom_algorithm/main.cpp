// Plugging your own SQ algorithm into sqsim.
//
// An algorithm is a class derived from sq::Algorithm: it sees the data only through the
// sq::QueryChannel it is given, which counts every query (the algorithm cannot). This one is the
// one-query estimator of Diakonikolas–Goel–Karmalkar–Klivans–Soltanolkotabi (COLT 2020): under
// Gaussian inputs the minimiser of the convex surrogate E[(relu(w.x) - y) x] is w = 2 E[y x],
// which is within O(opt) of the best ReLU. It is asked as one vector query g(Wᵀx, y)·x with g = y.
#include <algorithms/gradient_descent.hpp>
#include <oracles/exact_oracle.hpp>
#include <oracles/population.hpp>
#include <sq/harness.hpp>
#include <sq/random.hpp>

#include <cstdio>

class LabelCorrelation : public sq::Algorithm {
 public:
  explicit LabelCorrelation(double tolerance) : tolerance_(tolerance) {}
  std::string name() const override { return "2E[yx]"; }
  sq::Vector run(sq::QueryChannel& channel) override {
    const Eigen::Index d = channel.dimension();
    // g does not look at z, so W can be any single direction; the query is y·x.
    const auto query = sq::VectorQuery::ridge_times_x(sq::QueryKind::l2, "label_times_x", sq::Matrix::Zero(d, 1),
                                                      [](const sq::Vector&, double y) { return y; });
    const sq::Vector w = 2.0 * channel.ask(query, tolerance_);
    channel.report_iterate(w);
    return w;
  }

 private:
  double tolerance_;
};

int main() {
  const Eigen::Index d = 50;
  // Agnostic labels: the 5% of inputs where the teacher is largest are labelled 0.
  const oracles::ReluWorld world(oracles::WorldParams{oracles::LabelModel::agnostic, sq::random_unit_vector(d, 1), 0.05});
  oracles::ExactOracle oracle(world, {oracles::Perturbation::uniform, 7});
  const oracles::Population population(world);

  LabelCorrelation mine(1e-3);
  algorithms::GradientDescentParams params;
  params.tolerance = 1e-3;
  algorithms::GradientDescent gd(params);

  std::printf("%-8s %8s %10s %12s %12s %10s\n", "algorithm", "queries", "scalar-eq", "loss", "opt", "excess");
  bool ok = true;
  for (sq::Algorithm* algorithm : {static_cast<sq::Algorithm*>(&mine), static_cast<sq::Algorithm*>(&gd)}) {
    const sq::RunResult r = sq::run(*algorithm, oracle, {}, &population);
    std::printf("%-8s %8lld %10lld %12.6f %12.6f %10.2e\n", r.algorithm.c_str(), static_cast<long long>(r.spent.total_queries()),
                static_cast<long long>(r.spent.scalar_equivalent), *r.loss, *r.opt, *r.loss - *r.opt);
    ok = ok && r.status == sq::RunStatus::completed && *r.loss - *r.opt < 0.05;
  }
  return ok ? 0 : 1;
}
