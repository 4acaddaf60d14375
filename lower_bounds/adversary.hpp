// The adversarial oracle over any hard family: it answers every query with its reference value
// E_{D0}[q] and records which members that answer would have been wrong for (exposed). A member no
// answer exposed could have been the truth all along: every answer was legal for it. So an
// algorithm that has exposed fewer than all but one member cannot tell the rest apart.
#pragma once

#include "sqsim/lower_bounds/exposure.hpp"
#include "sqsim/lower_bounds/hard_family.hpp"
#include "sqsim/lower_bounds/interval_set.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sqsim::lower_bounds {

struct AdversaryParams {
  // Track every member up to this many (0: the exposure strategy's limit, ExposureStrategy::tracking_limit:
  // 10^7 for the exhaustive scan, unlimited for the lifted parity's pruned scans).
  std::uint64_t max_tracked = 0;
  std::uint64_t subfamily_size = 100'000;  // otherwise a seeded uniform sub-family of this size
  std::uint64_t seed = 1;
  int threads = 0;           // 0: all hardware threads; results never depend on it
  bool keep_queries = true;  // keep every query and answer (asked()), to check them against a member later
  // Optional: after each answer, the queries answered and the members exposed so far (progress lines).
  std::function<void(std::uint64_t queries, std::uint64_t exposed, std::uint64_t tracked)> progress = nullptr;
  void validate() const;
};

// The members an adversary with these parameters tracks: all, or the seeded sub-family (the limit
// of all: params.max_tracked, else the family's exposure strategy's tracking_limit).
MemberSet members_to_track(const HardFamily& family, const AdversaryParams& params);
MemberSet members_to_track(const HardFamily& family, const AdversaryParams& params, std::uint64_t tracking_limit);

class AdversarialOracle : public sq::Oracle {
 public:
  // The adversary owns its exposure strategy: the family's (HardFamily::exposure) unless one is given.
  AdversarialOracle(std::shared_ptr<HardFamily> family, AdversaryParams params = {}, std::unique_ptr<ExposureStrategy> exposure = nullptr);
  Eigen::Index dimension() const override { return family_->dimension(); }
  std::string name() const override { return "adversarial"; }
  sq::ScalarAnswer answer(const sq::ScalarQuery& query, double tolerance) override;
  sq::VectorAnswer answer(const sq::VectorQuery& query, double tolerance) override;

  struct QueryRecord {
    std::string name;
    double tolerance = 0.0;
    std::uint64_t exposed = 0;        // tracked members this answer is off by more than the allowed error for
    std::uint64_t newly_exposed = 0;  // ... that no earlier answer had exposed
    double largest_deviation = 0.0;   // max over tracked members of |E_S[q] - E_D0[q]| (norm for vectors)
  };
  const std::vector<QueryRecord>& records() const { return records_; }
  // Every answered query with its answer, to check the answers against a member afterwards.
  struct Asked {
    std::optional<sq::ScalarQuery> scalar;
    std::optional<sq::VectorQuery> vector;
    double tolerance = 0.0;
    double scalar_answer = 0.0;
    Vector vector_answer;
  };
  const std::vector<Asked>& asked() const { return asked_; }

  const HardFamily& family() const { return *family_; }
  const ExposureStrategy& exposure() const { return *exposure_; }
  const MemberSet& tracked() const { return tracked_; }
  // How many answered queries it took until at most `left` tracked members were consistent (all of
  // them if that never happened): what a lower bound on queries speaks of.
  std::uint64_t queries_until_consistent(std::uint64_t left) const;
  bool tracks_all() const { return tracked_.is_all(); }
  std::uint64_t tracked_members() const { return tracked_.count(); }
  std::uint64_t exposed_members() const { return exposed_.size(); }
  std::size_t exposed_intervals() const { return exposed_.intervals(); }  // the memory the bookkeeping holds
  std::uint64_t consistent_members() const { return tracked_.count() - exposed_.size(); }
  bool is_exposed(const Subset& sorted) const;  // untracked members count as exposed (nothing is known of them)
  bool is_tracked(const Subset& sorted) const;
  // The tracked members no answer has exposed, in rank order (at most `limit`).
  std::vector<Subset> consistent(std::uint64_t limit) const;
  // The i-th (0-based) tracked member no answer has exposed, in rank order.
  Subset consistent_member(std::uint64_t i) const;

 private:
  void record(const std::string& name, double tolerance, const Exposure& exposure);

  std::shared_ptr<HardFamily> family_;
  std::unique_ptr<ExposureStrategy> exposure_;  // refers to *family_, declared after it: destroyed first
  AdversaryParams params_;
  MemberSet tracked_;
  IntervalSet exposed_;  // indices into tracked_: memory grows with the exposed ranges, not the family
  std::vector<QueryRecord> records_;
  std::vector<Asked> asked_;
};

}  // namespace sqsim::lower_bounds