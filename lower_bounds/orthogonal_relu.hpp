// Orthogonal ReLU networks (Goel, Gollakota, Jin, Karmalkar, Klivans, ICML 2020):
//   f_S(x) = sum_{s in {+-1}^k} (prod_i s_i) relu(s . x_S / sqrt(k)) / Z,
// odd in every coordinate of S, so E[f_S f_T] = 0 for S != T under any sign-symmetric marginal;
// Z normalises E[f_S^2] = 1. Labels are realizable: y = f_S(x). For odd k, f_S = 0 identically
// (the terms for s and -s cancel), so k must be even. The reference D0 has y = 0.
#pragma once

#include "lower_bounds/subsets.hpp"
#include "sq/oracle.hpp"

#include <cstdint>

namespace lower_bounds {

struct OrthogonalReluParams {
  int d = 20;
  int k = 4;  // even, 2..10
  void validate() const;
};

class OrthogonalRelu {
 public:
  explicit OrthogonalRelu(OrthogonalReluParams params);
  const OrthogonalReluParams& params() const { return params_; }
  std::uint64_t family_size() const { return binomial_saturating(params_.d, params_.k); }
  double normalisation() const { return norm_; }  // Z

  double label(const sq::Vector& x, const Subset& member) const;  // f_S(x)
  // E[relu(w.x) f_S(x)] and E[f_S(x) relu'(w.x) x] (relu'(0) = 1/2), exactly (arc-cosine kernel sums).
  double relu_correlation(const sq::Vector& w, const Subset& member) const;
  sq::Vector label_step_correlation(const sq::Vector& w, const Subset& member) const;
  // E[f_S f_T], from the kernel of every pair of the two networks' units.
  double correlation(const Subset& a, const Subset& b) const;

  // Loss E[(relu(w.x) - f_S)^2] and half gradient E[(relu(w.x) - f_S) relu'(w.x) x].
  double loss(const sq::Vector& w, const Subset& member) const;
  sq::Vector half_gradient(const sq::Vector& w, const Subset& member) const;

  // The best single ReLU: rho = max_{|u| = 1} E[relu(u.x) f_S] (over sign patterns on S), and
  // optS = 1 - 2 rho^2 (at w = 2 rho u); a ReLU that ignores S does no better than w = 0: opt0 = 1.
  double rho() const { return rho_; }

 private:
  OrthogonalReluParams params_;
  double norm_ = 1.0;
  double rho_ = 0.0;
};

// Exact answers under y = f_S: the square loss and its gradient (the queries of GD, a CSQ algorithm).
class OrthogonalReluOracle : public sq::Oracle {
 public:
  OrthogonalReluOracle(const OrthogonalRelu& family, Subset member);
  Eigen::Index dimension() const override { return family_.params().d; }
  std::string name() const override { return "orthogonal-relu-exact"; }
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

 private:
  const OrthogonalRelu& family_;
  Subset member_;
};

}  // namespace lower_bounds
