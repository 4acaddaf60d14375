// Statistical queries: what an SQ algorithm may ask an oracle.
//
// Every query carries a kind (which declared bound it promises), a name (for the ledger,
// the transcript and error messages) and a point evaluator q(x, y) that any sample-based
// oracle can use. Queries built with `ridge(...)` additionally carry their structure
// g(Wᵀx, y) so that an exact oracle can integrate them without sampling.
#pragma once

#include <Eigen/Core>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sq {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

// Which bound a query declares; the oracle refuses a query that breaks it.
enum class QueryKind {
  stat,           // |q(x, y)| <= 1 everywhere (Kearns' STAT)
  l2,             // E_{D0}[q^2] <= 1 under the oracle's reference distribution D0
  correlational,  // q(x, y) = h(x) * y with |h| <= 1
  vstat,          // q in [0, 1]; tolerance tau stands for VSTAT(t = 1/tau)
};
std::string_view to_string(QueryKind kind);

// Norm in which a vector answer must be within tolerance.
enum class VectorNorm { l2, linf };
std::string_view to_string(VectorNorm norm);

// Known closed forms an exact oracle may use instead of quadrature. The tag is a promise
// about g (below); the oracle still checks the declared bound by its own integration.
enum class ClosedForm {
  none,
  square_loss,           // g(z, y) = (relu(z) - y)^2,          z = w.x  (W has one column)
  square_loss_gradient,  // g(z, y) = (relu(z) - y) * relu'(z), relu'(0) = 1/2
  parity_character,      // g(z, y) = y * prod_j sign(z_j), W's columns distinct standard basis vectors
};

// A hyperplane {x : (Wᵀx)_j = level} on which g may be discontinuous or kinked. g must be
// smooth (analytic) elsewhere for an exact oracle to reach its stated accuracy; the planes
// (Wᵀx)_j = 0 are always assumed to be breakpoints.
struct Breakpoint {
  int coordinate = 0;
  double level = 0.0;
};

using PointFunction = std::function<double(const Vector& x, double y)>;
using RidgeFunction = std::function<double(const Vector& z, double y)>;
using FeatureFunction = std::function<double(const Vector& z)>;

// The structure g(Wᵀx, y) of a ridge query, with an optional linear factor c (q = g·cᵀx).
struct RidgeForm {
  Matrix W;  // d x s, s small
  RidgeFunction g;
  std::vector<Breakpoint> breakpoints;
  ClosedForm closed_form = ClosedForm::none;
  std::optional<Vector> linear_factor;  // c, length d
  double closed_form_scale = 1.0;       // g is the tagged function divided by this
};

struct ScalarQuery {
  QueryKind kind = QueryKind::l2;
  std::string name;
  PointFunction evaluate;                  // q(x, y); always set
  std::optional<RidgeForm> ridge;          // set when the query is structured
  FeatureFunction correlational_feature;   // h, set for correlational queries

  // q(x, y) known only as a function: only sample-based oracles can answer it.
  static ScalarQuery black_box(QueryKind kind, std::string name, PointFunction q);
  // q(x, y) = g(Wᵀx, y).
  static ScalarQuery ridge_query(QueryKind kind, std::string name, Matrix W, RidgeFunction g,
                                 std::vector<Breakpoint> breakpoints = {},
                                 ClosedForm closed_form = ClosedForm::none);
  // q(x, y) = g(Wᵀx, y) * cᵀx: one coordinate of a ridge vector query, for instance.
  static ScalarQuery ridge_times_linear(QueryKind kind, std::string name, Matrix W, RidgeFunction g,
                                        Vector c, std::vector<Breakpoint> breakpoints = {},
                                        ClosedForm closed_form = ClosedForm::none);
  // q(x, y) = h(Wᵀx) * y with |h| <= 1 (a correlational statistical query).
  static ScalarQuery correlational(std::string name, Matrix W, FeatureFunction h,
                                   std::vector<Breakpoint> breakpoints = {});
};

using VectorPointFunction = std::function<void(const Vector& x, double y, Eigen::Ref<Vector> out)>;

// A vector-valued query q: (x, y) -> R^m, answered within tolerance in `norm`. Every
// coordinate must satisfy the declared bound of `kind`. The ledger counts it as one vector
// query and as m scalar queries.
struct VectorQuery {
  QueryKind kind = QueryKind::l2;
  std::string name;
  Eigen::Index dimension = 0;
  VectorNorm norm = VectorNorm::l2;
  VectorPointFunction evaluate;     // writes q(x, y) into out (size m); always set
  std::optional<RidgeForm> ridge;   // q = g(Wᵀx, y) * x (m = d); linear_factor unused

  static VectorQuery black_box(QueryKind kind, std::string name, Eigen::Index dimension,
                               VectorPointFunction q, VectorNorm norm = VectorNorm::l2);
  // q(x, y) = g(Wᵀx, y) * x, the shape of every gradient of a ridge loss.
  static VectorQuery ridge_times_x(QueryKind kind, std::string name, Matrix W, RidgeFunction g,
                                   std::vector<Breakpoint> breakpoints = {},
                                   ClosedForm closed_form = ClosedForm::none,
                                   VectorNorm norm = VectorNorm::l2);
};

// relu and the subgradient convention of Soltanolkotabi's analysis (relu'(0) = 1/2).
inline double relu(double t) { return t > 0.0 ? t : 0.0; }
inline double relu_derivative(double t) { return t > 0.0 ? 1.0 : (t < 0.0 ? 0.0 : 0.5); }

}  // namespace sq
