#include "sqsim/sq/mpi_communicator.hpp"

#include <mpi.h>

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <stdexcept>

namespace sqsim::sq {
namespace {

// Every rank's count, then the values (counts and displacements must fit MPI's int).
template <class T>
std::vector<std::vector<T>> gather_all(const T* data, std::size_t count, MPI_Datatype type, int size) {
  const long long mine = static_cast<long long>(count);
  std::vector<long long> counts(static_cast<std::size_t>(size));
  MPI_Allgather(&mine, 1, MPI_LONG_LONG, counts.data(), 1, MPI_LONG_LONG, MPI_COMM_WORLD);
  std::vector<int> sizes(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
  long long total = 0;
  for (int r = 0; r < size; ++r) {
    offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
    sizes[static_cast<std::size_t>(r)] = static_cast<int>(counts[static_cast<std::size_t>(r)]);
    total += counts[static_cast<std::size_t>(r)];
  }
  // The same totals on every rank: all throw together.
  if (total > INT_MAX) throw std::runtime_error("distributed exchange of " + std::to_string(total) + " values: more than MPI's int counts");
  std::vector<T> flat(static_cast<std::size_t>(total));
  MPI_Allgatherv(data, static_cast<int>(count), type, flat.data(), sizes.data(), offsets.data(), type, MPI_COMM_WORLD);
  std::vector<std::vector<T>> out(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r)
    out[static_cast<std::size_t>(r)].assign(flat.begin() + offsets[static_cast<std::size_t>(r)],
                                            flat.begin() + offsets[static_cast<std::size_t>(r)] + sizes[static_cast<std::size_t>(r)]);
  return out;
}

}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);  // only the main thread calls MPI
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (rank_ != 0) {
    std::fflush(stdout);
    std::fflush(stderr);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::close(null);
    }
  }
  set_communicator(this);
}

MpiSession::~MpiSession() {
  set_communicator(nullptr);
  MPI_Finalize();
}

std::vector<std::vector<double>> MpiSession::all_gather(const std::vector<double>& local) {
  return gather_all(local.data(), local.size(), MPI_DOUBLE, size_);
}

std::vector<std::string> MpiSession::all_gather(const std::string& local) {
  const auto chars = gather_all(local.data(), local.size(), MPI_CHAR, size_);
  std::vector<std::string> out;
  for (const auto& c : chars) out.emplace_back(c.begin(), c.end());
  return out;
}

void MpiSession::abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

}  // namespace sqsim::sq