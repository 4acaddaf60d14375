// The lifted sparse parity family D_{S, eta} (DESIGN.md, "Hard families"): x = b (.) |g| ~ N(0, I_d)
// with b = sign(x) uniform, and y = (1 + chi_S(b) xi)/2 in {0, 1}, P[xi = -1] = eta, so
//   E[y | x] = 1/2 + (1 - 2 eta) chi_S(sign x) / 2.
// The reference D0 has y ~ Bernoulli(1/2) independent of x. The learner is proper, |w| <= 1.
//
// Exact answers (answers.cpp): every ridge query in one direction w, scalar g(w.x, y),
// g(w.x, y) c.x or vector g(w.x, y) x, whatever g (a user's own, with its breakpoints), and the
// typed queries (square_loss, half_gradient, surrogate_gradient, label_correlation,
// relu_correlation, threshold_correlation, thresholded_label_correlation, character,
// character_sum). Under D_S a query moves by (1 - 2 eta)/2 E[h(w.x) chi_S] (times x for vectors)
// with h(z) = g(z, 1) - g(z, 0): for the ReLU queries R_S(w) or its gradient in closed form
// (parity_correlation.hpp), for any other g through ParityRidge. Queries in two or more directions
// are refused (never approximated).
#pragma once

#include "sqsim/lower_bounds/exposure.hpp"
#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"

#include <memory>
#include <optional>
#include <utility>

namespace sqsim::lower_bounds {

class KeyBounds;
struct LiftedParityCaches;  // caches.hpp

struct LiftedParityParams {
  int d = 50;
  int k = 4;           // even, 2..16: for odd k every ReLU is uncorrelated with the parity
  double noise = 0.0;  // eta in [0, 1/2)
  void validate() const;
};

// An untyped ridge query whose directions are all zero looks at x only through its linear factor
// (or the x of a vector query): q = g(0, y) [c.x | x]. Its label-only part has the same law under
// every member (y ~ Bernoulli(1/2)), and E_S[chi_S x_j] = 0 for k >= 2, so every member answers it
// as D0 does: E = (g(0,0) + g(0,1))/2 without a factor, 0 with one; E_D0[q^2] = (g0^2 + g1^2)/2
// (times |c|^2). std::nullopt for any other query.
struct LabelOnlyQuery {
  double g0 = 0.0, g1 = 0.0;
  std::optional<Vector> factor;
  double mean() const { return factor ? 0.0 : 0.5 * (g0 + g1); }
  double second() const { return 0.5 * (g0 * g0 + g1 * g1) * (factor ? factor->squaredNorm() : 1.0); }
};
std::optional<LabelOnlyQuery> label_only(const sq::RidgeForm* form);

class LiftedParity : public HardFamily {
 public:
  explicit LiftedParity(LiftedParityParams params);
  ~LiftedParity() override;
  static std::shared_ptr<LiftedParity> make(LiftedParityParams params) { return std::make_shared<LiftedParity>(params); }
  const LiftedParityParams& params() const { return params_; }
  double signal() const { return 1.0 - 2.0 * params_.noise; }  // 1 - 2 eta

  std::string name() const override { return "lifted-parity"; }
  std::string description() const override;
  Eigen::Index dimension() const override { return params_.d; }
  int order() const override { return params_.k; }
  sq::QueryKind model() const override { return sq::QueryKind::l2; }
  // rho = max_{|u| = 1} R_S(u) (at u = parity_relu_direction); opt0 = 1/2 - 1/(4 pi) at
  // |w| = 1/sqrt(2 pi); optS at |w| = min(1, 1/sqrt(2 pi) + (1 - 2 eta) rho); beta = (1 - 2 eta)^2, gamma = 0.
  FamilyFacts facts() const override { return facts_; }
  double optimal_norm() const { return optimal_norm_; }
  Vector optimal_w(const Subset& member) const override;
  double loss(const Vector& w, const Subset& member) const override;
  double reference_loss(const Vector& w) const override;
  Vector half_gradient(const Vector& w, const Subset& member) const;  // E_S[(relu(w.x) - y) relu'(w.x) x]
  static Vector reference_half_gradient(const Vector& w);
  double sample(sq::Engine& engine, const Subset& member, Eigen::Ref<Vector> x) const override;

  double reference_answer(const sq::ScalarQuery& query) const override;
  Vector reference_answer(const sq::VectorQuery& query) const override;
  double member_answer(const sq::ScalarQuery& query, const Subset& member) const override;
  Vector member_answer(const sq::VectorQuery& query, const Subset& member) const override;
  void check_bound(const sq::ScalarQuery& query) const override;
  void check_bound(const sq::VectorQuery& query) const override;
  std::string answers() const override;
  bool concurrent_answers() const override { return true; }
  // LiftedParityExposure (lifted_parity_exposure.hpp): pruned by rho_S, every member tracked.
  std::unique_ptr<ExposureStrategy> exposure() const override;
  LossPin loss_pin(const Vector& w) const override;  // square_loss(w, 2): factor 2

  // E_S[q] - E_D0[q] (member_answer is reference_answer plus this).
  double deviation(const sq::ScalarQuery& query, const Subset& member) const;
  Vector deviation(const sq::VectorQuery& query, const Subset& member) const;
  // The query's h(z) = g(z, 1) - g(z, 0) through ParityRidge, kept for the last few one-direction
  // queries (its tables are built once per query); nullptr unless the query is a ridge query in one
  // nonzero direction.
  std::shared_ptr<const ParityRidge> ridge(const sq::ScalarQuery& query) const;
  std::shared_ptr<const ParityRidge> ridge(const sq::VectorQuery& query) const;
  // The one-direction form of a query no closed form covers (a user's g; a threshold correlation
  // away from 0), whose deviation is (1 - 2 eta)/2 times ParityRidge's mixed term; nullptr otherwise.
  static const sq::RidgeForm* generic_form(const sq::ScalarQuery& query);
  static const sq::RidgeForm* generic_form(const sq::VectorQuery& query);
  // The bounds of |R_S(u)| (kind 0) and |grad R_S(u)| (kind 1) by rho_S and per member at |u| = 1,
  // built on first use (key_bounds.hpp).
  const KeyBounds& key_bounds(int kind) const;

  // R_S and its gradient parts at w for one member (zero at w = 0), memoised by direction.
  ParityCorrelation::Parts correlation(const Vector& w, const Subset& member) const;
  // Over the members of `among` at the direction u: max |R_S(u/|u|)| and max |grad R_S(u)| (l2).
  // Every loss or gradient query on the ray of u moves a member by at most (1 - 2 eta) |w| max|R| /
  // scale, respectively (1 - 2 eta)/2 max|grad R| / scale. Evaluates every member of `among` (at most
  // 10^7), or over the whole family only those that can reach the maxima (largest_correlations.cpp).
  std::pair<double, double> largest_correlations(const Vector& direction, const MemberSet& among, int threads) const;

 private:
  LiftedParityParams params_;
  FamilyFacts facts_;
  double optimal_norm_ = 0.0;
  // The answers' memos (correlations by direction, ParityRidge by query) and the key bounds: guarded
  // by their own locks, so that every const method may be called concurrently.
  std::unique_ptr<LiftedParityCaches> caches_;
};

}  // namespace sqsim::lower_bounds