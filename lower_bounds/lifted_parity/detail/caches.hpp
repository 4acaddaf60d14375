// The lifted parity's memos, kept out of its public header: each behind its own lock, so that the
// family's const methods may be called from several threads at once (concurrent_answers).
// Internal to the lifted parity; not installed.
#pragma once

#include "sqsim/lower_bounds/lifted_parity/key_bounds.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_correlation.hpp"
#include "sqsim/lower_bounds/lifted_parity/parity_ridge.hpp"

#include <array>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

namespace sqsim::lower_bounds {

struct LiftedParityCaches {
  // R_S's parts by (unit direction, member): every point of a ray shares one evaluation.
  static constexpr std::size_t kMaxCorrelations = 16;
  std::mutex correlation_mutex;
  std::vector<std::tuple<Vector, Subset, ParityCorrelation::Parts>> correlations;

  // ParityRidge by query. A copy of the query keeps its ridge form alive, so the form's address identifies it.
  struct RidgeEntry {
    const sq::RidgeForm* form = nullptr;
    std::shared_ptr<const void> keep;
    std::shared_ptr<const ParityRidge> ridge;
  };
  static constexpr std::size_t kMaxRidges = 8;
  std::mutex ridge_mutex;
  std::vector<RidgeEntry> ridges;

  // The key bounds of |R_S| and |grad R_S|, built on first use.
  std::array<std::once_flag, 2> key_bounds_once;
  std::array<std::unique_ptr<const KeyBounds>, 2> key_bounds;
};

}  // namespace sqsim::lower_bounds