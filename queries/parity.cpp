#include "sqsim/queries/parity.hpp"

#include "sqsim/sq/errors.hpp"

#include <cmath>

namespace sqsim::queries {

std::string Character::name() const {
  std::string out = "character{";
  for (std::size_t j = 0; j < subset.size(); ++j) {
    if (j > 0) out += ',';
    out += std::to_string(subset[j]);
  }
  return out + "}";
}

void Character::validate() const {
  sq::require(dimension >= 1, "dimension", dimension, "must be at least 1");
  check_subset(subset, static_cast<int>(dimension), "character coordinate");
}

sq::RidgeForm Character::ridge() const {
  // One column per coordinate of T (a zero column when T is empty, so that W is never empty).
  const auto columns = std::max<Eigen::Index>(1, static_cast<Eigen::Index>(subset.size()));
  sq::Matrix W = sq::Matrix::Zero(dimension, columns);
  for (std::size_t j = 0; j < subset.size(); ++j) W(subset[j], static_cast<Eigen::Index>(j)) = 1.0;
  const bool empty = subset.empty();
  const auto character = [empty](const Vector& z) {
    if (empty) return 1.0;
    double sign = 1.0;
    for (Eigen::Index j = 0; j < z.size(); ++j) sign *= z[j] > 0 ? 1.0 : -1.0;
    return sign;
  };
  sq::RidgeForm form;
  form.W = std::move(W);
  form.g = [character](const Vector& z, double y) { return character(z) * y; };
  form.feature = character;
  return form;
}

std::string CharacterSum::name() const {
  return std::string(normalization == Normalization::l2 ? "character_sum" : "character_average") + "{k=" + std::to_string(order) +
         ", |A|=" + std::to_string(size()) + "}";
}

double CharacterSum::norm() const {
  const auto members = static_cast<double>(size());
  return normalization == Normalization::l2 ? std::sqrt(members) : members;
}

std::uint64_t CharacterSum::size() const {
  std::uint64_t total = 0;
  for (const auto& [begin, end] : ranges) total += end - begin;
  return total;
}

bool CharacterSum::contains(std::uint64_t rank) const {
  for (const auto& [begin, end] : ranges)
    if (rank >= begin && rank < end) return true;
  return false;
}

void CharacterSum::validate() const {
  sq::require(dimension >= 1, "dimension", dimension, "must be at least 1");
  sq::require(order >= 1 && order <= dimension, "order k", order, "must lie in [1, d]");
  const std::uint64_t members = binomial_saturating(static_cast<int>(dimension), order);
  sq::require(!ranges.empty(), "rank ranges", 0, "must name at least one subset");
  std::uint64_t previous_end = 0;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const auto& [begin, end] = ranges[i];
    sq::require(begin < end, "rank range begin", begin, "must be below its end " + std::to_string(end));
    sq::require(end <= members, "rank range end", end, "must not exceed C(d, k) = " + std::to_string(members));
    if (i > 0) sq::require(begin >= previous_end, "rank range begin", begin, "ranges must be sorted and disjoint");
    previous_end = end;
  }
}

double character_prefix_sum(const std::vector<double>& signs, int order, std::uint64_t r) {
  // prefix[m][j] = e_j(s_0, ..., s_{m-1}), the elementary symmetric sums of the first m signs.
  const int d = static_cast<int>(signs.size());
  std::vector<double> e((static_cast<std::size_t>(d) + 1) * static_cast<std::size_t>(order + 1), 0.0);
  auto at = [&](int m, int j) -> double& {
    return e[static_cast<std::size_t>(m) * static_cast<std::size_t>(order + 1) + static_cast<std::size_t>(j)];
  };
  for (int m = 0; m <= d; ++m) at(m, 0) = 1.0;
  for (int m = 1; m <= d; ++m)
    for (int j = 1; j <= order; ++j) at(m, j) = at(m - 1, j) + signs[static_cast<std::size_t>(m - 1)] * at(m - 1, j - 1);
  // Subsets with rank < r: all j-subsets of [m) for the largest m with C(m, j) <= r, then those
  // whose largest element is m, i.e. s_m times the (j-1)-subsets of [m) with rank < r - C(m, j).
  double total = 0.0, factor = 1.0;
  int j = order, limit = d;
  while (j >= 1 && r > 0) {
    int m = j - 1;
    while (m + 1 <= limit && binomial_saturating(m + 1, j) <= r) ++m;
    total += factor * at(m, j);
    if (m >= limit) break;  // r covers every j-subset of [limit)
    r -= binomial_saturating(m, j);
    factor *= signs[static_cast<std::size_t>(m)];
    limit = m;
    --j;
  }
  if (j == 0 && r > 0) total += factor;  // the empty set, rank 0
  return total;
}

double CharacterSum::evaluate(const Vector& x, double y) const {
  std::vector<double> signs(static_cast<std::size_t>(x.size()));
  for (Eigen::Index j = 0; j < x.size(); ++j) signs[static_cast<std::size_t>(j)] = x[j] > 0 ? 1.0 : -1.0;
  double sum = 0.0;
  for (const auto& [begin, end] : ranges) sum += character_prefix_sum(signs, order, end) - character_prefix_sum(signs, order, begin);
  return (2.0 * y - 1.0) * sum / norm();
}

Vector parity_relu_direction(Eigen::Index dimension, const Subset& subset) {
  Vector u = Vector::Zero(dimension);
  if (subset.empty()) return u;
  const double entry = 1.0 / std::sqrt(static_cast<double>(subset.size()));
  for (int j : subset) u[j] = entry;
  if (subset.size() % 4 == 0) u[subset.front()] = -entry;
  return u;
}

sq::ScalarQuery character(Eigen::Index dimension, Subset subset) { return sq::ScalarQuery::of(Character{dimension, std::move(subset)}); }

sq::ScalarQuery character_sum(Eigen::Index dimension, int order, std::vector<RankRange> ranges, CharacterSum::Normalization normalization) {
  return sq::ScalarQuery::of(CharacterSum{dimension, order, std::move(ranges), normalization});
}

}  // namespace sqsim::queries