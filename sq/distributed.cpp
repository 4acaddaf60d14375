#include "sqsim/sq/distributed.hpp"

#include "sqsim/sq/errors.hpp"
#include "sqsim/sq/parallel.hpp"

#include <exception>
#include <stdexcept>

namespace sqsim::sq {
namespace {

Communicator* installed = nullptr;

// Failures travel as a code (the first number each process sends) and a message.
constexpr int none = 0, invalid_argument = 1, refused = 2, budget = 3, other = 4;

[[noreturn]] void rethrow(int code, const std::string& message) {
  switch (code) {
    case invalid_argument:
      throw std::invalid_argument(message);
    case refused:
      throw QueryRefused(message);
    case budget:
      throw BudgetExceeded(message);
    default:
      throw std::runtime_error(message);
  }
}

}  // namespace

void set_communicator(Communicator* communicator) { installed = communicator; }
int process_rank() { return installed ? installed->rank() : 0; }
int process_count() { return installed ? installed->size() : 1; }

namespace {

// What a process's work threw: a code that travels, its message and the exception itself.
struct Outcome {
  int failure = none;
  std::string message;
  std::exception_ptr error;
};

Outcome run_caught(const std::function<void()>& work) {
  Outcome o;
  try {
    work();
  } catch (const std::invalid_argument& e) {
    o = {invalid_argument, e.what(), std::current_exception()};
  } catch (const QueryRefused& e) {
    o = {refused, e.what(), std::current_exception()};
  } catch (const BudgetExceeded& e) {
    o = {budget, e.what(), std::current_exception()};
  } catch (const std::exception& e) {
    o = {other, e.what(), std::current_exception()};
  }
  return o;
}

// After an exchange that showed `first_failed` failing with `code`: the process that failed rethrows
// its own exception (its exact type); the others rebuild it from the code and the message.
[[noreturn]] void fail_together(const Outcome& mine, int first_failed, int code) {
  const std::vector<std::string> messages = installed->all_gather(mine.message);
  if (process_rank() == first_failed) std::rethrow_exception(mine.error);
  rethrow(code, messages[static_cast<std::size_t>(first_failed)]);
}

}  // namespace

void on_output_process(const std::function<void()>& action) {
  const Outcome mine = output_process() ? run_caught(action) : Outcome{};
  if (!installed || process_count() == 1) {
    if (mine.error) std::rethrow_exception(mine.error);
    return;
  }
  const auto all = installed->all_gather(std::vector<double>{static_cast<double>(mine.failure)});
  if (all.at(0).at(0) != none) fail_together(mine, 0, static_cast<int>(all[0][0]));
}

std::vector<std::vector<double>> distributed_map(std::int64_t tasks, int threads,
                                                 const std::function<void(std::int64_t, int, std::vector<double>&)>& body) {
  std::vector<std::vector<double>> outputs(static_cast<std::size_t>(std::max<std::int64_t>(tasks, 0)));
  const std::int64_t ranks = process_count(), rank = process_rank();
  auto share_begin = [&](std::int64_t r) { return tasks * r / ranks; };  // contiguous shares by task index
  const std::int64_t begin = share_begin(rank), end = share_begin(rank + 1);
  const Outcome mine = run_caught([&] {
    parallel_for(end - begin, threads,
                 [&](std::int64_t i, int worker) { body(begin + i, worker, outputs[static_cast<std::size_t>(begin + i)]); });
  });
  if (!installed || ranks == 1) {
    if (mine.error) std::rethrow_exception(mine.error);
    return outputs;
  }
  // One exchange: [failure, the share's output lengths, their values concatenated].
  std::vector<double> local{static_cast<double>(mine.failure)};
  if (mine.failure == none) {
    for (std::int64_t t = begin; t < end; ++t) local.push_back(static_cast<double>(outputs[static_cast<std::size_t>(t)].size()));
    for (std::int64_t t = begin; t < end; ++t)
      local.insert(local.end(), outputs[static_cast<std::size_t>(t)].begin(), outputs[static_cast<std::size_t>(t)].end());
  }
  const std::vector<std::vector<double>> all = installed->all_gather(local);
  for (int r = 0; r < static_cast<int>(all.size()); ++r)
    if (all[static_cast<std::size_t>(r)].at(0) != none) fail_together(mine, r, static_cast<int>(all[static_cast<std::size_t>(r)][0]));
  for (std::int64_t r = 0; r < ranks; ++r) {
    if (r == rank) continue;
    const std::vector<double>& from = all[static_cast<std::size_t>(r)];
    const std::int64_t first = share_begin(r), count = share_begin(r + 1) - first;
    std::size_t at = 1 + static_cast<std::size_t>(count);
    for (std::int64_t i = 0; i < count; ++i) {
      const auto length = static_cast<std::size_t>(from[static_cast<std::size_t>(1 + i)]);
      outputs[static_cast<std::size_t>(first + i)].assign(from.begin() + static_cast<std::ptrdiff_t>(at),
                                                          from.begin() + static_cast<std::ptrdiff_t>(at + length));
      at += length;
    }
  }
  return outputs;
}

}  // namespace sqsim::sq