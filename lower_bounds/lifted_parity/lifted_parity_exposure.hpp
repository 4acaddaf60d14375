// The lifted parity's exposure strategy, exactly equivalent to the exhaustive scan (tested). The
// typed queries take their fast paths, dispatched through the family's list of answered types
// (answered_types.hpp): a character moves one member, a character sum the members in its ranges,
// label-only queries none. Every other query is a ridge query in one direction u = w/|w|, whose
// deviation under member S is bounded by an increasing function of rho_S = sum_{j in S} u_j^2:
//   scalar g(w.x, y):          (1 - 2 eta)/2 ||(h_even)_{>= k}|| rho_S^{k/2}
//   g(w.x, y) c.x, g(w.x, y) x: (1 - 2 eta)/2 |c| ||h_{>= k-1}|| sqrt(B_k(rho_S))
// so the pruned scan (pruned_scan.hpp) visits only the members at or above the rho where the bound
// reaches the tolerance, evaluated exactly (the ReLU queries in closed form, any other g through
// ParityRidge). Queries in several directions go to the exhaustive scan, which refuses them.
#pragma once

#include "sqsim/lower_bounds/exposure.hpp"
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"
#include "sqsim/lower_bounds/lifted_parity/pruned_scan.hpp"

#include <limits>
#include <memory>
#include <optional>

namespace sqsim::queries {
struct SquareLoss;
struct HalfGradientCoordinate;
struct ReluCorrelation;
struct ThresholdCorrelation;
struct Character;
struct CharacterSum;
struct HalfGradient;
struct SurrogateGradient;
struct LabelCorrelation;
struct ThresholdedLabelCorrelation;
}  // namespace sqsim::queries
namespace sqsim::lower_bounds {

class LiftedParityExposure final : public ExposureStrategy {
 public:
  explicit LiftedParityExposure(const LiftedParity& family) : family_(family), exhaustive_(family), scan_(family) {}
  Exposure expose(const sq::ScalarQuery& query, double reference, double tolerance, const MemberSet& among, int threads) override;
  Exposure expose(const sq::VectorQuery& query, const Vector& reference, double tolerance, const MemberSet& among, int threads) override;
  // Exposure visits only the members a query can expose and stores them sparsely: track them all.
  std::uint64_t tracking_limit() const override { return std::numeric_limits<std::uint64_t>::max(); }
  // What the last pruned scan did: the rho it started at and how many members it evaluated.
  PruneStats last_prune() const { return scan_.last(); }

  struct ClosedForm;  // R_S and its gradient at one direction, each member's parts kept

 private:
  // One query's scan: its tolerance, the members it covers and the threads it may use.
  struct Scan {
    double tolerance = 0.0;
    const MemberSet& among;
    int threads = 1;
  };
  // The typed fast paths; std::nullopt: the query goes to the one-direction scan.
  std::optional<Exposure> typed(const queries::Character& q, const sq::ScalarQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::CharacterSum& q, const sq::ScalarQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::ThresholdCorrelation& q, const sq::ScalarQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::SquareLoss& q, const sq::ScalarQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::ReluCorrelation& q, const sq::ScalarQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::HalfGradientCoordinate& q, const sq::ScalarQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::HalfGradient& q, const sq::VectorQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::SurrogateGradient& q, const sq::VectorQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::LabelCorrelation& q, const sq::VectorQuery& query, const Scan& scan);
  std::optional<Exposure> typed(const queries::ThresholdedLabelCorrelation& q, const sq::VectorQuery& query, const Scan& scan);
  // Any one-direction ridge query: ParityRidge's series bounds the members, `deviation_of` (or, for
  // a generic form, the series and then ParityRidge) evaluates the candidates.
  Exposure one_direction(const sq::ScalarQuery& query, const sq::RidgeForm& form, std::shared_ptr<const ClosedForm> closed,
                         std::function<double(const Subset&)> deviation_of, const Scan& scan);
  Exposure one_direction(const sq::VectorQuery& query, const sq::RidgeForm& form, const Scan& scan);
  // A typed ReLU query (deviation = factor * key(S)), bounded through the family's key bounds.
  Exposure keyed(const sq::RidgeForm& form, const RayKey& ray_key, std::shared_ptr<const ClosedForm> closed, const Scan& scan);
  std::shared_ptr<const ClosedForm> closed_form_at(const Vector& u);

  const LiftedParity& family_;
  ExhaustiveExposure exhaustive_;
  PrunedScan scan_;
  std::shared_ptr<const ClosedForm> closed_;  // every query on one ray (GD under D0's answers) shares it
};

}  // namespace sqsim::lower_bounds