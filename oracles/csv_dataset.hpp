// A fixed data set of (x, y) pairs: drawn once from a world, or loaded from CSV.
#pragma once

#include "sqsim/oracles/relu_world.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace sqsim::oracles {

struct Dataset {
  Matrix X;  // d x n: one sample per column
  Vector y;  // n labels
  Eigen::Index dimension() const { return X.rows(); }
  Eigen::Index size() const { return X.cols(); }
};

struct LabelRange {
  double low = 0.0, high = 1.0;
};

// Each non-blank line not starting with '#': d features, then the label, comma-separated.
// Throws std::invalid_argument naming the file and line for an unreadable file, a ragged row, a
// non-numeric or non-finite field, or a label outside [range.low, range.high].
Dataset load_csv(const std::string& path, LabelRange range = {});
// The same from a stream; `name` stands for the file in messages.
Dataset parse_csv(std::istream& in, const std::string& name, LabelRange range = {});

// n samples of the world, drawn with the given seed (same seed, same data).
Dataset draw_dataset(const ReluWorld& world, Eigen::Index n, std::uint64_t seed);

}  // namespace sqsim::oracles