// The typed queries of parity learning on sign(x): a character chi_T(sign x) = prod_{j in T} sign(x_j)
// correlated with the label, and a normalised sum of characters over a set of k-subsets given as
// colex rank ranges (group testing).
#pragma once

#include "sqsim/queries/subsets.hpp"
#include "sqsim/sq/query.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqsim::queries {

using sq::Vector;

// y chi_T(sign x): a correlational query (|chi_T| = 1). T sorted, distinct, in [0, d); T may be empty (q = y).
struct Character {
  static constexpr std::string_view type_name = "character";
  Eigen::Index dimension = 1;
  Subset subset;
  sq::QueryKind kind() const { return sq::QueryKind::correlational; }
  std::string name() const;
  sq::RidgeForm ridge() const;
  void validate() const;
};

// A half-open range [begin, end) of colex ranks of k-subsets of [d].
using RankRange = std::pair<std::uint64_t, std::uint64_t>;

// q_A = (2y - 1) sum_{T in A} chi_T(sign x) / N, A = the k-subsets whose colex ranks lie in the
// (sorted, disjoint, non-empty) ranges. N = sqrt(|A|) (l2): with y independent of x and
// E[(2y - 1)^2] <= 1 (y in [0, 1]) the characters are orthonormal, so E_D0[q_A^2] <= 1, an l2 query.
// N = |A| (stat): |q_A| <= 1 everywhere, a STAT query, which a member moves only by (1 - 2 eta)/|A|.
// Evaluated in O(d k) per point by a prefix recursion over the colex order, whatever |A| is.
struct CharacterSum {
  static constexpr std::string_view type_name = "character_sum";
  enum class Normalization { l2, stat };
  Eigen::Index dimension = 1;
  int order = 2;  // k
  std::vector<RankRange> ranges;
  Normalization normalization = Normalization::l2;
  sq::QueryKind kind() const { return normalization == Normalization::l2 ? sq::QueryKind::l2 : sq::QueryKind::stat; }
  double norm() const;  // N
  std::string name() const;
  double evaluate(const Vector& x, double y) const;
  std::uint64_t size() const;  // |A|
  bool contains(std::uint64_t rank) const;
  void validate() const;
};

sq::ScalarQuery character(Eigen::Index dimension, Subset subset);
sq::ScalarQuery character_sum(Eigen::Index dimension, int order, std::vector<RankRange> ranges,
                              CharacterSum::Normalization normalization = CharacterSum::Normalization::l2);

// The unit direction on T along which a ReLU correlates positively with chi_T (k = |T| even):
// all entries +1/sqrt(k) when k = 2 mod 4, the first one negated when k = 0 mod 4.
Vector parity_relu_direction(Eigen::Index dimension, const Subset& subset);

// sum over the k-subsets T of [d] with colex rank < r of prod_{j in T} s_j (s_j = +-1), in O(d k).
double character_prefix_sum(const std::vector<double>& signs, int order, std::uint64_t r);

}  // namespace sqsim::queries