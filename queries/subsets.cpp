#include "sqsim/queries/subsets.hpp"

#include "sqsim/sq/errors.hpp"

#include <boost/random/uniform_int_distribution.hpp>
#include "sqsim/sq/random.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

namespace sqsim::queries {

double binomial(int n, int k) {
  if (k < 0 || k > n) return 0.0;
  double c = 1.0;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return std::round(c);
}

namespace {
// C(n, k) for n < 20001 and k <= 17, the ranks' hot path (subset_rank, subset_unrank), built once.
constexpr int kTableRows = 20001, kTableColumns = 18;
const std::vector<std::uint64_t>& binomial_table() {
  static const std::vector<std::uint64_t> table = [] {
    std::vector<std::uint64_t> t(static_cast<std::size_t>(kTableRows) * kTableColumns, 0);
    for (int n = 0; n < kTableRows; ++n) {
      t[static_cast<std::size_t>(n) * kTableColumns] = 1;
      for (int k = 1; k < kTableColumns && k <= n; ++k) {
        const std::uint64_t a = t[static_cast<std::size_t>(n - 1) * kTableColumns + static_cast<std::size_t>(k - 1)];
        const std::uint64_t b = t[static_cast<std::size_t>(n - 1) * kTableColumns + static_cast<std::size_t>(k)];
        t[static_cast<std::size_t>(n) * kTableColumns + static_cast<std::size_t>(k)] =
            a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
      }
    }
    return t;
  }();
  return table;
}
}  // namespace

std::uint64_t binomial_saturating(int n, int k) {
  if (k < 0 || k > n) return 0;
  if (n < kTableRows && k < kTableColumns)
    return binomial_table()[static_cast<std::size_t>(n) * kTableColumns + static_cast<std::size_t>(k)];
  k = std::min(k, n - k);
  std::uint64_t c = 1;
  for (int i = 1; i <= k; ++i) {
    // c * m / i is an integer; dividing by g = gcd(c, i) first keeps the product small.
    const auto m = static_cast<std::uint64_t>(n - k + i), g = std::gcd(c, static_cast<std::uint64_t>(i));
    if (__builtin_mul_overflow(c / g, m / (static_cast<std::uint64_t>(i) / g), &c)) return std::numeric_limits<std::uint64_t>::max();
  }
  return c;
}

std::uint64_t subset_rank(const Subset& sorted) {
  // The table looked up here directly (the scans rank millions of members): one guard, no calls.
  const std::uint64_t* table = binomial_table().data();
  std::uint64_t rank = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const int n = sorted[i], k = static_cast<int>(i) + 1;
    rank += n >= 0 && n < kTableRows && k < kTableColumns ? table[static_cast<std::size_t>(n) * kTableColumns + static_cast<std::size_t>(k)]
                                                          : binomial_saturating(n, k);  // the table holds 0 for k > n
  }
  return rank;
}

Subset subset_unrank(std::uint64_t rank, int k) {
  Subset subset(static_cast<std::size_t>(k));
  for (int i = k; i >= 1; --i) {
    // the largest c with C(c, i) <= rank: doubling, then bisection (C(., i) increases from c = i - 1)
    int lo = i - 1, step = 1;
    while (binomial_saturating(lo + step, i) <= rank) {
      lo += step;
      step *= 2;
    }
    int hi = lo + step;  // C(hi, i) > rank
    while (hi - lo > 1) {
      const int mid = lo + (hi - lo) / 2;
      (binomial_saturating(mid, i) <= rank ? lo : hi) = mid;
    }
    const int c = lo;
    subset[static_cast<std::size_t>(i - 1)] = c;
    rank -= binomial_saturating(c, i);
  }
  return subset;
}

bool next_subset(Subset& s, int d) {
  const int k = static_cast<int>(s.size());
  for (int i = 0; i < k; ++i) {
    const int limit = i + 1 < k ? s[static_cast<std::size_t>(i) + 1] : d;
    if (s[static_cast<std::size_t>(i)] + 1 < limit) {
      ++s[static_cast<std::size_t>(i)];
      for (int j = 0; j < i; ++j) s[static_cast<std::size_t>(j)] = j;
      return true;
    }
  }
  return false;
}

void check_subset(const Subset& subset, int d, const char* parameter) {
  for (std::size_t i = 0; i < subset.size(); ++i) {
    sq::require(subset[i] >= 0 && subset[i] < d, parameter, subset[i], "must lie in [0, d) with d = " + std::to_string(d));
    if (i > 0) sq::require(subset[i] > subset[i - 1], parameter, subset[i], "coordinates must be distinct and increasing");
  }
}

std::vector<Subset> random_subsets(int d, int k, std::uint64_t count, std::uint64_t seed) {
  const std::uint64_t total = binomial_saturating(d, k);
  sq::require(count <= total, "sub-family size", count, "must not exceed C(d, k)");
  sq::Engine engine(seed);
  boost::random::uniform_int_distribution<int> coordinate(0, d - 1);
  std::set<std::uint64_t> ranks;
  while (ranks.size() < count) {
    std::set<int> members;
    while (static_cast<int>(members.size()) < k) members.insert(coordinate(engine));
    ranks.insert(subset_rank(Subset(members.begin(), members.end())));
  }
  std::vector<Subset> subsets;
  subsets.reserve(ranks.size());
  for (std::uint64_t r : ranks) subsets.push_back(subset_unrank(r, k));
  return subsets;
}

}  // namespace sqsim::queries