// Orthogonal ReLU networks (Goel, Gollakota, Jin, Karmalkar, Klivans, ICML 2020):
//   f_S(x) = sum_{s in {+-1}^k} (prod_i s_i) relu(s . x_S / sqrt(k)) / Z,
// odd in every coordinate of S, so E[f_S f_T] = 0 for S != T under any sign-symmetric marginal;
// Z normalises E[f_S^2] = 1. For odd k, f_S = 0 identically, so k must be even. Labels are
// realizable, y = f_S(x): real-valued and unbounded, so this family lives in the correlational
// model (labels in R with E[y^2] = 1), not in the [0, 1] label range of the Gaussian ReLU worlds.
//
// The reference D0: x ~ N(0, I) and y independent of x with the law of f_S(x) (the same for every
// S by symmetry). Then every correlational query h(x) y has E_D0 = E[h] E[y] = 0, label-only
// statistics (E[y^2] = 1) agree with every member, and a ReLU that ignores S does no better than
// w = 0: opt0 = min_w (|w|^2/2 + 1) = 1. (An earlier version printed opt0 = 1 while calling D0
// "y = 0", whose own optimum is 0.) optS = 1 - 2 rho^2 at w = 2 rho u (|w| <= 1), gap = 2 rho^2;
// beta = 1, gamma = 0 for correlational queries (orthonormal f_S).
//
// Exact answers for: half_gradient (vector and coordinate), surrogate_gradient, label_correlation,
// relu_correlation, character, and any correlational query h(w.x) y in one direction (a user's h
// with its breakpoints: 2^(k-1) two-dimensional integrals per member, so the adversary's exhaustive
// exposure costs C(d, k) 2^(k-1) integrals per such query). The square loss is refused: its declared bound E_D0[q^2] needs
// E[f^4], which has no closed form here; its label-dependent part is relu_correlation.
#pragma once

#include "sqsim/lower_bounds/hard_family.hpp"

#include <memory>

namespace sqsim::lower_bounds {

struct OrthogonalReluParams {
  int d = 20;
  int k = 4;  // even, 2..10
  void validate() const;
};

class OrthogonalRelu : public HardFamily {
 public:
  explicit OrthogonalRelu(OrthogonalReluParams params);
  static std::shared_ptr<OrthogonalRelu> make(OrthogonalReluParams params) { return std::make_shared<OrthogonalRelu>(params); }
  const OrthogonalReluParams& params() const { return params_; }
  double normalisation() const { return norm_; }  // Z

  std::string name() const override { return "orthogonal-relu"; }
  std::string description() const override;
  Eigen::Index dimension() const override { return params_.d; }
  int order() const override { return params_.k; }
  sq::QueryKind model() const override { return sq::QueryKind::correlational; }
  FamilyFacts facts() const override { return facts_; }
  Vector optimal_w(const Subset& member) const override;
  double loss(const Vector& w, const Subset& member) const override;  // |w|^2/2 - 2 E[relu(w.x) f_S] + 1
  double reference_loss(const Vector& w) const override;              // |w|^2/2 + 1
  double sample(sq::Engine& engine, const Subset& member, Eigen::Ref<Vector> x) const override;

  double label(const Vector& x, const Subset& member) const;  // f_S(x)
  // E[relu(w.x) f_S(x)] and E[f_S(x) relu'(w.x) x] (relu'(0) = 1/2), exactly (arc-cosine kernel sums).
  double relu_correlation(const Vector& w, const Subset& member) const;
  // E[h(w.x) f_S(x)] for the feature h of a one-direction correlational query (by 2-D integration).
  double correlational_answer(const sq::RidgeForm& form, const Subset& member) const;
  Vector label_step_correlation(const Vector& w, const Subset& member) const;
  // E[f_S f_T], from the kernel of every pair of the two networks' units.
  double correlation(const Subset& a, const Subset& b) const;
  // E[f_S chi_S(sign x)] = 2^k R_S(1_S/sqrt(k)) / Z (and 0 for chi_T, T != S).
  double character_correlation() const { return character_correlation_; }
  Vector half_gradient(const Vector& w, const Subset& member) const;  // E[(relu(w.x) - f_S) relu'(w.x) x]

  double reference_answer(const sq::ScalarQuery& query) const override;
  Vector reference_answer(const sq::VectorQuery& query) const override;
  double member_answer(const sq::ScalarQuery& query, const Subset& member) const override;
  Vector member_answer(const sq::VectorQuery& query, const Subset& member) const override;
  void check_bound(const sq::ScalarQuery& query) const override;
  void check_bound(const sq::VectorQuery& query) const override;
  std::string answers() const override;
  LossPin loss_pin(const Vector& w) const override;          // relu_correlation: L_S - L_0 = -2 (E_S - E_0)[y relu(w.x)]
  bool concurrent_answers() const override { return true; }  // answers read only immutable parameters

 private:
  OrthogonalReluParams params_;
  double norm_ = 1.0;
  double character_correlation_ = 0.0;
  FamilyFacts facts_;
};

}  // namespace sqsim::lower_bounds