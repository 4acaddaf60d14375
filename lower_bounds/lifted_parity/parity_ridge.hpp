// E[h(w.x) chi_T(sign x)] for x ~ N(0, I_d), any piecewise-smooth h of polynomial growth and any
// set T of coordinates: the part of a one-direction query g(w.x, y) that a lifted parity moves
// (h(z) = g(z, 1) - g(z, 0); DESIGN.md, "Answering any one-direction query").
//
// The identity used (derived in parity_ridge.cpp, tested against Monte Carlo, closed forms and
// ParityCorrelation): with m = |T|, a_i = w_i^2 (i in T), sigma^2 = |w_{T^c}|^2 and
// V(s) = sigma^2 + sum_i a_i (1 - s_i^2) for s uniform on [0, 1]^m,
//   E[h(w.x) chi_T] = (2/pi)^{m/2} (prod_{i in T} w_i) E_s[F_m(V(s))],
//   F_m(V) = V^{-m/2} G_m(sqrt V),   G_m(tau) = E[h(tau Z) He_m(Z)],  Z ~ N(0, 1).
// F_m depends on the query alone and is tabulated once per query (piecewise Chebyshev on dyadic
// panels in V, built on first use); E_s is a Gauss rule for the law of V (the product rule of each
// 1 - s_i^2, compressed after each convolution), exact for polynomials in V of degree 2n - 1.
// Each member then costs O(m n^3) flops and n table look-ups, no call of h.
#pragma once

#include "sqsim/sq/query.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <tuple>
#include <vector>

namespace sqsim::lower_bounds {

using sq::Vector;

class ParityRidge {
 public:
  // h: the function of z = w.x; breakpoints: the z where h may jump or kink (0 is always one).
  // max_norm: the largest |w| the answers will be asked at (the tables cover V <= max_norm^2).
  // max_order: the largest |T| + 1 asked (E[h' chi_T] needs level |T| + 1).
  ParityRidge(std::function<double(double)> h, std::vector<double> breakpoints, double max_norm, int max_order);
  ~ParityRidge();
  ParityRidge(const ParityRidge&) = delete;
  ParityRidge& operator=(const ParityRidge&) = delete;

  // E[h(w.x) chi_T(sign x)], T: distinct coordinates (any order), 1 <= |T| <= max_order.
  double mixed(const Vector& w, std::span<const int> T) const;
  // E[h'(w.x) chi_T(sign x)] (h' in the distributional sense), |T| + 1 <= max_order.
  double mixed_derivative(const Vector& w, std::span<const int> T) const;
  // E[h(w.x) x chi_S(sign x)] as a d-vector, by Stein's identity: w_j E[h' chi_S] for j not in S,
  // plus 2 phi(0) E[h(w^{(j)}.x) chi_{S \ j}] (w^{(j)}: w with w_j = 0) for j in S.
  Vector mixed_vector(const Vector& w, std::span<const int> S) const;
  // c . E[h(w.x) x chi_S] without forming the vector.
  double mixed_linear(const Vector& w, std::span<const int> S, const Vector& c) const;

  // Bounds for pruning (derived in parity_ridge.cpp), with rho = |w_T|^2 / |w|^2:
  //   |E[h(w.x) chi_T]| <= tail_even(k) rho^{k/2} for even k = |T|;
  //   |v . E[h(w.x) x chi_S]| <= tail(k - 1) sqrt(B_k(rho)) for every unit v,
  //   B_k(rho) = max(rho^{k-1}, max_{l >= k+1} rho^{l-1} (rho + l (1 - rho))) (<= 1);
  // tail(l) = ||h_{>= l}|| and tail_even(l) = ||(h_even)_{>= l}|| in L2(N(0, |w|^2)) at |w| = norm, rounded up.
  double tail(double norm, int level) const;
  double tail_even(double norm, int level) const;
  static double vector_bound_factor(int k, double rho);  // sqrt(B_k(rho))

  // Sharper, level by level (parity_ridge.cpp): with h^_l the normalised Hermite coefficients of
  // h(|w| t) and W_l, V_l the Hermite weights of chi_S and of |x_i| chi_{S \ i} at level l,
  //   |E[h chi_S]| <= sum_l |h^_l| sqrt(W_l rho^l) (+ a Cauchy–Schwarz tail beyond level 64),
  //   |v . E[h x chi_S]| <= sum_l |h^_l| sqrt(V_l rho^l + l (1 - rho) rho^{l-1} W_{l-1}) (+ tail).
  // Both increase with rho. Built once per (norm, k); the functions returned keep what they need.
  std::function<double(double)> scalar_bound(double norm, int k) const;
  std::function<double(double)> vector_bound(double norm, int k) const;

  // The same answers as a Hermite series, for the exposure scan (parity_ridge.cpp derives it): with
  // u = w/|w| and P(t) = prod_{i in S} erf(t u_i / sqrt 2) = E[chi_S e^{t u.x - t^2/2}],
  //   E[h(w.x) chi_S] = sum_l h^_l sqrt(l!) [t^l] P(t),
  // truncated at level 64; `error` bounds what is left out (the levels beyond, as in the bounds
  // above), the quadrature of h^_l and rounding. O(k 64^2) flops per member, no call of h: far
  // cheaper than mixed() when |w_S| is near |w| (where mixed() needs its largest rules).
  // h(|w| t)'s Hermite coefficients below level 64 (as computed, and their sizes rounded up) and the
  // norm of the rest, rounded up: what every bound and the series need, integrated once per |w|.
  struct Spectrum {
    std::vector<double> coefficient;  // |h^_l|, rounded up
    std::vector<double> value;        // h^_l
    double tail = 0.0;                // ||h_{>= 64}||
  };
  std::shared_ptr<const Spectrum> spectrum(double norm, bool even = false) const;  // the last few kept

  struct Estimate {
    double value = 0.0, error = 0.0;
  };
  class Series {
   public:
    Series(const ParityRidge& ridge, double norm, int k);
    // E[h(w.x) chi_S] for w = norm * u, |u| = 1, |S| = k.
    Estimate scalar(const Vector& u, std::span<const int> S) const;
    // c . E[h(w.x) x chi_S].
    Estimate linear(const Vector& u, std::span<const int> S, const Vector& c) const;
    // E[h(w.x) x chi_S]; the error bounds the l2 (so also the max) norm of the difference.
    Vector vector(const Vector& u, std::span<const int> S, double* error) const;
    // Bounds on |E[h(w.x) chi_S]| and |E[h(w.x) x chi_S]| (l2) in O(k + 64) flops: the bounds above
    // level by level, each level also bounded through prod_{i in S} |u_i| (every coefficient of P
    // carries it), which rules out most members whose weight rho_S is spread unevenly.
    double scalar_bound(const Vector& u, std::span<const int> S) const;
    double vector_bound(const Vector& u, std::span<const int> S) const;
    // vector_bound, or a value in [vector_bound, floor] when a cheaper bound (the product branch of
    // every level, tabulated in rho) already stays at or below floor: a scan that only asks "is it
    // at most floor?" skips the level-by-level sum for most members.
    double vector_bound(const Vector& u, std::span<const int> S, double floor) const;

   private:
    double linear_rounding(const Vector& u, std::span<const int> S, const std::function<double(int)>& weight, double uc, double rho) const;
    std::vector<double> coefficient_;            // h^_l sqrt(l!), l < 64
    std::vector<double> size_, root_factorial_;  // |h^_l| rounded up; sqrt(l!)
    std::vector<double> root_W_, V_, W_;         // level weights of chi_S (square roots), of |x_i| chi_{S \ i}, of chi_S
    double absolute_sum_ = 0.0;                  // sum_l |h^_l|: scales the rounding
    double quadrature_ = 0.0;                    // relative accuracy of h^_l
    double scalar_tail_ = 0.0, vector_tail_ = 0.0;
    double scale_ = 0.0;  // (2/pi)^{k/2}
    int k_ = 0;
    // The product branch summed over the levels, as functions of rho at rho = j / kGrid (each
    // increasing in rho, so the next grid point above bounds it): sum_l |h^_l| sqrt(l!) t_{m-1}, the
    // same with t_m (t_m = (rho/2)^m / m!), and the tail beyond the levels.
    static constexpr int kGrid = 1024, kExactLevels = 2;
    std::vector<double> along_sum_, across_sum_, tail_sum_;
  };

 private:
  struct Tables;
  std::function<double(double)> h_, regular_;  // h, and h - jump sign(z) - kink |z|
  double jump_ = 0.0, kink_ = 0.0;             // of h at 0 (one-sided differences)
  std::vector<double> breakpoints_;
  double max_norm2_ = 0.0;
  int max_order_ = 0;
  std::unique_ptr<Tables> tables_;
  mutable std::mutex spectra_mutex_;
  mutable std::vector<std::tuple<double, bool, std::shared_ptr<const Spectrum>>> spectra_;
  // E_s[F_level(V(s))], of h or of its regular part.
  double expectation(std::span<const double> a, double sigma2, int level, bool regular) const;
  // Whether V comes near 0 (sigma^2 < |w|^2 / 4): then h's jump and kink at 0 are handled in closed form.
  template <class Split>
  static bool singular(const Split& s) {
    double total = s.sigma2;
    for (int i = 0; i < s.m; ++i) total += s.a[static_cast<std::size_t>(i)];
    return s.sigma2 < 0.25 * total;
  }
};

}  // namespace sqsim::lower_bounds