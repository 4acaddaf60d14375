// The one thread pool of sqsim: runs independent tasks on a few workers and carries the first
// exception a task throws back to the caller (never to std::terminate). Results must be written
// per task index by the caller, so they do not depend on the number of workers.
#pragma once

#include <cstdint>
#include <functional>

namespace sqsim::sq {

// The most threads any parameter may ask for (a typo like --threads 100000 must not start them).
constexpr int kMaxThreads = 1024;

// 0 means all hardware threads; otherwise the request itself (>= 1).
int resolve_threads(int requested);

// Runs body(task, worker) for every task in [0, tasks) on min(threads, tasks) workers (worker 0 is
// the calling thread) and returns when all have finished. If any task throws, the remaining tasks
// are skipped and the first exception is rethrown here.
void parallel_for(std::int64_t tasks, int threads, const std::function<void(std::int64_t task, int worker)>& body);

}  // namespace sqsim::sq