#include "sqsim/sq/vector_sums.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace sqsim::sq {
namespace {

// Four doubles per step in two independent accumulators (the adds' latency out of the loop). Each
// kernel is compiled twice, for AVX2 and for the baseline (SSE2, where a Lanes is two registers),
// and the loader picks the one this CPU runs (GCC/Clang function multiversioning): the build stays
// portable, and a pass over d doubles runs at AVX2 width where the CPU has it.
using Lanes = double __attribute__((vector_size(32)));
constexpr Eigen::Index kLanes = 4;
#define SQSIM_MULTIVERSION __attribute__((target_clones("avx2", "default")))

// By reference: a 32-byte vector passed by value has a different ABI with and without AVX.
[[gnu::always_inline]] inline void load(Lanes& v, const double* p) { __builtin_memcpy(&v, p, sizeof v); }  // unaligned
[[gnu::always_inline]] inline double sum(const Lanes& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

SQSIM_MULTIVERSION SquareRange square_range_of(const double* x, Eigen::Index n) {
  const Lanes zero = {0.0, 0.0, 0.0, 0.0};
  const double inf = std::numeric_limits<double>::infinity();
  Lanes sum0 = zero, sum1 = zero, low = {inf, inf, inf, inf}, high = zero;
  Eigen::Index i = 0;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    Lanes a, b;
    load(a, x + i);
    load(b, x + i + kLanes);
    const Lanes a2 = a * a, b2 = b * b;
    sum0 += a2;
    sum1 += b2;
    const Lanes lower = a2 < b2 ? a2 : b2, higher = a2 < b2 ? b2 : a2;
    low = lower < low ? lower : low;
    high = higher > high ? higher : high;
  }
  const Lanes total = sum0 + sum1;
  SquareRange out{sum(total), std::min(std::min(low[0], low[1]), std::min(low[2], low[3])),
                  std::max(std::max(high[0], high[1]), std::max(high[2], high[3]))};
  for (; i < n; ++i) {
    const double s = x[i] * x[i];
    out.sum += s;
    out.smallest = std::min(out.smallest, s);
    out.largest = std::max(out.largest, s);
  }
  return out;
}

SQSIM_MULTIVERSION DotSums dot_sums_of(const double* x, const double* y, Eigen::Index n) {
  const Lanes zero = {0.0, 0.0, 0.0, 0.0};
  Lanes ww0 = zero, ww1 = zero, wv0 = zero, wv1 = zero;
  Eigen::Index i = 0;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    Lanes a, b, c, e;
    load(a, x + i);
    load(b, x + i + kLanes);
    load(c, y + i);
    load(e, y + i + kLanes);
    ww0 += a * a;
    ww1 += b * b;
    wv0 += a * c;
    wv1 += b * e;
  }
  const Lanes ww = ww0 + ww1, wv = wv0 + wv1;
  DotSums out{sum(ww), sum(wv)};
  for (; i < n; ++i) {
    out.ww += x[i] * x[i];
    out.wv += x[i] * y[i];
  }
  return out;
}

SQSIM_MULTIVERSION double squared_sum_of(const double* x, Eigen::Index n) {
  const Lanes zero = {0.0, 0.0, 0.0, 0.0};
  Lanes s0 = zero, s1 = zero;
  Eigen::Index i = 0;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    Lanes a, b;
    load(a, x + i);
    load(b, x + i + kLanes);
    s0 += a * a;
    s1 += b * b;
  }
  const Lanes total = s0 + s1;
  double out = sum(total);
  for (; i < n; ++i) out += x[i] * x[i];
  return out;
}

SQSIM_MULTIVERSION void combine_into(double a, const double* x, double b, const double* y, double* out, Eigen::Index n) {
  for (Eigen::Index i = 0; i < n; ++i) out[i] = a * x[i] + b * y[i];
}

}  // namespace

SquareRange square_range(const Eigen::Ref<const Eigen::VectorXd>& w) {
  if (w.size() == 0) return {};
  return square_range_of(w.data(), w.size());
}

DotSums dot_sums(const Eigen::Ref<const Eigen::VectorXd>& w, const Eigen::Ref<const Eigen::VectorXd>& v) {
  assert(w.size() == v.size());
  return dot_sums_of(w.data(), v.data(), w.size());
}

double squared_sum(const double* data, Eigen::Index n) { return squared_sum_of(data, n); }

Eigen::VectorXd combine(double a, const Eigen::Ref<const Eigen::VectorXd>& w, double b, const Eigen::Ref<const Eigen::VectorXd>& v) {
  assert(w.size() == v.size());
  Eigen::VectorXd out(w.size());
  combine_into(a, w.data(), b, v.data(), out.data(), w.size());
  return out;
}

}  // namespace sqsim::sq