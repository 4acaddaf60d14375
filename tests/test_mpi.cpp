// Work split across processes. distributed_map and on_output_process against a two-process
// communicator made of threads (the protocol: shares, reassembly in task order, failures met on one
// process thrown on all); then the sqsim program under `mpirun -n 2` (the MPI build, -DSQSIM_MPI=ON)
// against the single-process program: the same JSON record for P in {1, 2} x threads in {1, 2}.
#include "sqsim/sq/distributed.hpp"
#include "sqsim/sq/errors.hpp"
#include "subprocess.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

using namespace sqsim;

namespace {

// Two "processes" as two threads: all_gather deposits each rank's part and waits for the other.
class ThreadCommunicator final : public sq::Communicator {
 public:
  explicit ThreadCommunicator(int size)
      : size_(size), doubles_(static_cast<std::size_t>(size)), strings_(static_cast<std::size_t>(size)), sync_(size) {}
  static thread_local int current_rank;
  int rank() const override { return current_rank; }
  int size() const override { return size_; }
  std::vector<std::vector<double>> all_gather(const std::vector<double>& local) override { return exchange(doubles_, local); }
  std::vector<std::string> all_gather(const std::string& local) override { return exchange(strings_, local); }

 private:
  template <class T>
  std::vector<T> exchange(std::vector<T>& slots, const T& local) {
    slots[static_cast<std::size_t>(current_rank)] = local;
    sync_.arrive_and_wait();
    std::vector<T> all = slots;
    sync_.arrive_and_wait();  // nobody overwrites a slot before everyone has read it
    return all;
  }
  int size_;
  std::vector<std::vector<double>> doubles_;
  std::vector<std::string> strings_;
  std::barrier<> sync_;
};
thread_local int ThreadCommunicator::current_rank = 0;

// Runs f(rank) on every rank of a ThreadCommunicator at once; returns each rank's result.
template <class F>
auto on_ranks(int size, F f) {
  ThreadCommunicator communicator(size);
  sq::set_communicator(&communicator);
  std::vector<decltype(f(0))> results(static_cast<std::size_t>(size));
  {
    std::vector<std::jthread> ranks;
    for (int r = 0; r < size; ++r)
      ranks.emplace_back([&, r] {
        ThreadCommunicator::current_rank = r;
        results[static_cast<std::size_t>(r)] = f(r);
      });
  }
  sq::set_communicator(nullptr);
  return results;
}

// Task t's output: t + 1 values, t * 1000 + i (lengths differ, so the reassembly is tested).
void fill(std::int64_t t, int, std::vector<double>& out) {
  for (std::int64_t i = 0; i <= t; ++i) out.push_back(static_cast<double>(t * 1000 + i));
}

}  // namespace

TEST_CASE("distributed_map: every process receives every task's output in task order, for any processes and threads") {
  for (std::int64_t tasks : {0, 1, 2, 5, 64}) {
    const auto alone = sq::distributed_map(tasks, 1, fill);
    REQUIRE(alone.size() == static_cast<std::size_t>(tasks));
    for (std::int64_t t = 0; t < tasks; ++t) CHECK(alone[static_cast<std::size_t>(t)].size() == static_cast<std::size_t>(t + 1));
    for (int processes : {2, 3}) {
      for (int threads : {1, 2}) {
        CAPTURE(tasks);
        CAPTURE(processes);
        CAPTURE(threads);
        std::vector<std::atomic<int>> computed(static_cast<std::size_t>(std::max<std::int64_t>(tasks, 1)));
        const auto results = on_ranks(processes, [&](int rank) {
          CHECK(sq::process_rank() == rank);
          return sq::distributed_map(tasks, threads, [&](std::int64_t t, int worker, std::vector<double>& out) {
            ++computed[static_cast<std::size_t>(t)];  // each task once, on one process
            fill(t, worker, out);
          });
        });
        for (const auto& r : results) CHECK(r == alone);
        for (std::int64_t t = 0; t < tasks; ++t) CHECK(computed[static_cast<std::size_t>(t)] == 1);
      }
    }
  }
}

TEST_CASE("distributed_map: a failure met by one process is thrown by every process, with its type and message") {
  // Task 7 of 8 lies in the last process's share only.
  const auto outcomes = on_ranks(2, [](int) {
    try {
      sq::distributed_map(8, 1, [](std::int64_t t, int, std::vector<double>& out) {
        if (t == 7) throw sq::QueryRefused("task 7 refused");
        out.push_back(1.0);
      });
      return std::string("no error");
    } catch (const sq::QueryRefused& e) {
      return std::string("QueryRefused: ") + e.what();
    } catch (const std::exception& e) {
      return std::string("other: ") + e.what();
    }
  });
  CHECK(outcomes[0] == "QueryRefused: task 7 refused");
  CHECK(outcomes[1] == "QueryRefused: task 7 refused");
  // Failures on both: the lowest rank's message, everywhere; a bad argument stays invalid_argument.
  const auto both = on_ranks(2, [](int) {
    try {
      sq::distributed_map(4, 1,
                          [](std::int64_t t, int, std::vector<double>&) { throw std::invalid_argument("task " + std::to_string(t)); });
      return std::string("no error");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
  });
  CHECK(both[0] == "task 0");
  CHECK(both[1] == "task 0");
}

TEST_CASE("on_output_process: the action runs on rank 0 alone, and its refusal ends every process") {
  int runs = 0;
  const auto ran = on_ranks(2, [&](int rank) {
    sq::on_output_process([&] { ++runs; });
    return rank;
  });
  CHECK(runs == 1);
  const auto refused = on_ranks(2, [](int) {
    try {
      sq::on_output_process([] { throw std::invalid_argument("output = x: cannot open file for writing"); });
      return std::string("no error");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
  });
  CHECK(refused[0] == "output = x: cannot open file for writing");
  CHECK(refused[1] == "output = x: cannot open file for writing");
}

namespace {

// The MPI program, ready for mpirun (containers run the tests as root); "" after printing SKIPPED
// (which ctest reports as a skip) when the MPI build is off.
std::string mpi_program_or_skip() {
  const std::string program = SQSIM_MPI_CLI_PATH;
  if (program.empty()) {
    std::cout << "SKIPPED: the MPI build is off (configure with -DSQSIM_MPI=ON, as `make test` does when OpenMPI is installed)"
              << std::endl;
    return program;
  }
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  return program;
}

// The record without its provenance (date, wall time, command line: what differs between any two runs).
std::string results_of(const testing::ProcessOutcome& run) {
  nlohmann::json record = nlohmann::json::parse(run.out);
  record["context"].erase("provenance");
  return record.dump(2);
}

void compare_with_mpirun(const std::string& command) {
  const std::string mpi_program = mpi_program_or_skip();
  if (mpi_program.empty()) return;
  const auto single = testing::run_process(SQSIM_CLI_PATH, testing::words(command + " --json --threads 1"));
  REQUIRE(single.exit_code == 0);
  const std::string reference = results_of(single);
  for (int processes : {1, 2}) {
    for (int threads : {1, 2}) {
      CAPTURE(processes);
      CAPTURE(threads);
      const auto run =
          testing::run_process(SQSIM_MPIRUN, testing::words("-q --oversubscribe -n " + std::to_string(processes) + " " + mpi_program + " " +
                                                            command + " --json --threads " + std::to_string(threads)));
      CAPTURE(run.err);
      REQUIRE(run.exit_code == 0);
      CHECK(results_of(run) == reference);
    }
  }
}

}  // namespace

TEST_CASE("mpirun -n 2: a sample-oracle run gives the single-process record, for 1 and 2 processes and threads") {
  compare_with_mpirun("run --oracle sample --dim 10 --tolerance 0.05");
}

TEST_CASE("mpirun -n 2: hard-instance runs (lifted parity, orthogonal ReLU) give the single-process record and certificate") {
  compare_with_mpirun("run --family lifted-parity --dim 30 --k 4 --algorithm gd --init random --tolerance 0.004 --budget 2000");
  // Members exposed by the pruned scan, whose heavy members the processes deal out: 77 of 1820, and 83 of 91.
  compare_with_mpirun("run --family lifted-parity --dim 16 --k 4 --algorithm gd --init random --tolerance 0.006 --budget 3000");
  compare_with_mpirun("run --family lifted-parity --dim 14 --k 2 --algorithm gd --init random --tolerance 0.015 --budget 3000");
  compare_with_mpirun("run --family lifted-parity --dim 12 --k 2 --algorithm parity-search --tolerance 0.05");
  compare_with_mpirun("run --family orthogonal-relu --dim 12 --k 2 --algorithm gd --tolerance 0.01");
}

TEST_CASE("mpirun -n 2: the demo (hard instance, realizable GD, group testing, the SD-bound table) gives the single-process record") {
  compare_with_mpirun("demo --budget 20000");
}

TEST_CASE("mpirun -n 2: rank 0 alone writes --output and --transcript, complete, and equal to the single-process files") {
  const std::string mpi_program = mpi_program_or_skip();
  if (mpi_program.empty()) return;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("sqsim_mpi_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string run = "run --family lifted-parity --dim 16 --k 4 --algorithm gd --init random --tolerance 0.006 --budget 3000";
  auto outputs = [&](const std::string& tag) {
    return " --output " + (dir / (tag + ".json")).string() + " --transcript " + (dir / (tag + ".jsonl")).string();
  };
  const auto single = testing::run_process(SQSIM_CLI_PATH, testing::words(run + outputs("single")));
  const auto mpi =
      testing::run_process(SQSIM_MPIRUN, testing::words("-q --oversubscribe -n 2 " + mpi_program + " " + run + outputs("mpi")));
  CAPTURE(mpi.err);
  REQUIRE(single.exit_code == 0);
  REQUIRE(mpi.exit_code == 0);
  CHECK(mpi.out == single.out);  // the table, printed once
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"mpi.json", "mpi.jsonl", "single.json", "single.jsonl"});  // no .partial left
  auto without_provenance = [](const fs::path& path) {
    nlohmann::json record = nlohmann::json::parse(testing::slurp(path));
    record["context"].erase("provenance");
    return record.dump();
  };
  CHECK(without_provenance(dir / "mpi.json") == without_provenance(dir / "single.json"));
  CHECK(testing::slurp(dir / "mpi.jsonl") == testing::slurp(dir / "single.jsonl"));  // every query, once
  fs::remove_all(dir);
}

TEST_CASE("mpirun -n 2: bad input ends every process with exit code 2 and one message, no file written") {
  const std::string mpi_program = mpi_program_or_skip();
  if (mpi_program.empty()) return;
  const auto run = testing::run_process(SQSIM_MPIRUN, testing::words("-q --oversubscribe -n 2 " + mpi_program + " run --dim 0"));
  CHECK(run.exit_code == 2);
  CHECK(run.err == "sqsim run: dim = 0: must lie in [1, 10^7]\n");
  CHECK(run.out.empty());
  const auto refused = testing::run_process(
      SQSIM_MPIRUN,
      testing::words("-q --oversubscribe -n 2 " + mpi_program + " run --oracle sample --dim 5 --tolerance 1e-5 --max-samples 1e6"));
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("needs 5e+12 fresh samples") != std::string::npos);
  CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
}
