#include "sqsim/lower_bounds/lifted_parity/heavy_subsets.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace sqsim::lower_bounds {
namespace {

struct Search {
  std::vector<int> order;      // coordinates by decreasing weight
  std::vector<double> sorted;  // their weights
  std::vector<double> prefix;  // prefix[i] = sum of sorted[0, i)
  int k = 0;
  double threshold = 0.0;

  Search(std::span<const double> weight, int k_, double threshold_) : k(k_), threshold(threshold_) {
    const auto d = static_cast<int>(weight.size());
    if (k < 0 || k > d) throw std::invalid_argument("heavy subsets: k must lie in [0, d]");
    order.resize(static_cast<std::size_t>(d));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return weight[static_cast<std::size_t>(a)] > weight[static_cast<std::size_t>(b)]; });
    prefix.assign(static_cast<std::size_t>(d) + 1, 0.0);
    for (int i = 0; i < d; ++i) {
      const double w = weight[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];
      if (!(w >= 0.0)) throw std::invalid_argument("heavy subsets: weights must be nonnegative");
      sorted.push_back(w);
      prefix[static_cast<std::size_t>(i) + 1] = prefix[static_cast<std::size_t>(i)] + w;
    }
  }
  int size() const { return static_cast<int>(order.size()); }
  // The heaviest completion with `need` more coordinates taken from positions >= pos.
  double heaviest(int pos, int need) const { return prefix[static_cast<std::size_t>(pos + need)] - prefix[static_cast<std::size_t>(pos)]; }
};

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

// Which part of the search this call visits: branches at depth 4 (or leaves, for k < 4) are dealt out.
struct Deal {
  int part = 0, parts = 1;
  std::uint64_t dealt = 0;
  bool mine(std::size_t depth, int k) {
    if (parts == 1 || depth != static_cast<std::size_t>(std::min(k, 4))) return true;
    // A hashed deal, not round robin: siblings come heaviest first, and turns would favour part 0.
    std::uint64_t h = dealt++ + 0x9e3779b97f4a7c15ULL;  // splitmix64
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<int>((h ^ (h >> 31)) % static_cast<std::uint64_t>(parts)) == part;
  }
};

// The search's buffers, reused from node to node (no allocation per node).
struct Buffers {
  std::vector<int> chosen;                  // the coordinates taken so far, in search order
  queries::Subset scratch;                  // the subset handed to visit, sorted
  std::vector<int> base;                    // at a node above the leaves: chosen, sorted
  std::vector<std::uint64_t> below, above;  // partial colex ranks of base (see visit_from)
};

void visit_from(const Search& s, int pos, int need, double sum, Buffers& b, std::uint64_t& count,
                const std::function<void(const queries::Subset&, std::uint64_t)>& visit, Deal& deal) {
  std::vector<int>& chosen = b.chosen;
  queries::Subset& scratch = b.scratch;
  if (!deal.mine(chosen.size(), s.k)) return;
  if (need == 0) {
    if (sum >= s.threshold) {
      // Insertion sort of k <= a few dozen coordinates, in place (no allocation, no memmove call).
      scratch.resize(chosen.size());
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        std::size_t j = i;
        for (; j > 0 && scratch[j - 1] > chosen[i]; --j) scratch[j] = scratch[j - 1];
        scratch[j] = chosen[i];
      }
      visit(scratch, queries::subset_rank(scratch));
      ++count;
    }
    return;
  }
  if (need == 1 && (deal.parts == 1 || chosen.size() + 1 != static_cast<std::size_t>(std::min(s.k, 4)))) {
    // The leaves below this node (no deal at their depth), without a call each: the k - 1 chosen
    // sorted once into `base`, each last coordinate inserted. The same tests as the general case.
    // Colex rank of base with c inserted at j: sum_{i<j} C(base_i, i+1) + C(c, j+1) + sum_{i>=j} C(base_i, i+2).
    std::vector<int>& base = b.base;
    base.assign(chosen.begin(), chosen.end());
    std::sort(base.begin(), base.end());
    const std::size_t last = base.size();
    scratch.resize(last + 1);
    b.below.assign(last + 1, 0);
    b.above.assign(last + 1, 0);
    for (std::size_t i = 0; i < last; ++i) b.below[i + 1] = b.below[i] + queries::binomial_saturating(base[i], static_cast<int>(i) + 1);
    for (std::size_t i = last; i > 0; --i) b.above[i - 1] = b.above[i] + queries::binomial_saturating(base[i - 1], static_cast<int>(i) + 1);
    for (int p = pos; p < s.size(); ++p) {
      if (sum + s.heaviest(p, 1) < s.threshold) return;
      if (!(sum + s.sorted[static_cast<std::size_t>(p)] >= s.threshold)) continue;
      const int c = s.order[static_cast<std::size_t>(p)];
      std::size_t j = last;
      for (; j > 0 && base[j - 1] > c; --j) scratch[j] = base[j - 1];
      scratch[j] = c;
      std::copy_n(base.begin(), j, scratch.begin());
      visit(scratch, b.below[j] + queries::binomial_saturating(c, static_cast<int>(j) + 1) + b.above[j]);
      ++count;
    }
    return;
  }
  for (int p = pos; p + need <= s.size(); ++p) {
    // Positions are by decreasing weight: once the heaviest completion from p falls short, so does every later one.
    if (sum + s.heaviest(p, need) < s.threshold) return;
    chosen.push_back(s.order[static_cast<std::size_t>(p)]);
    visit_from(s, p + 1, need - 1, sum + s.sorted[static_cast<std::size_t>(p)], b, count, visit, deal);
    chosen.pop_back();
  }
}

std::uint64_t count_from(const Search& s, int pos, int need, double sum) {
  if (need == 0) return sum >= s.threshold ? 1 : 0;
  // The lightest completion from pos takes the last `need` positions.
  const double lightest = s.prefix[s.order.size()] - s.prefix[s.order.size() - static_cast<std::size_t>(need)];
  if (sum + lightest >= s.threshold) return queries::binomial_saturating(s.size() - pos, need);
  std::uint64_t total = 0;
  for (int p = pos; p + need <= s.size(); ++p) {
    if (sum + s.heaviest(p, need) < s.threshold) break;
    total = add_saturating(total, count_from(s, p + 1, need - 1, sum + s.sorted[static_cast<std::size_t>(p)]));
  }
  return total;
}

}  // namespace

std::uint64_t for_each_heavy_subset(std::span<const double> weight, int k, double threshold,
                                    const std::function<void(const queries::Subset&, std::uint64_t)>& visit, int part, int parts) {
  if (parts < 1 || part < 0 || part >= parts) throw std::invalid_argument("heavy subsets: part must lie in [0, parts)");
  const Search s(weight, k, threshold);
  Buffers buffers;
  std::uint64_t count = 0;
  Deal deal{part, parts};
  visit_from(s, 0, k, 0.0, buffers, count, visit, deal);
  return count;
}

std::uint64_t count_heavy_subsets(std::span<const double> weight, int k, double threshold) {
  const Search s(weight, k, threshold);
  return count_from(s, 0, k, 0.0);
}

}  // namespace sqsim::lower_bounds