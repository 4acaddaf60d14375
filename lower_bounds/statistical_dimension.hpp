// The query lower bound implied by pairwise correlations (statistical dimension).
//
// Lemma (the bounded-norm form of Feldman, Grigorescu, Reyzin, Vempala, Xiao's statistical
// dimension). Let D_1..D_m have pairwise correlations chi_{D0}(D_i, D_j) =
// E_{D0}[(D_i/D0 - 1)(D_j/D0 - 1)] with |chi| <= gamma for i != j and chi <= beta for i = j. For a
// query with E_{D0}[q^2] <= 1, the members with |E_{D_i}[q] - E_{D0}[q]| > tau number fewer than
// (beta - gamma) / (tau^2 - gamma) when tau^2 > gamma.
// Proof: delta_i = E_{D0}[q (D_i/D0 - 1)]; on the exposed set A, |A| tau^2 < sum delta_i^2 <=
// |q|^2 lambda_max(Gram_A) <= beta + (|A| - 1) gamma (Bessel, Gershgorin).
// So an oracle answering E_{D0}[q] exposes at most e = ceil((beta - gamma)/(tau^2 - gamma)) - 1
// members per query, and an algorithm that has not exposed two members cannot tell them apart:
// it needs at least ceil((m - 1) / e) queries (infinitely many if e = 0).
#pragma once

#include <cstdint>

namespace sqsim::lower_bounds {

struct QueryLowerBound {
  double family_size = 0.0;
  double beta = 0.0, gamma = 0.0, tolerance = 0.0;
  double max_exposed_per_query = 0.0;  // e above
  double queries = 0.0;                // ceil((m - 1)/e); +inf if e = 0; 0 when the lemma does not apply (tau^2 <= gamma)
  bool applies = true;
};

QueryLowerBound statistical_query_lower_bound(double family_size, double beta, double gamma, double tolerance);

}  // namespace sqsim::lower_bounds