// sqsim: run SQ algorithms against simulated oracles and count what they ask.
#include "sqsim_cli.hpp"

#ifdef SQSIM_MPI
#include "sqsim/sq/mpi_communicator.hpp"

// Under mpirun every rank runs the whole program; oracle work is split inside distributed_map and
// rank 0 alone prints and writes. Bad input (exit code 2) is met by every rank alike, so they end
// together; any other failure may have met one rank alone while the others wait for it, so it ends
// them all (MPI_Abort with the same code).
int main(int argc, char** argv) {
  sqsim::sq::MpiSession session(argc, argv);
  const int code = sqsim::cli::run_program(argc, argv);
  if (code != 0 && code != 2 && session.size() > 1) session.abort(code);
  return code;
}
#else
int main(int argc, char** argv) { return sqsim::cli::run_program(argc, argv); }
#endif
