// Oracles for the lifted sparse parity family: the exact oracle of one member D_S, and the
// adversarial oracle that answers every query with its reference value E_{D0}[q] while recording
// which members the answer would have been wrong for.
#pragma once

#include "lower_bounds/parity_queries.hpp"
#include "oracles/perturbation.hpp"
#include "sq/oracle.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace lower_bounds {

// Exact answers under D_S, perturbed within the tolerance (worst-case: toward the D0 answer).
class ParityOracle : public sq::Oracle {
 public:
  ParityOracle(const LiftedParity& family, Subset member, oracles::Perturbation perturbation = oracles::Perturbation::truthful,
               std::uint64_t seed = 1);
  Eigen::Index dimension() const override { return family_.params().d; }
  std::string name() const override;
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

 private:
  const LiftedParity& family_;
  Subset member_;
  oracles::Perturber perturber_;
};

struct AdversaryParams {
  std::uint64_t max_enumerated = 10'000'000;  // enumerate all C(d, k) members up to this many
  std::uint64_t subfamily_size = 100'000;     // otherwise track a seeded random sub-family of this size
  std::uint64_t seed = 1;
  int threads = 0;                            // 0: all hardware threads; results never depend on it
  void validate() const;
};

class AdversarialOracle : public sq::Oracle {
 public:
  AdversarialOracle(const LiftedParity& family, AdversaryParams params = {});
  Eigen::Index dimension() const override { return family_.params().d; }
  std::string name() const override { return "adversarial"; }
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

  struct QueryRecord {
    std::string name;
    double tolerance = 0.0;
    std::uint64_t exposed = 0;        // members for which this answer is off by more than the tolerance
    std::uint64_t newly_exposed = 0;  // ... and that no earlier answer had exposed
    double largest_deviation = 0.0;   // max over members of |E_{D_S}[q] - E_{D0}[q]| (norm for vectors)
    ParityQuery query;                // to re-check answers once a member is chosen
    sq::QueryKind kind = sq::QueryKind::l2;
    sq::VectorNorm norm = sq::VectorNorm::l2;
  };
  const std::vector<QueryRecord>& records() const { return records_; }

  bool enumerates_all() const { return enumerated_all_; }
  std::uint64_t tracked_members() const { return tracked_; }
  std::uint64_t exposed_members() const { return exposed_count_; }
  std::uint64_t consistent_members() const { return tracked_ - exposed_count_; }
  // The tracked members no answer has exposed, in rank order (at most `limit`).
  std::vector<Subset> consistent(std::uint64_t limit) const;
  Subset member(std::uint64_t index) const;
  // The index of a sorted subset among the tracked members, if it is one.
  std::optional<std::uint64_t> index_of(const Subset& sorted) const;

  // Over the tracked members at the unit direction u: max |R_S(u)| and max |grad R_S(u)| (l2).
  // Every loss or gradient query on the ray of u moves a member by at most (1 - 2 eta) |w| max|R| /
  // scale, respectively (1 - 2 eta)/2 max|grad R| / scale.
  std::pair<double, double> largest_correlations(const Vector& direction);

 private:
  // Applies `deviation_exceeds(member_index, subset)` to every tracked member; returns the count.
  void expose(QueryRecord& record, const std::function<double(std::uint64_t, const Subset&)>& deviation,
              const std::function<bool(double)>& exceeds);
  // Marks the members whose value in `sorted` (descending, by `order`) times factor exceeds the
  // tolerance: only the exposed prefix is visited.
  void expose_sorted(QueryRecord& record, const std::vector<std::uint64_t>& order, const std::vector<double>& values,
                     double factor, double tolerance, const std::function<bool(double)>& exceeds);
  void ensure_direction(const Vector& direction);
  const double* cached_parts(std::uint64_t index) const;

  const LiftedParity& family_;
  AdversaryParams params_;
  bool enumerated_all_ = true;
  std::uint64_t tracked_ = 0;
  std::vector<Subset> subfamily_;      // when not enumerating all
  std::vector<std::uint8_t> exposed_;
  std::uint64_t exposed_count_ = 0;
  std::vector<QueryRecord> records_;
  // Per-member [R_S, C_S, dR/dw_j for j in S] at a unit direction: every loss or gradient query on
  // the same ray reuses it (R_S is 1-homogeneous and its gradient 0-homogeneous in w).
  std::optional<Vector> cached_direction_;
  std::vector<double> cache_;
  // At the cached direction: |R_S|, |grad R_S| in l2 and linf, and member orders sorting each descending.
  std::vector<double> abs_value_, gradient_l2_, gradient_linf_;
  std::vector<std::uint64_t> by_value_, by_gradient_l2_, by_gradient_linf_;
};

}  // namespace lower_bounds
