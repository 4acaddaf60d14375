// k-subsets of {0, ..., d-1}: counting, ranking in colexicographic order, and enumeration. A
// subset's colex rank is sum_i C(s_i, i + 1) over its sorted elements s_0 < s_1 < ...; the subsets
// of {0, ..., m-1} are exactly the ranks [0, C(m, k)).
#pragma once

#include <cstdint>
#include <vector>

namespace sqsim::queries {

using Subset = std::vector<int>;

// C(n, k) as a double (exact up to 2^53) and as an integer, saturating at UINT64_MAX.
double binomial(int n, int k);
std::uint64_t binomial_saturating(int n, int k);

// The rank of a sorted subset in colexicographic order, and its inverse.
std::uint64_t subset_rank(const Subset& sorted);
Subset subset_unrank(std::uint64_t rank, int k);

// Advances a sorted k-subset of [d] to the next one in colex order; false (and s unchanged) after the last.
bool next_subset(Subset& s, int d);

// A seeded uniform sample of `count` distinct k-subsets of [d], sorted by rank.
std::vector<Subset> random_subsets(int d, int k, std::uint64_t count, std::uint64_t seed);

// Throws std::invalid_argument naming `parameter` unless the subset is sorted, distinct and in [0, d).
void check_subset(const Subset& subset, int d, const char* parameter);

}  // namespace sqsim::queries