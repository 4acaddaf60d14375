// The standard queries of ReLU regression and parity learning, shared by algorithms (which ask them) and by
// evaluators (which compute them exactly). A scale s > 0 asks q/s, so that a query whose
// second moment exceeds 1 can still be a bounded-norm query; the asker multiplies the answer by s.
#pragma once

#include "sq/query.hpp"

#include <vector>

namespace sq {

// (relu(w.x) - y)^2 / scale: the square loss at w.
ScalarQuery square_loss_query(const Vector& w, double scale = 1.0);

// (relu(w.x) - y) relu'(w.x) x / scale: half the gradient of the square loss at w, as one vector
// query (relu'(0) = 1/2, so that w = 0 is a valid starting point).
VectorQuery square_loss_half_gradient_query(const Vector& w, double scale = 1.0, VectorNorm norm = VectorNorm::l2);

// Coordinate i of the same, as one scalar query.
ScalarQuery square_loss_half_gradient_coordinate(const Vector& w, Eigen::Index i, double scale = 1.0);

// y * prod_{j in subset} sign(x_j): the correlational query that tests one candidate parity.
ScalarQuery parity_correlation_query(Eigen::Index d, const std::vector<int>& subset);

}  // namespace sq
