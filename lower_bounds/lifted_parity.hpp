// The lifted sparse parity family D_{S, eta} (DESIGN.md, "Hard families"): x = b (.) |g| ~ N(0, I_d)
// with b = sign(x) uniform, and y = (1 + chi_S(b) xi)/2 in {0, 1}, P[xi = -1] = eta, so
//   E[y | x] = 1/2 + (1 - 2 eta) chi_S(sign x) / 2.
// The reference D0 has y ~ Bernoulli(1/2) independent of x. The learner is proper, |w| <= 1.
#pragma once

#include "lower_bounds/parity_correlation.hpp"
#include "lower_bounds/subsets.hpp"

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <string>

namespace lower_bounds {

struct LiftedParityParams {
  int d = 50;
  int k = 4;           // even, 2..16: for odd k every ReLU is uncorrelated with the parity
  double noise = 0.0;  // eta in [0, 1/2)
  void validate() const;
};

// Population facts of the family (the same for every member S).
struct LiftedParityFacts {
  double rho = 0.0;    // rho_k = max_{|u| = 1} E[relu(u.x) chi_S(sign x)], at u = s (.) 1_S / sqrt(k)
  double opt0 = 0.0;   // min_{|w| <= 1} loss under D0 = 1/2 - 1/(4 pi), at |w| = 1/sqrt(2 pi)
  double optS = 0.0;   // min_{|w| <= 1} loss under D_S
  double gap = 0.0;    // opt0 - optS = Theta(rho_k)
  double optimal_norm = 0.0;  // |w*| of D_S's optimum
};

class LiftedParity {
 public:
  explicit LiftedParity(LiftedParityParams params);
  const LiftedParityParams& params() const { return params_; }
  double signal() const { return 1.0 - 2.0 * params_.noise; }  // 1 - 2 eta
  std::uint64_t family_size() const { return binomial_saturating(params_.d, params_.k); }

  const LiftedParityFacts& facts() const { return facts_; }
  // The optimal hypothesis of member S: |w*| times the signed direction on S.
  Vector optimal_w(const Subset& member) const;

  // Exact population quantities of member S (empty S: the reference D0).
  double loss(const Vector& w, const Subset& member) const;            // E[(relu(w.x) - y)^2]
  Vector half_gradient(const Vector& w, const Subset& member) const;   // E[(relu(w.x) - y) relu'(w.x) x]
  static double reference_loss(const Vector& w);
  static Vector reference_half_gradient(const Vector& w);

  // One sample (x, y) of member S.
  double sample(boost::random::mt19937_64& engine, const Subset& member, Eigen::Ref<Vector> x) const;

 private:
  LiftedParityParams params_;
  LiftedParityFacts facts_;
};

// The signs of the optimal direction on S: all +1 when k = 2 mod 4, one -1 when k = 0 mod 4, so
// that R_S is positive there.
Vector signed_parity_direction(int d, const Subset& member);

}  // namespace lower_bounds
