// The typed queries of ReLU regression. Each type carries its parameters and builds its own
// g from them, so an oracle's closed form for the type and its quadrature of g answer the same
// question. A positive `scale` asks q/scale so that a query whose second moment exceeds 1 can still
// be a bounded-norm (l2) query; the asker multiplies the answer by scale.
//
// Build them with the functions at the end (square_loss(w), half_gradient(w), ...) or with
// sq::ScalarQuery::of(SquareLoss{w, 2.0}); read the parameters back with query.as<SquareLoss>().
#pragma once

#include "sqsim/sq/query.hpp"

#include <string>
#include <string_view>

namespace sqsim::queries {

using sq::Vector;

// relu and the subgradient convention of Soltanolkotabi's analysis (relu'(0) = 1/2).
inline double relu(double t) { return t > 0.0 ? t : 0.0; }
inline double relu_derivative(double t) { return t > 0.0 ? 1.0 : (t < 0.0 ? 0.0 : 0.5); }

// (relu(w.x) - y)^2 / scale: the square loss at w.
struct SquareLoss {
  static constexpr std::string_view type_name = "square_loss";
  Vector w;
  double scale = 1.0;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  std::string name() const { return "square_loss"; }
  sq::RidgeForm ridge() const;
  void validate() const;
};

// (relu(w.x) - y) relu'(w.x) x / scale: half the gradient of the square loss at w (vector query).
struct HalfGradient {
  static constexpr std::string_view type_name = "half_gradient";
  Vector w;
  double scale = 1.0;
  sq::VectorNorm answer_norm = sq::VectorNorm::l2;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  sq::VectorNorm norm() const { return answer_norm; }
  std::string name() const { return "half_gradient"; }
  sq::RidgeForm ridge() const;
  Eigen::Index dimension() const { return w.size(); }  // known without building the ridge form
  void validate() const;
};

// Coordinate i of HalfGradient, as one scalar query: (relu(w.x) - y) relu'(w.x) x_i / scale.
struct HalfGradientCoordinate {
  static constexpr std::string_view type_name = "half_gradient_coordinate";
  Vector w;
  Eigen::Index coordinate = 0;
  double scale = 1.0;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  std::string name() const { return "half_gradient[" + std::to_string(coordinate) + "]"; }
  sq::RidgeForm ridge() const;
  void validate() const;
};

// (relu(w.x) - y) x / scale: the gradient of the convex surrogate E[relu(w.x)^2/2 - y (w.x)]
// (the GLMtron update of Kakade et al.; Diakonikolas et al. 2020's route to O(opt)).
struct SurrogateGradient {
  static constexpr std::string_view type_name = "surrogate_gradient";
  Vector w;
  double scale = 1.0;
  sq::VectorNorm answer_norm = sq::VectorNorm::l2;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  sq::VectorNorm norm() const { return answer_norm; }
  std::string name() const { return "surrogate_gradient"; }
  sq::RidgeForm ridge() const;
  Eigen::Index dimension() const { return w.size(); }
  void validate() const;
};

// y x / scale: the label correlation E[y x] (2 E[y x] minimises the surrogate's linear part).
struct LabelCorrelation {
  static constexpr std::string_view type_name = "label_correlation";
  Eigen::Index dimension = 1;
  double scale = 1.0;
  sq::VectorNorm answer_norm = sq::VectorNorm::l2;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  sq::VectorNorm norm() const { return answer_norm; }
  std::string name() const { return "label_correlation"; }
  sq::RidgeForm ridge() const;
  void validate() const;
};

// y relu(w.x) / scale: how much of the label a ReLU along w explains (rescaling, certificates).
struct ReluCorrelation {
  static constexpr std::string_view type_name = "relu_correlation";
  Vector w;
  double scale = 1.0;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  std::string name() const { return "relu_correlation"; }
  sq::RidgeForm ridge() const;
  void validate() const;
};

// y 1{w.x > t} / scale: the label mass above a threshold along w.
struct ThresholdCorrelation {
  static constexpr std::string_view type_name = "threshold_correlation";
  Vector w;
  double threshold = 0.0;
  double scale = 1.0;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  std::string name() const { return "threshold_correlation"; }
  sq::RidgeForm ridge() const;
  void validate() const;
};

// sign(y - t) x / scale: the Chow vector of the thresholded labels z = sign(y - t), whose direction is
// the averaging estimate of the best halfspace for z under Gaussian inputs (GKK 2019's reduction).
struct ThresholdedLabelCorrelation {
  static constexpr std::string_view type_name = "thresholded_label_correlation";
  Eigen::Index dimension = 1;
  double threshold = 0.5;
  double scale = 1.0;
  sq::VectorNorm answer_norm = sq::VectorNorm::l2;
  sq::QueryKind kind() const { return sq::QueryKind::l2; }
  sq::VectorNorm norm() const { return answer_norm; }
  std::string name() const { return "thresholded_label_correlation"; }
  sq::RidgeForm ridge() const;
  void validate() const;
};

sq::ScalarQuery square_loss(const Vector& w, double scale = 1.0);
sq::VectorQuery half_gradient(const Vector& w, double scale = 1.0, sq::VectorNorm norm = sq::VectorNorm::l2);
sq::ScalarQuery half_gradient_coordinate(const Vector& w, Eigen::Index i, double scale = 1.0);
sq::VectorQuery surrogate_gradient(const Vector& w, double scale = 1.0, sq::VectorNorm norm = sq::VectorNorm::l2);
sq::VectorQuery label_correlation(Eigen::Index dimension, double scale = 1.0, sq::VectorNorm norm = sq::VectorNorm::l2);
sq::ScalarQuery relu_correlation(const Vector& w, double scale = 1.0);
sq::ScalarQuery threshold_correlation(const Vector& w, double threshold, double scale = 1.0);
sq::VectorQuery thresholded_label_correlation(Eigen::Index dimension, double threshold, double scale = 1.0);

// Upper bounds on max_i E_D0[q_i^2] for the gradient queries at w (scale 1), when D0's labels are
// independent of x with E[y^2] <= label_second_moment: an algorithm that divides its query by the
// square root of the bound asks a legal l2 query whatever d, w and the labels' law.
//   HalfGradient: |w|^2 + 2 max_i w_i^2 + m2 (from (a - b)^2 <= 2a^2 + 2b^2,
//     E[relu(w.x)^2 x_i^2] = |w|^2/2 + w_i^2 and E[relu'(w.x)^2 x_i^2] <= 1/2).
//   SurrogateGradient: 2 (|w|^2/2 + max_i w_i^2) + 2 m2 (the same with E[x_i^2] = 1).
double half_gradient_second_moment_bound(const Vector& w, double label_second_moment);
double surrogate_gradient_second_moment_bound(const Vector& w, double label_second_moment);

}  // namespace sqsim::queries