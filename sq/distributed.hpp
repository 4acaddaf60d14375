// The processes one run is spread over. In a build with SQSIM_MPI=ON started by mpirun they are the
// MPI ranks (sq/mpi_communicator.hpp installs them); otherwise there is one. Every process runs the
// same program; the work inside distributed_map is split among them and its results reach all of
// them in task order, so everything else is computed identically everywhere, whatever the number
// of processes and threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sqsim::sq {

// The collectives distributed_map needs. Every process must call them in the same order.
class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every process's `local` (any length), indexed by rank, on every process.
  virtual std::vector<std::vector<double>> all_gather(const std::vector<double>& local) = 0;
  virtual std::vector<std::string> all_gather(const std::string& local) = 0;
};

// Installs the communicator of this program (nullptr: one process). Not owned.
void set_communicator(Communicator* communicator);
int process_rank();   // 0 with one process
int process_count();  // 1 with one process
// The process that prints and writes files (rank 0); the others compute and stay silent.
inline bool output_process() { return process_rank() == 0; }

// Runs body(task, worker, out) for this process's share of [0, tasks) (a contiguous range of task
// indices; threads within it as parallel_for) and returns every task's `out`, in task order, on every
// process. If a task throws on any process, every process throws the same: std::invalid_argument,
// QueryRefused or BudgetExceeded as such, anything else as std::runtime_error, with the message of
// the lowest rank that failed.
std::vector<std::vector<double>> distributed_map(std::int64_t tasks, int threads,
                                                 const std::function<void(std::int64_t task, int worker, std::vector<double>& out)>& body);

// Runs action on the output process alone (opening an output file, drawing a plot); then every
// process throws what it threw, as distributed_map does, so a refusal there ends all of them.
void on_output_process(const std::function<void()>& action);

}  // namespace sqsim::sq