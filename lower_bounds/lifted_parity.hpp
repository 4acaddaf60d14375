// The lifted sparse parity family D_{S, eta} (DESIGN.md, "Hard families"): x = b (.) |g| ~ N(0, I_d)
// with b = sign(x) uniform, and y = (1 + chi_S(b) xi)/2 in {0, 1}, P[xi = -1] = eta, so
//   E[y | x] = 1/2 + (1 - 2 eta) chi_S(sign x) / 2.
// The reference D0 has y ~ Bernoulli(1/2) independent of x. The learner is proper, |w| <= 1.
//
// Exact answers (lifted_parity_answers.cpp): every ridge query in one direction w, scalar g(w.x, y),
// g(w.x, y) c.x or vector g(w.x, y) x, whatever g (a user's own, with its breakpoints), and the
// typed queries (square_loss, half_gradient, surrogate_gradient, label_correlation,
// relu_correlation, threshold_correlation, thresholded_label_correlation, character,
// character_sum). Under D_S a query moves by (1 - 2 eta)/2 E[h(w.x) chi_S] (times x for vectors)
// with h(z) = g(z, 1) - g(z, 0): for the ReLU queries R_S(w) or its gradient in closed form
// (parity_correlation.hpp), for any other g through ParityRidge. Queries in two or more directions
// are refused (never approximated).
#pragma once

#include "lower_bounds/hard_family.hpp"
#include "lower_bounds/parity_correlation.hpp"
#include "lower_bounds/parity_ridge.hpp"

#include <array>
#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace lower_bounds {

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

// A member's |deviation| (or a bound on it when that is <= tolerance), given a floor: it may return
// any value in [its bound, floor] when it can show the bound is at most floor (what the exposure scan
// reports as the largest is then unchanged: it starts at floor).
using LiftedParityMemberDeviation = std::function<double(const std::vector<int>& subset, double floor)>;

class LiftedParity : public HardFamily {
 public:
  explicit LiftedParity(LiftedParityParams params);
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
  double sample(boost::random::mt19937_64& engine, const Subset& member, Eigen::Ref<Vector> x) const override;

  double reference_answer(const sq::ScalarQuery& query) const override;
  Vector reference_answer(const sq::VectorQuery& query) const override;
  double member_answer(const sq::ScalarQuery& query, const Subset& member) const override;
  Vector member_answer(const sq::VectorQuery& query, const Subset& member) const override;
  void check_bound(const sq::ScalarQuery& query) const override;
  void check_bound(const sq::VectorQuery& query) const override;
  std::string answers() const override;
  Exposure expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among, int threads) override;
  Exposure expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among,
                  int threads) override;
  LossPin loss_pin(const Vector& w) const override;  // square_loss(w, 2): factor 2
  // Exposure visits only the members a query can expose and stores them sparsely: track them all.
  std::uint64_t exact_tracking_limit() const override { return std::numeric_limits<std::uint64_t>::max(); }

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
  // What the last pruned exposure scan did: the rho it started at and how many members it evaluated.
  struct PruneStats {
    double threshold_rho = 0.0;
    std::uint64_t candidates = 0;
  };
  PruneStats last_prune() const { return last_prune_; }

  // R_S and its gradient parts at w for one member (zero at w = 0), memoised by direction.
  ParityCorrelation::Parts correlation(const Vector& w, const Subset& member) const;
  // Over the members of `among` at the direction u: max |R_S(u/|u|)| and max |grad R_S(u)| (l2).
  // Every loss or gradient query on the ray of u moves a member by at most (1 - 2 eta) |w| max|R| /
  // scale, respectively (1 - 2 eta)/2 max|grad R| / scale. Evaluates every member of `among` (at most 10^7).
  std::pair<double, double> largest_correlations(const Vector& direction, const MemberSet& among, int threads);

 private:

  LiftedParityParams params_;
  FamilyFacts facts_;
  double optimal_norm_ = 0.0;
  mutable std::mutex memo_mutex_;
  mutable std::vector<std::tuple<Vector, Subset, ParityCorrelation::Parts>> memo_;
  // A copy of the query keeps its ridge form alive, so the form's address identifies it.
  struct RidgeEntry {
    const sq::RidgeForm* form = nullptr;
    std::shared_ptr<const void> keep;
    std::shared_ptr<const ParityRidge> ridge;
  };
  std::shared_ptr<const ParityRidge> ridge_for(const sq::RidgeForm* form, std::shared_ptr<const void> keep) const;
  // A typed ReLU query's deviation is factor * key(S) with key fixed by the ray (|R_S|, |grad R_S| in
  // l2 or max norm): on a ray already scanned, its members sorted by key make each exposure a prefix.
  struct RayKey {
    int kind = 0;  // 0: |R_S|, 1: |grad R_S|_2, 2: |grad R_S|_inf
    double factor = 0.0;
    std::function<double(const Subset&)> key;
  };
  // Bounds on a member's deviation by rho_S, increasing in rho: `simple` (Hermite levels up to k, cheap)
  // and `sharp` (level by level), built only when the simple one lets the heaviest member through.
  struct RhoBounds {
    std::function<double(double)> simple;
    std::function<std::function<double(double)>()> sharp;
    // Optional: the smallest rho at which simple (sharp) exceeds a tolerance, from a memo; else bisected.
    std::function<double(bool sharp, double tolerance)> threshold;
    // factor times the bounds of ParityRidge at |w| = norm: scalar (tail_even, scalar_bound) or, when
    // linear, vector (tail, vector_bound).
    static RhoBounds of(std::shared_ptr<const ParityRidge> ridge, double norm, int k, double factor, bool linear);
  };
  // The bounds of a RayKey's key by rho_S and per member, at factor 1: built once per family (key_bounds).
  struct KeyBounds {
    std::function<double(double)> simple, sharp;
    std::unique_ptr<const ParityRidge::Series> series;
    bool gradient = false;
    double member_bound(const Vector& u, std::span<const int> S) const;
    // member_bound, or a value in [member_bound, floor] found more cheaply (Series::vector_bound's floor).
    double member_bound(const Vector& u, std::span<const int> S, double floor) const;
    // threshold_rho of factor * simple (sharp), memoised: the same bisection, once per (factor, tolerance).
    double threshold(bool sharp, double factor, double tolerance) const;
    struct Threshold {
      bool sharp = false;
      double factor = 0.0, tolerance = 0.0, rho = 0.0;
    };
    mutable std::mutex mutex;
    mutable std::vector<Threshold> thresholds;
  };
  const KeyBounds& key_bounds(int kind) const;
  // largest_correlations over the whole family, visiting only the members that can reach the maxima.
  std::pair<double, double> heaviest_correlations(const ParityCorrelation& correlation, int threads) const;
  Exposure pruned_exposure(const sq::RidgeForm& form, double tolerance, const MemberSet& among, int threads,
                           const LiftedParityMemberDeviation& deviation, const RhoBounds& bounds, PruneStats* stats,
                           const RayKey* ray_key = nullptr);
  struct ClosedForm;
  // The exposure of a typed ReLU query (deviation = factor * key(S)), bounded through key_bounds.
  Exposure keyed_exposure(const sq::RidgeForm& form, const RayKey& ray_key, std::shared_ptr<const ClosedForm> closed, double tolerance,
                          const MemberSet& among, int threads);
  mutable std::array<std::once_flag, 2> key_bounds_once_;
  mutable std::array<KeyBounds, 2> key_bounds_;
  // The candidates of the last pruned scan (direction as u^2, members with their rho), for the next
  // queries on the same ray: they need only the members above their own, higher threshold.
  struct CandidateCache {
    static constexpr std::size_t kMaxKept = 1'000'000;  // 40 MB; beyond, the ray's later queries search again
    Vector direction;
    MemberSet among;
    double cut = 2.0;
    int part = 0, parts = 1;  // this process's part of the heavy members
    std::vector<std::uint64_t> index;
    std::vector<int> subsets;
    std::vector<double> rho;
    bool complete = false;  // every candidate was kept
    // Per RayKey kind, once asked: (key, position in index) by decreasing key.
    std::array<std::vector<std::pair<double, std::uint32_t>>, 3> by_key;
    std::array<bool, 3> keyed{};
  };
  CandidateCache candidates_;
  PruneStats last_prune_;
  // R_S and its gradient at one direction, with each member's parts kept (up to 2^20 members).
  struct ClosedForm {
    static constexpr std::size_t kMaxCached = std::size_t{1} << 20;
    explicit ClosedForm(const Vector& u) : correlation(u) {}
    ParityCorrelation correlation;
    mutable std::shared_mutex mutex;
    mutable std::unordered_map<std::uint64_t, ParityCorrelation::Parts> cache;
    mutable std::atomic<bool> filled{false};  // cache is not empty, readable without the lock
    ParityCorrelation::Parts parts(const Subset& s) const;
    bool cached(const Subset& s) const;
  };
  std::shared_ptr<const ClosedForm> closed_form_at(const Vector& u);
  std::shared_ptr<const ClosedForm> closed_;
  mutable std::mutex ridge_mutex_;
  mutable std::vector<RidgeEntry> ridges_;
};

}  // namespace lower_bounds
