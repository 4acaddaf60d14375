// Closed forms for relu under x ~ N(0, I_d) (DESIGN.md, "Useful exact facts"), and the exact
// oracle's closed forms for the typed queries. Also the independent references of the tests.
#pragma once

#include "sqsim/oracles/relu_world.hpp"
#include "sqsim/queries/relu_regression.hpp"

#include <optional>

namespace sqsim::oracles::closed_form {

using sq::Vector;

// Angle between w and v in [0, pi]; 0 if either is zero.
double angle(const Vector& w, const Vector& v);
// E[relu(w.x) relu(v.x)] = |w||v| (sin t + (pi - t) cos t) / (2 pi)   (arc-cosine kernel)
double relu_kernel(const Vector& w, const Vector& v);
// E[(relu(w.x) - relu(v.x))^2]
double realizable_square_loss(const Vector& w, const Vector& v);
// E[relu(v.x) relu'(w.x) x] with relu'(0) = 1/2: ((pi - t) v + |v| sin t w^)/(2 pi), or v/4 at w = 0.
Vector relu_times_step_times_x(const Vector& w, const Vector& v);
// E[(relu(w.x) - relu(v.x)) relu'(w.x) x] = half the gradient of the realizable square loss,
// divided by `divisor` (a typed query's scale) in the same pass.
Vector realizable_half_gradient(const Vector& w, const Vector& v, double divisor = 1.0);
// The same with |v|^2 given (a world's teacher: computed once, not per query).
Vector realizable_half_gradient(const Vector& w, const Vector& v, double divisor, double v_squared_norm);

// One overload per typed query: its value under the world where the labels admit a closed form
// (E[y | x] = relu(v.x): the relu and noisy-relu models), else std::nullopt (the oracle then
// integrates the type's own g).
std::optional<double> typed(const ReluWorld& world, const queries::SquareLoss& q);
std::optional<double> typed(const ReluWorld& world, const queries::HalfGradientCoordinate& q);
std::optional<double> typed(const ReluWorld& world, const queries::ReluCorrelation& q);
std::optional<Vector> typed(const ReluWorld& world, const queries::HalfGradient& q);
std::optional<Vector> typed(const ReluWorld& world, const queries::SurrogateGradient& q);
std::optional<Vector> typed(const ReluWorld& world, const queries::LabelCorrelation& q);

}  // namespace sqsim::oracles::closed_form