// MPI behind sq::Communicator, in builds with -DSQSIM_MPI=ON (library sqsim_mpi; the default build
// has no MPI at all). One session per program, for its whole life: it initialises MPI, installs
// itself as the program's communicator, silences stdout and stderr on every rank but 0 (rank 0
// prints and writes; every failure inside distributed_map reaches it), and finalises MPI.
#pragma once

#include "sqsim/sq/distributed.hpp"

namespace sqsim::sq {

class MpiSession final : public Communicator {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession() override;
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::vector<double>> all_gather(const std::vector<double>& local) override;
  std::vector<std::string> all_gather(const std::string& local) override;
  // Ends every rank at once (a failure one rank met alone, outside distributed_map).
  [[noreturn]] void abort(int code);

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace sqsim::sq