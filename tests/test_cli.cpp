// The sqsim program as a user meets it: bad input gives one line on stderr naming the parameter
// and the value, exit code 2 and no output file; good input gives tables and readable JSON.
#include "cli_session.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

using namespace cli_test;

// The catalogue of bad inputs is tests/cli/bad_inputs.txt (test_cli_bad_inputs.cpp).

TEST_CASE("sqsim with no command lists every command and exits with code 2") {
  const Outcome o = run_sqsim("");
  CHECK(o.exit_code == 2);
  for (const char* command : {"run", "inspect", "bound", "experiment", "demo"})
    CHECK(o.err.find(std::string("\n  ") + command) != std::string::npos);
}

TEST_CASE("a failed run leaves no output or transcript file behind") {
  const fs::path output = scratch() / "never.json", transcript = scratch() / "never.jsonl";
  const Outcome o = run_sqsim("run --tolerance 0 --output " + output.string() + " --transcript " + transcript.string());
  CHECK(o.exit_code == 2);
  CHECK(!fs::exists(output));
  CHECK(!fs::exists(transcript));
  CHECK(!fs::exists(output.string() + ".partial"));
  expect_usage_error("run --output /nonexistent/dir/out.json",
                     "output = /nonexistent/dir/out.json: the directory /nonexistent/dir does not exist");
}

TEST_CASE("an output path that is a symbolic link: the link stays, its target is written") {
  const fs::path target = scratch() / "real.json", link = scratch() / "link.json";
  write_file("real.json", "old");
  fs::remove(link);
  fs::create_symlink(target, link);
  const Outcome o = run_sqsim("run --dim 3 --output " + link.string());
  REQUIRE(o.exit_code == 0);
  CHECK(fs::is_symlink(link));
  CHECK(nlohmann::json::parse(slurp(target))["context"]["d"] == 3);
}

TEST_CASE("a diverging run is reported as failed, with exit code 1, never as completed") {
  const Outcome o = run_sqsim("run --step-size 1e308 --json");
  CHECK(o.exit_code == 1);
  const auto r = nlohmann::json::parse(o.out)["results"];
  CHECK(r["status"] == "failed");
  CHECK(r["w"].is_null());
  CHECK(r["loss"].is_null());
  std::string rows;
  for (int i = 0; i < 50; ++i)
    rows += std::to_string(i % 2 ? 1e300 : -1e300) + "," + std::to_string(0.1 * i) + "," + std::to_string(0.02 * i) + "\n";
  // On features of size 1e300 GD's first query breaks its declared bound (its scale assumes Gaussian x):
  // the sample oracle's pilot of D0 sees E_D0[q^2] = inf and refuses it, before any step can diverge.
  const Outcome huge = run_sqsim("run --oracle sample --data " + write_file("huge.csv", rows) + " --json");
  CHECK(huge.exit_code == 0);
  const auto h = nlohmann::json::parse(huge.out)["results"];
  CHECK(h["status"] == "refused");
  CHECK(h["message"].get<std::string>().find("E_D0[q^2] = inf") != std::string::npos);
}

TEST_CASE("every valid default runs: d = 1 to 6 and several seeds, GD scales its queries to stay legal") {
  for (int d = 1; d <= 6; ++d)
    for (int seed : {0, 1, 2, 3, 5, 8}) {
      CAPTURE(d);
      CAPTURE(seed);
      const Outcome o = run_sqsim("run --dim " + std::to_string(d) + " --seed " + std::to_string(seed) + " --json");
      REQUIRE(o.exit_code == 0);
      const auto r = nlohmann::json::parse(o.out)["results"];
      CHECK(r["status"] == "completed");
      CHECK(r["excess"].get<double>() < 1e-5);
    }
  // The transcript says which scale each gradient query was asked at.
  const fs::path transcript = scratch() / "scaled.jsonl";
  REQUIRE(run_sqsim("run --dim 1 --transcript " + transcript.string()).exit_code == 0);
  std::istringstream lines(slurp(transcript));
  std::string line;
  bool scaled = false;
  while (std::getline(lines, line)) scaled = scaled || nlohmann::json::parse(line).value("scale", 1.0) > 1.0;
  CHECK(scaled);
}

TEST_CASE("--help on every command") {
  for (const std::string command : {"run", "inspect", "demo", "bound"}) {
    const Outcome o = run_sqsim(command + " --help");
    CHECK(o.exit_code == 0);
    CHECK(o.out.find("usage: sqsim " + command) != std::string::npos);
    CHECK(o.out.find("--json") != std::string::npos);
  }
  const Outcome top = run_sqsim("--help");
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("inspect") != std::string::npos);
}

TEST_CASE("run --json: context block and results, and the same seed gives identical JSON with 1 and 2 threads") {
  const std::string common = "run --oracle sample --dim 5 --tolerance 0.1 --seed 9 --json";
  const Outcome one = run_sqsim(common + " --threads 1"), two = run_sqsim(common + " --threads 2");
  REQUIRE(one.exit_code == 0);
  // Identical but for the provenance (command line, date, wall time), which says how each was run.
  auto without_provenance = [](const std::string& text) {
    nlohmann::json r = nlohmann::json::parse(text);
    r["context"].erase("provenance");
    return r.dump();
  };
  CHECK(without_provenance(one.out) == without_provenance(two.out));
  const auto record = nlohmann::json::parse(one.out);
  const auto& provenance = record["context"]["provenance"];
  CHECK(provenance["schema_version"] == 2);
  CHECK(provenance["command_line"].back() == "1");
  CHECK(provenance["command_line"][1] == "run");
  CHECK(provenance["cpus"].get<int>() >= 1);
  CHECK(provenance["wall_seconds"].get<double>() >= 0.0);
  CHECK(provenance["date"].get<std::string>().size() == 20);  // 2026-11-26T16:48:51Z
  for (const char* key : {"host", "build_type", "git_commit"}) CHECK(!provenance[key].get<std::string>().empty());
  CHECK(record["context"]["seed"] == 9);
  CHECK(record["context"]["d"] == 5);
  CHECK(record["context"]["tolerance"] == 0.1);
  CHECK(record["context"]["oracle"] == "sample/fresh");
  CHECK(record["context"]["algorithm"] == "gd");
  CHECK(record["results"]["queries"]["scalar_equivalent"] == 5 * record["results"]["queries"]["vector"].get<int>());
  CHECK(record["results"]["loss"].get<double>() >= 0.0);
  CHECK(record["results"]["opt"] == 0.0);
  const Outcome other_seed = run_sqsim("run --oracle sample --dim 5 --tolerance 0.1 --seed 10 --json");
  CHECK(other_seed.out != one.out);
}

TEST_CASE("--csv: the record's tables as CSV, full precision, nested curves in their own file, validated before the work") {
  const fs::path dir = scratch() / "csv";
  fs::create_directories(dir);
  const fs::path main = dir / "demo.csv";
  const Outcome o = run_sqsim("demo --json --csv " + main.string());
  REQUIRE(o.exit_code == 0);
  const auto record = nlohmann::json::parse(o.out);
  std::istringstream instances(slurp(main));
  std::string header, first;
  std::getline(instances, header);
  std::getline(instances, first);
  CHECK(header.find("final_loss") != std::string::npos);
  CHECK(first.find("easy: realizable relu teacher") != std::string::npos);
  // The nested curves: one row per point, with the instance's index, values at full precision.
  std::istringstream curves(slurp(dir / "demo-instances-curve.csv"));
  std::string curve_header, curve_first;
  std::getline(curves, curve_header);
  std::getline(curves, curve_first);
  CHECK(curve_header == "instances_index,loss,scalar_equivalent");
  const auto& point = record["instances"][0]["curve"][0];
  CHECK(curve_first == "0," + point["loss"].dump() + "," + point["scalar_equivalent"].dump());
  CHECK(fs::exists(dir / "demo-bound_instance.csv"));
  // A bad target is refused before any work: exit code 2, nothing written.
  expect_usage_error("experiment approximation --csv " + (dir / "missing" / "x.csv").string(), "csv");
  CHECK(!fs::exists(dir / "missing"));
}

TEST_CASE("run: output file, transcript and budget") {
  const fs::path output = scratch() / "run.json", transcript = scratch() / "run.jsonl";
  const Outcome o =
      run_sqsim("run --dim 4 --tolerance 1e-4 --perturbation uniform --output " + output.string() + " --transcript " + transcript.string());
  REQUIRE(o.exit_code == 0);
  CHECK(o.out.find("exact/uniform") != std::string::npos);
  const auto record = nlohmann::json::parse(slurp(output));
  const long vectors = record["results"]["queries"]["vector"];
  std::istringstream lines(slurp(transcript));
  std::string line;
  long count = 0;
  while (std::getline(lines, line)) {
    const auto q = nlohmann::json::parse(line);
    CHECK(q["tolerance"] == 1e-4);
    ++count;
  }
  CHECK(count == vectors);
  const Outcome limited = run_sqsim("run --dim 4 --budget 6 --json --perturbation uniform --tolerance 1e-4");
  REQUIRE(limited.exit_code == 0);
  const auto stopped = nlohmann::json::parse(limited.out);
  CHECK(stopped["results"]["status"] == "budget_exhausted");
  CHECK(stopped["results"]["queries"]["scalar_equivalent"] == 4);
}

TEST_CASE("inspect: exact loss, gradient and opt") {
  const Outcome o = run_sqsim("inspect --teacher 1,0 --w 0,0 --json");
  REQUIRE(o.exit_code == 0);
  const auto record = nlohmann::json::parse(o.out);
  CHECK(record["loss"].get<double>() == doctest::Approx(0.5).epsilon(1e-12));          // E[relu(x1)^2] = 1/2
  CHECK(record["gradient"][0].get<double>() == doctest::Approx(-0.5).epsilon(1e-12));  // -E[relu(v.x) x] = -v/2
  CHECK(record["opt"] == 0.0);
  const Outcome noisy = run_sqsim("inspect --labels noisy-relu --noise 0.3 --teacher 0,2 --w 0,2 --json");
  CHECK(nlohmann::json::parse(noisy.out)["loss"].get<double>() == doctest::Approx(0.09).epsilon(1e-12));
  const Outcome table = run_sqsim("inspect --teacher 1,0 --w 0.5,0");
  CHECK(table.out.find("loss") != std::string::npos);
}

TEST_CASE("run on a CSV data set through the sample oracle's pool") {
  std::string rows;
  for (int i = 0; i < 200; ++i) {
    const double a = std::sin(i * 1.7), b = std::cos(i * 0.3);
    rows += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(std::min(1.0, std::max(0.0, 0.6 * a + 0.2 * b))) + "\n";
  }
  const Outcome o = run_sqsim("run --oracle sample --data " + write_file("train.csv", rows) +
                              " --tolerance 1e-4 --iterations 500 --step-size 0.5 --json");
  REQUIRE(o.exit_code == 0);
  const auto record = nlohmann::json::parse(o.out);
  CHECK(record["context"]["oracle"] == "sample/pool");
  CHECK(record["results"]["opt"].is_null());
  CHECK(record["results"]["loss"].get<double>() < 1e-3);  // the labels are relu(0.6 x1 + 0.2 x2) exactly
}

TEST_CASE("--plot on every command with a curve: run (world and hard family) and experiment signal, the curve in the record") {
  const fs::path world_plot = scratch() / "run.svg", family_plot = scratch() / "run_family.svg", signal_plot = scratch() / "signal.svg";
  const Outcome o = run_sqsim("run --dim 8 --tolerance 1e-4 --json --plot " + world_plot.string());
  REQUIRE(o.exit_code == 0);
  const auto curve = nlohmann::json::parse(o.out)["results"]["curve"];
  REQUIRE(curve.size() >= 2);
  CHECK(curve.front()["loss"].get<double>() > curve.back()["loss"].get<double>());  // GD learns the realizable teacher
  CHECK(slurp(world_plot).find("<svg") != std::string::npos);
  const Outcome f =
      run_sqsim("run --family lifted-parity --dim 12 --k 2 --tolerance 0.02 --budget 200 --json --plot " + family_plot.string());
  REQUIRE(f.exit_code == 0);
  const auto results = nlohmann::json::parse(f.out)["results"];
  CHECK(!results["curve"].empty());
  CHECK(slurp(family_plot).find("<svg") != std::string::npos);
  REQUIRE(run_sqsim("experiment signal --k 2 --dims 8,16 --samples 3 --plot " + signal_plot.string()).exit_code == 0);
  // A user's path with a newline lands in a plot title: it is escaped there, never a new gnuplot command.
  const fs::path data = scratch() / "two\nlines.csv", data_plot = scratch() / "data.svg";
  std::ofstream(data) << "0.5,1.0,0.5\n-0.2,0.3,0.0\n1.0,-1.0,0.1\n";
  const Outcome d = testing::run_process(SQSIM_CLI_PATH, {"run", "--oracle", "sample", "--data", data.string(), "--tolerance", "0.5",
                                                          "--iterations", "2", "--plot", data_plot.string()});
  CHECK(d.exit_code == 0);
  // gnuplot's enhanced text drops the escape's backslash: the title reads "data two...x0alines.csv" on one line.
  CHECK(slurp(data_plot).find("x0alines.csv") != std::string::npos);
  CHECK(slurp(data_plot).find("</svg>") != std::string::npos);
  CHECK(slurp(signal_plot).find("<svg") != std::string::npos);
}

TEST_CASE("inspect --family: a typed query's exact value under a member and under D0, and their deviation") {
  // The loss at the member's best ReLU direction: its deviation from D0 is the gap's source (rho), > 0.
  const Outcome o = run_sqsim(
      "inspect --family lifted-parity --dim 8 --k 2 --member 1,4 --w 0,0.7071067811865476,0,0,0.7071067811865476,0,0,0 --query loss "
      "--json");
  REQUIRE(o.exit_code == 0);
  const auto r = nlohmann::json::parse(o.out);
  CHECK(r["deviation"].get<double>() == doctest::Approx(std::abs(r["value"].get<double>() - r["reference_value"].get<double>())));
  CHECK(r["value"].get<double>() < r["reference_value"].get<double>());  // the member's labels fit the ReLU better
  CHECK(r["context"]["member"] == std::vector<int>{1, 4});
  // The parity itself: E_S[y chi_S] = (1 - 2 eta)/2, and 0 under D0.
  const auto parity = nlohmann::json::parse(
      run_sqsim("inspect --family lifted-parity --dim 8 --k 2 --noise 0.1 --member 1,4 --w 0,0,0,0,0,0,0,0 --query parity --json").out);
  CHECK(parity["value"].get<double>() == doctest::Approx(0.4).epsilon(1e-12));
  CHECK(parity["reference_value"].get<double>() == doctest::Approx(0.0));
  const auto vector = nlohmann::json::parse(
      run_sqsim("inspect --family lifted-parity --dim 8 --k 2 --member 1,4 --w 0,0.7,0,0,0.7,0,0,0 --query half-gradient --json").out);
  CHECK(vector["value"].size() == 8);
  expect_usage_error("inspect --family lifted-parity --dim 8 --k 2 --w 0,0,0,0,0,0,0,0", "member: missing");
  expect_usage_error("inspect --family lifted-parity --dim 8 --k 2 --member 1,4 --w 0,0,0,0,0,0,0,0 --query nope", "query = nope");
}
