// The queries the lifted-parity oracles can answer exactly, recognised by their closed-form tags:
// the square loss and its (half) gradient at any w, as one vector or by coordinates, and the
// parity correlation y * chi_T(sign x). Anything else is refused, never sampled.
#pragma once

#include "lower_bounds/lifted_parity.hpp"
#include "sq/query.hpp"

#include <optional>

namespace lower_bounds {

struct ParityQuery {
  enum class Shape { loss, half_gradient, parity_character };
  Shape shape = Shape::loss;
  Vector w;                        // loss and gradients: the point
  double scale = 1.0;              // the query is the tagged function divided by scale
  std::optional<Vector> factor;    // scalar gradient query: c . (half gradient)
  Subset subset;                   // parity_character: sorted T
  bool vector = false;

  // E_{D0}[q] and E_{D0}[q^2] (vector: the largest coordinate), exactly.
  double reference_value() const;
  Vector reference_vector() const;
  double reference_second_moment() const;
};

ParityQuery recognize(const sq::ScalarQuery& query, Eigen::Index d);
ParityQuery recognize(const sq::VectorQuery& query, Eigen::Index d);

// Checks the declared bound (|h| <= 1 is exact for parity characters; L2 via the D0 second
// moment) and throws QueryRefused naming the query.
void check_bound(const ParityQuery& q, const std::string& name, sq::QueryKind kind);

// E_{D_S}[q] - E_{D0}[q] for member S, from R_S and its gradient (see LiftedParity).
double member_deviation(const ParityQuery& q, const LiftedParity& family, const Subset& member);
Vector member_deviation_vector(const ParityQuery& q, const LiftedParity& family, const Subset& member);

}  // namespace lower_bounds
