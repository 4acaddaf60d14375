// Allocator tuning for programs that answer many queries on large vectors (opt-in, process-wide).
#pragma once

namespace sqsim::sq {

// glibc returns freed heap memory above 128 KB to the kernel, so a query whose d-length temporaries
// exceed that (d >= ~10^4) faults every page back in on the next query: at d = 10^4 an exact
// gradient answer costs ~0.6 ms instead of ~35 µs. This raises glibc's trim threshold and top pad
// so freed memory is kept for reuse. The sqsim program and bench/ call it; a library user may.
// No effect elsewhere than glibc.
void retain_freed_memory();

}  // namespace sqsim::sq