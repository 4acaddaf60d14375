#include "sqsim/sq/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sqsim::sq {

int resolve_threads(int requested) {
  return requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void parallel_for(std::int64_t tasks, int threads, const std::function<void(std::int64_t, int)>& body) {
  if (tasks <= 0) return;
  const int workers = static_cast<int>(std::min<std::int64_t>(tasks, resolve_threads(threads)));
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto work = [&](int worker) {
    for (std::int64_t task = next++; task < tasks && !failed; task = next++) {
      try {
        body(task, worker);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
  }  // joins
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace sqsim::sq