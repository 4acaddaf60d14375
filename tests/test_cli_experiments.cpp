// The sqsim program's demos and experiments as a user meets them: every row reported, verdicts only
// where their certificate holds, intervals over seeds, fits and plots in the record.
#include "cli_session.hpp"
#include "sqsim/algorithms/catalogue.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace cli_test;

TEST_CASE("demo relu runs and reports every row") {
  const Outcome o = run_sqsim("demo relu --json");
  REQUIRE(o.exit_code == 0);
  const auto record = nlohmann::json::parse(o.out);
  REQUIRE(record["runs"].size() == 6);
  // The truthful exact run on realizable labels reaches the teacher.
  CHECK(record["runs"][0]["results"]["distance_to_teacher"].get<double>() < 1e-6);
  for (const auto& run : record["runs"]) CHECK(run["results"]["excess"].get<double>() < 0.01);
}

TEST_CASE("bound --json: the lifted-parity facts and the statistical-dimension bound") {
  const Outcome o = run_sqsim("bound --family lifted-parity --dim 50 --k 4 --tolerance 0.001 --noise 0.1 --json");
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  CHECK(r["family_size"] == 230300.0);
  CHECK(r["rho"].get<double>() == doctest::Approx(0.0210952446).epsilon(1e-8));
  CHECK(r["opt0"].get<double>() == doctest::Approx(0.5 - 1 / (4 * 3.14159265358979)).epsilon(1e-12));
  CHECK(r["gap"].get<double>() == doctest::Approx(r["opt0"].get<double>() - r["optS"].get<double>()));
  // beta = (1 - 2 eta)^2 = 0.64: fewer than 0.64 / 1e-6 members per query, so ceil(230299 / 639999) = 1 query.
  CHECK(r["max_exposed_per_query"] == 639999.0);
  CHECK(r["query_lower_bound"] == 1.0);
  const auto strict = nlohmann::json::parse(run_sqsim("bound --dim 64 --k 6 --tolerance 0.01 --json").out);
  CHECK(strict["query_lower_bound"] == std::ceil((74974368.0 - 1) / 9999));
  const auto none = nlohmann::json::parse(run_sqsim("bound --tolerance 2 --json").out);
  CHECK(none["query_lower_bound_infinite"] == true);
  const Outcome orthogonal = run_sqsim("bound --family orthogonal-relu --dim 12 --k 4 --tolerance 0.05 --json");
  REQUIRE(orthogonal.exit_code == 0);
  CHECK(nlohmann::json::parse(orthogonal.out)["opt0"] == 1.0);
}

TEST_CASE("demo gd-failure: GD certified to fail, learning the easy instance at the same tau, group testing near the bound") {
  const fs::path plot = scratch() / "demo.svg";
  const Outcome o = run_sqsim("demo gd-failure --json --budget 20000 --plot " + plot.string());
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  const auto& easy = r["instances"][0];
  const auto& hard = r["instances"][1];
  const auto& search = r["instances"][2];
  const double tau = r["context"]["tolerance"], gap = r["gap"], optS = r["optS"];
  CHECK(r["hidden_signal"].get<double>() < tau);
  CHECK(tau < gap / 2);
  CHECK(r["certified"] == true);
  CHECK(r["certified_excess"].get<double>() == doctest::Approx(gap - 2 * tau));
  CHECK(r["max_answer_error"].get<double>() <= tau);
  CHECK(hard["final_loss"].get<double>() >= optS + gap - 2 * tau);
  for (const auto& point : hard["curve"]) CHECK(point["loss"].get<double>() >= optS + gap - 2 * tau);
  CHECK(hard["scalar_equivalent"].get<long>() > 19000);  // it used its budget
  CHECK(easy["final_loss"].get<double>() <= gap / 100);  // the same GD, worst-case answers at the same tau
  CHECK(search["verdict"] == true);
  CHECK(search["final_loss"].get<double>() < r["opt0"].get<double>() - gap / 2);
  // Where the bound bites: at d = 50 it is ~150 queries, and group testing is never below it.
  const auto& points = r["bound_instance"];
  REQUIRE(!points.empty());
  CHECK(points.back()["d"] == 50);
  CHECK(points.back()["query_lower_bound"].get<double>() >= 100);
  for (const auto& p : points) {
    CHECK(p["group_testing_adversary"].get<double>() >= p["query_lower_bound"].get<double>());
    CHECK(p["group_testing_adversary"].get<double>() <= 4 * p["query_lower_bound"].get<double>() + 4);
    CHECK(p["found_all"] == true);
  }
  CHECK(slurp(plot).find("<svg") != std::string::npos);
}

TEST_CASE("demo at k = 2, d = 50: tau is not below gap/2, so no certificate is printed as a verdict") {
  const Outcome o = run_sqsim("demo --k 2 --dim 50 --budget 5000 --bound-seeds 1 --json");
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  CHECK(r["certified"] == false);
  CHECK(r["certified_excess"].is_null());
  CHECK(r["instances"][1]["verdict"] == false);
  CHECK(r["instances"][1]["certificate"].get<std::string>().find("no certificate") == 0);
  const Outcome table = run_sqsim("demo --k 2 --dim 50 --budget 5000 --bound-seeds 1");
  CHECK(table.out.find("NO CERTIFICATE") != std::string::npos);
  CHECK(table.out.find("fails, certified") == std::string::npos);
}

TEST_CASE("demo gd-failure at d = 50, k = 6: the hard instance still defeats GD") {
  const Outcome o = run_sqsim("demo --k 6 --budget 20000 --bound-seeds 1 --json");
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  const double tau = r["context"]["tolerance"], gap = r["gap"], optS = r["optS"];
  CHECK(r["hidden_signal"].get<double>() < tau);
  CHECK(tau < gap / 2);
  CHECK(r["max_answer_error"].get<double>() <= tau);
  CHECK(r["instances"][1]["final_loss"].get<double>() >= optS + gap - 2 * tau);
  CHECK(r["instances"][1]["members_enumerated"] == false);  // C(50, 6) = 15.9M: a random sub-family
  CHECK(r["instances"][2]["verdict"] == true);              // group testing finds S among C(50, 6) members
}

TEST_CASE("run --family: every algorithm on a hard instance ends with a status and the certificate fields") {
  // An unknown name is refused with the catalogue's list, in its order (the bad-input catalogue checks the rest of the contract).
  std::string names;
  for (const sqsim::algorithms::AlgorithmEntry& entry : sqsim::algorithms::catalogue()) names += (names.empty() ? "" : ", ") + entry.name;
  CHECK(run_sqsim("run --algorithm sgd").err.find("algorithm = sgd: must be one of " + names + "\n") != std::string::npos);
  for (const sqsim::algorithms::AlgorithmEntry& entry : sqsim::algorithms::catalogue()) {
    const std::string& algorithm = entry.name;
    CAPTURE(algorithm);
    const Outcome o = run_sqsim("run --family lifted-parity --dim 12 --k 2 --tolerance 0.02 --budget 40 --json --algorithm " + algorithm);
    REQUIRE(o.exit_code == 0);
    const auto r = nlohmann::json::parse(o.out)["results"];
    const std::string status = r["status"];
    CHECK((status == "completed" || status == "budget_exhausted"));
    for (const char* key :
         {"certified", "certified_excess", "members_exposed", "family_size", "planted", "loss", "opt0", "optS", "gap", "status"})
      CHECK(r.contains(key));
    CHECK(r["family_size"] == 66.0);
    if (r["certified"] == true) CHECK(r["loss"].get<double>() >= r["optS"].get<double>() + r["certified_excess"].get<double>());
  }
  // A member fixed in advance, the member oracle, and the orthogonal-relu family.
  const Outcome member =
      run_sqsim("run --family lifted-parity --dim 12 --k 2 --oracle member --member 3,7 --algorithm parity-search --tolerance 0.05 --json");
  REQUIRE(member.exit_code == 0);
  const auto m = nlohmann::json::parse(member.out)["results"];
  CHECK(m["planted"] == std::vector<int>{3, 7});
  CHECK(m["excess"].get<double>() < m["gap"].get<double>() / 2);  // the search finds S and beats D0's optimum
  const Outcome orthogonal = run_sqsim("run --family orthogonal-relu --dim 10 --k 2 --algorithm gd --tolerance 0.001 --json");
  REQUIRE(orthogonal.exit_code == 0);
  CHECK(nlohmann::json::parse(orthogonal.out)["context"]["family"] == "orthogonal-relu");
  expect_usage_error("run --family lifted-parity --oracle sample", "oracle = sample: with --family it must be adversary or member");
  expect_usage_error("run --family lifted-parity --dim 12 --k 2 --member 3", "member size = 1: must equal k = 2");
  expect_usage_error("run --member 1,2", "--member needs --family");
}

TEST_CASE("experiment sq-bound: group testing never below the bound against the adversary, with intervals over seeds") {
  const fs::path plot = scratch() / "sq_bound.svg";
  const Outcome o = run_sqsim("experiment sq-bound --k 2 --dims 10,20 --tolerances 0.05 --seeds 4 --json --plot " + plot.string());
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  REQUIRE(r["points"].size() == 2);
  for (const auto& p : r["points"]) {
    const double bound = p["bound"];
    for (const auto& m : p["measures"]) {
      CAPTURE(m["algorithm"].get<std::string>());
      REQUIRE(m["run"] == true);
      CHECK(m["adversary_queries"].get<double>() >= bound);
      CHECK(m["planted_low"].get<double>() <= m["planted_mean"].get<double>());
      CHECK(m["planted_mean"].get<double>() <= m["planted_high"].get<double>());
      CHECK(m["found_all"] == true);
    }
  }
  CHECK(slurp(plot).find("<svg") != std::string::npos);
}

TEST_CASE("experiment tradeoff: k grows as eps shrinks, GD certified at excess >= eps, the exponent in d grows with k") {
  const Outcome o = run_sqsim("experiment tradeoff --eps 0.03,0.003 --dims 30,45,60 --seeds 2 --gd-budget 200 --json");
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  for (const auto& p : r["points"]) {
    REQUIRE(p["separated"] == true);
    const double eps = p["epsilon"], gap = p["gap"], tau = p["tolerance"];
    CHECK(gap > 2 * eps);
    CHECK(tau == doctest::Approx((gap - eps) / 2));
    CHECK(p["k"] == (eps == 0.03 ? 2 : 4));
    CHECK(p["group_testing_adversary"].get<double>() >= p["bound"].get<double>());
    if (p["gd_certified"] == true) CHECK(p["gd_excess"].get<double>() >= eps);
  }
  REQUIRE(r["fits"].size() == 2);
  CHECK(r["fits"][1]["measured_exponent"].get<double>() > r["fits"][0]["measured_exponent"].get<double>() + 1.0);
}

TEST_CASE("experiment reduction: group testing through lifted samples recovers S, GD does not") {
  for (const std::string args : {"--dim 16 --k 2", "--dim 32 --k 2", "--dim 64 --k 2", "--dim 16 --k 4", "--dim 16 --k 2 --noise 0.1",
                                 "--dim 16 --k 4 --noise 0.1"}) {
    CAPTURE(args);
    const Outcome o = run_sqsim("experiment reduction --json " + args);
    REQUIRE(o.exit_code == 0);
    const auto r = nlohmann::json::parse(o.out);
    CHECK(r["recovered"] == true);
    CHECK(r["decoded"] == r["hidden"]);
    CHECK(r["samples"].get<long>() > 0);
    CHECK(r["loss"].get<double>() - r["optS"].get<double>() < r["gap"].get<double>() / 2);
  }
  const auto gd = nlohmann::json::parse(run_sqsim("experiment reduction --json --dim 16 --k 2 --learner gd").out);
  CHECK(gd["recovered"] == false);
  CHECK(gd["loss"].get<double>() - gd["optS"].get<double>() >= gd["gap"].get<double>() / 2);
}

TEST_CASE("experiment approximation: measured excess against opt, the mirror world's excess = opt for 2 E[y x], fits and plot") {
  const fs::path plot = scratch() / "approximation.svg";
  const Outcome o = run_sqsim(
      "experiment approximation --dim 6 --opts 0.001,0.01,0.05 --labels mirror,clipped-relu,noisy-relu "
      "--algorithms label-correlation,threshold-halfspace --seeds 3 --bootstrap 200 --json --plot " +
      plot.string());
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  REQUIRE(r["points"].size() == 3 * 2 * 3);
  for (const auto& p : r["points"]) {
    CAPTURE(p.dump());
    const std::string labels = p["labels"], algorithm = p["algorithm"];
    // clipping at 1 alone costs opt ~ 0.025 for a unit teacher: the two smaller targets are unreachable.
    CHECK(p["reachable"] == !(labels == "clipped-relu" && p["target_opt"].get<double>() < 0.02));
    if (p["reachable"] != true) continue;
    CHECK(p["opt"].get<double>() == doctest::Approx(p["target_opt"].get<double>()).epsilon(1e-6));
    CHECK(p["status"] == "completed");
    // mirror: 2 E[y x] = (1 - 2 eta) v while the best ReLU is (1 - eta) v, so its excess is opt exactly.
    if (labels == "mirror" && algorithm == "label-correlation")
      CHECK(p["excess_mean"].get<double>() == doctest::Approx(p["opt"].get<double>()).epsilon(1e-6));
    // noisy-relu: labels relu(v.x) + noise in mean, so 2 E[y x] = v; threshold-halfspace keeps the best candidate.
    if (labels == "noisy-relu" || algorithm == "threshold-halfspace") CHECK(p["excess_mean"].get<double>() <= 1e-9);
  }
  bool mirror_fit = false;
  for (const auto& f : r["fits"])
    if (f["labels"] == "mirror" && f["algorithm"] == "label-correlation") {
      mirror_fit = true;
      REQUIRE(f["fitted"] == true);
      CHECK(f["exponent"].get<double>() == doctest::Approx(1.0).epsilon(1e-6));
      CHECK(f["exponent_low"].get<double>() <= f["exponent"].get<double>());
      CHECK(f["exponent_high"].get<double>() >= f["exponent"].get<double>());
    } else if (f["labels"] == "noisy-relu") {
      CHECK(f["fitted"] == false);  // no measurable excess: nothing is fitted
    }
  CHECK(mirror_fit);
  CHECK(slurp(plot).find("<svg") != std::string::npos);
  // Every world runs every approximation algorithm from `sqsim run`.
  for (const std::string labels : {"relu", "noisy-relu", "clipped-relu", "agnostic", "band", "mirror"})
    for (const std::string algorithm : {"label-correlation", "glmtron", "threshold-halfspace", "gd"}) {
      CAPTURE(labels);
      CAPTURE(algorithm);
      const std::string noise = labels == "relu" ? "" : " --noise 0.1";
      const Outcome run = run_sqsim("run --dim 5 --labels " + labels + noise + " --algorithm " + algorithm + " --json");
      REQUIRE(run.exit_code == 0);
      CHECK(nlohmann::json::parse(run.out)["results"]["status"] == "completed");
    }
}
