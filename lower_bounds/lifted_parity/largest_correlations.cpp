// The largest |R_S| and |grad R_S| over a set of lifted-parity members at one direction: what
// bounds every loss and gradient query on that ray (experiments/gd_failure.cpp). Over the whole
// family only the members whose key bounds (key_bounds.hpp) can reach the maxima are evaluated.
#include "sqsim/lower_bounds/lifted_parity/lifted_parity.hpp"

#include "sqsim/lower_bounds/lifted_parity/heavy_subsets.hpp"
#include "sqsim/lower_bounds/lifted_parity/key_bounds.hpp"
#include "sqsim/sq/distributed.hpp"
#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <span>

namespace sqsim::lower_bounds {
namespace {

// largest_correlations over the whole family, visiting only the members that can reach the maxima.
std::pair<double, double> heaviest_correlations(const LiftedParity& family, const ParityCorrelation& correlation, int threads) {
  // |R_S| and |grad R_S| are bounded by increasing functions of rho_S (key_bounds): evaluate the
  // ~1000 heaviest members, then only those above the rho where both bounds fall below the maxima
  // found, each after its per-member bounds. The maxima are those of the whole family.
  const int k = family.order();
  const Vector& u = correlation.w();
  const Vector u2 = u.cwiseAbs2();
  const std::span<const double> weights{u2.data(), static_cast<std::size_t>(u2.size())};
  double first_cut = 0.0, above = 1.0;  // count_heavy_subsets(first_cut) >= 1024 (or first_cut = 0)
  for (int i = 0; i < 40; ++i) {
    const double mid = 0.5 * (first_cut + above);
    (count_heavy_subsets(weights, k, mid) >= 1024 ? first_cut : above) = mid;
  }
  std::pair<double, double> best{0.0, 0.0};
  const KeyBounds &value = family.key_bounds(0), &gradient = family.key_bounds(1);
  // Members with rho_S >= cut not scanned before, evaluated unless both their bounds are <= the maxima so far.
  std::vector<std::uint64_t> scanned;  // colex ranks, sorted
  auto scan = [&](double cut) {
    std::vector<int> flat;
    std::vector<std::uint64_t> ranks;
    for_each_heavy_subset(weights, k, cut, [&](const Subset& s, std::uint64_t rank) {
      if (std::binary_search(scanned.begin(), scanned.end(), rank)) return;
      ranks.push_back(rank);
      flat.insert(flat.end(), s.begin(), s.end());
    });
    const std::size_t n = ranks.size(), blocks = std::min<std::size_t>(n, 64);
    std::vector<std::pair<double, double>> found(blocks, best);  // per block: the result does not depend on threads
    sq::parallel_for(static_cast<std::int64_t>(blocks), n < 4096 ? 1 : threads, [&](std::int64_t b, int) {
      auto& [v, g] = found[static_cast<std::size_t>(b)];
      Subset s(static_cast<std::size_t>(k));
      for (std::size_t i = n * static_cast<std::size_t>(b) / blocks; i < n * static_cast<std::size_t>(b + 1) / blocks; ++i) {
        std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(i) * k, k, s.begin());
        if (value.member_bound(u, s, v) <= v && gradient.member_bound(u, s, g) <= g) continue;
        const auto parts = correlation.evaluate(s);
        v = std::max(v, std::abs(parts.value));
        g = std::max(g, correlation.gradient_norm_l2(s, parts));
      }
    });
    for (const auto& [v, g] : found) best = {std::max(best.first, v), std::max(best.second, g)};
    scanned.insert(scanned.end(), ranks.begin(), ranks.end());
    std::sort(scanned.begin(), scanned.end());
  };
  scan(first_cut);
  if (first_cut <= 0.0) return best;
  const auto rho_where = [](const KeyBounds& b, double level) {
    return threshold_rho([&b](double rho) { return std::min(b.simple(rho), b.sharp(rho)); }, level);
  };
  const double theta = std::min(rho_where(value, best.first), rho_where(gradient, best.second));
  const double cut = theta * (1.0 - 1e-12) - 1e-15;  // members below theta cannot exceed either maximum
  if (cut < first_cut) scan(cut);
  return best;
}

}  // namespace

std::pair<double, double> LiftedParity::largest_correlations(const Vector& direction, const MemberSet& among, int threads) const {
  sq::require(among.count() <= 10'000'000, "members to evaluate", among.count(), "must be at most 10^7");
  if (among.count() == 0) return {0.0, 0.0};
  const ParityCorrelation correlation(direction / direction.norm());
  if (among.is_all()) return heaviest_correlations(*this, correlation, threads);
  const auto blocks = static_cast<std::int64_t>(std::min<std::uint64_t>(among.count(), 256));
  // Per block {max |R_S|, max |grad R_S|}; under mpirun each process takes a range of blocks.
  const auto largest = sq::distributed_map(blocks, threads, [&](std::int64_t b, int, std::vector<double>& out) {
    const std::uint64_t begin = among.count() * static_cast<std::uint64_t>(b) / static_cast<std::uint64_t>(blocks);
    const std::uint64_t end = among.count() * static_cast<std::uint64_t>(b + 1) / static_cast<std::uint64_t>(blocks);
    out.assign(2, 0.0);
    for (std::uint64_t i = begin; i < end; ++i) {
      const Subset s = member(among.rank(i));
      const auto parts = correlation.evaluate(s);
      out[0] = std::max(out[0], std::abs(parts.value));
      out[1] = std::max(out[1], correlation.gradient_norm_l2(s, parts));
    }
  });
  std::pair<double, double> result{0.0, 0.0};
  for (const auto& block : largest) result = {std::max(result.first, block[0]), std::max(result.second, block[1])};
  return result;
}

}  // namespace sqsim::lower_bounds