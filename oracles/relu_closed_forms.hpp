// Closed forms for relu under x ~ N(0, I_d) (DESIGN.md, "Useful exact facts"). Used by the exact
// oracle where a query's closed-form tag applies, and as independent references in the tests.
#pragma once

#include "sq/query.hpp"

namespace oracles::closed_form {

using sq::Vector;

// Angle between w and v in [0, pi]; 0 if either is zero.
double angle(const Vector& w, const Vector& v);
// E[relu(w.x) relu(v.x)] = |w||v| (sin t + (pi - t) cos t) / (2 pi)   (arc-cosine kernel)
double relu_kernel(const Vector& w, const Vector& v);
// E[(relu(w.x) - relu(v.x))^2]
double realizable_square_loss(const Vector& w, const Vector& v);
// E[relu(v.x) relu'(w.x) x] with relu'(0) = 1/2: ((pi - t) v + |v| sin t w^)/(2 pi), or v/4 at w = 0.
Vector relu_times_step_times_x(const Vector& w, const Vector& v);
// E[(relu(w.x) - relu(v.x)) relu'(w.x) x] = half the gradient of the realizable square loss.
Vector realizable_half_gradient(const Vector& w, const Vector& v);

}  // namespace oracles::closed_form
