// Statistical queries: what an SQ algorithm may ask an oracle.
//
// A query has a kind (the bound it declares), a name (for the ledger, the transcript and error
// messages) and a point evaluator q(x, y) that any sample-based oracle can use. Three ways to
// build one:
//   - black_box(kind, name, q): only sample-based oracles can answer it;
//   - ridge forms g(Wᵀx, y) (scalar, optionally times cᵀx) and g(Wᵀx, y)·x (vector): an exact
//     oracle integrates them over the few Gaussian directions they depend on;
//   - of(T{...}): a *typed* query. T is a plain type of a domain module (queries/) that carries its
//     own parameters and builds its own ridge form (or evaluator) from them. An oracle may answer a
//     type it knows in closed form (`as<T>()` gives the parameters back); since the g it would
//     integrate is built from the same parameters, the closed form and the g cannot disagree.
// A query is immutable once built: its kind, name, g and type cannot be changed separately.
#pragma once

#include <Eigen/Core>

#include <atomic>
#include <concepts>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

namespace sqsim::sq {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

// Whether every entry is finite: one vectorised pass (the sum of squares), where
// Eigen's allFinite() takes several.
bool all_finite(const Eigen::Ref<const Matrix>& m);

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

// A hyperplane {x : (Wᵀx)_j = level} on which g may be discontinuous or kinked. g must be smooth
// (analytic) elsewhere for an exact oracle to reach its stated accuracy; the planes (Wᵀx)_j = 0 are
// always assumed to be breakpoints.
struct Breakpoint {
  int coordinate = 0;
  double level = 0.0;
};

using PointFunction = std::function<double(const Vector& x, double y)>;
using RidgeFunction = std::function<double(const Vector& z, double y)>;
using FeatureFunction = std::function<double(const Vector& z)>;
using VectorPointFunction = std::function<void(const Vector& x, double y, Eigen::Ref<Vector> out)>;
// g over a block of points at once: out[j] = g(Z.col(j), y[j]) for Z of s x n (vectorised, optional).
using BatchRidgeFunction =
    std::function<void(const Eigen::Ref<const Matrix>& Z, const Eigen::Ref<const Vector>& y, Eigen::Ref<Vector> out)>;

// The structure of a ridge query: q = g(Wᵀx, y), times cᵀx when a linear factor c is given
// (scalar queries), or times x (vector queries).
struct RidgeForm {
  Matrix W;  // d x s, s small
  RidgeFunction g;
  std::vector<Breakpoint> breakpoints;
  std::optional<Vector> linear_factor;  // c, length d (scalar queries only)
  FeatureFunction feature;              // h of a correlational query g(z, y) = h(z) y, for the |h| <= 1 check
  BatchRidgeFunction g_batch;           // optional: the same g over a block (must agree with g; oracles use it for speed)
  // Label values at which g may jump or kink in y (e.g. t for sign(y - t)): an exact oracle splits its
  // quadrature where the label crosses them, as it does at the breakpoints in z.
  std::vector<double> label_levels;
};

namespace detail {
// The parameters of a typed query, shared by every copy of the query and never modified.
struct TypedPayload {
  std::shared_ptr<const void> object;
  const std::type_info* type = nullptr;
  std::string_view type_name;
};
void check_ridge(const std::string& name, const RidgeForm& form, bool vector);
// A query's ridge form, given or built on first use. A typed query's is built lazily: an oracle that
// answers the type in closed form never needs it, and building it copies W and checks it (a pass
// each over the d coordinates). Thread-safe; a build that throws is retried by the next use.
class RidgeSource {
 public:
  explicit RidgeSource(RidgeForm form);  // checked by the caller
  RidgeSource(std::function<RidgeForm()> make, std::string name, bool vector, std::optional<Eigen::Index> rows);
  const RidgeForm& get() const;

 private:
  mutable std::mutex mutex_;
  mutable std::atomic<const RidgeForm*> built_{nullptr};
  mutable std::optional<RidgeForm> form_;
  std::function<RidgeForm()> make_;
  std::string name_;
  bool vector_ = false;
  std::optional<Eigen::Index> rows_;  // what W must have (the dimension the query already reported)
};
// Whether the payload holds a T: the type_info addresses first (equal within one program), the
// full comparison only when they differ (across shared-library boundaries).
template <class T>
bool is_type(const TypedPayload& p) {
  return p.type && (p.type == &typeid(T) || *p.type == typeid(T));
}
template <class T>
concept HasTypeName = requires {
  { T::type_name } -> std::convertible_to<std::string_view>;
};
template <class T>
concept HasNameAndKind = requires(const T& t) {
  { t.name() } -> std::convertible_to<std::string>;
  { t.kind() } -> std::same_as<QueryKind>;
};
template <class T>
concept HasRidge = requires(const T& t) {
  { t.ridge() } -> std::same_as<RidgeForm>;
};
template <class T>
concept HasScalarEvaluate = requires(const T& t, const Vector& x, double y) {
  { t.evaluate(x, y) } -> std::convertible_to<double>;
};
template <class T>
concept HasVectorEvaluate = requires(const T& t, const Vector& x, double y, Eigen::Ref<Vector> out) {
  t.evaluate(x, y, out);
  { t.dimension() } -> std::convertible_to<Eigen::Index>;
};
template <class T>
concept HasDimension = requires(const T& t) {
  { t.dimension() } -> std::convertible_to<Eigen::Index>;
};
template <class T>
concept HasNorm = requires(const T& t) {
  { t.norm() } -> std::same_as<VectorNorm>;
};
template <class T>
concept HasScale = requires(const T& t) {
  { t.scale } -> std::convertible_to<double>;
};
template <class T>
concept HasValidate = requires(const T& t) {
  t.validate();
};
}  // namespace detail

class ScalarQuery {
 public:
  // q(x, y) known only as a function: only sample-based oracles can answer it.
  static ScalarQuery black_box(QueryKind kind, std::string name, PointFunction q);
  // q(x, y) = g(Wᵀx, y) [· cᵀx when form.linear_factor is set].
  static ScalarQuery ridge(QueryKind kind, std::string name, RidgeForm form);
  static ScalarQuery ridge_query(QueryKind kind, std::string name, Matrix W, RidgeFunction g, std::vector<Breakpoint> breakpoints = {});
  static ScalarQuery ridge_times_linear(QueryKind kind, std::string name, Matrix W, RidgeFunction g, Vector c,
                                        std::vector<Breakpoint> breakpoints = {});
  // q(x, y) = h(Wᵀx) * y with |h| <= 1 (a correlational statistical query).
  static ScalarQuery correlational(std::string name, Matrix W, FeatureFunction h, std::vector<Breakpoint> breakpoints = {});
  // A typed query. T must have `static constexpr std::string_view type_name`, `name()`, `kind()`,
  // and either `RidgeForm ridge() const` or `double evaluate(const Vector& x, double y) const`;
  // `validate()` is called when present.
  template <class T>
  static ScalarQuery of(T typed);

  QueryKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  double evaluate(const Vector& x, double y) const { return evaluate_(x, y); }
  // The ridge form (nullptr for a black box). A typed query builds it here on first use, and a
  // faulty type's form throws std::invalid_argument here (see detail::RidgeSource).
  const RidgeForm* ridge() const { return ridge_ ? &ridge_->get() : nullptr; }
  bool has_ridge() const { return ridge_ != nullptr; }  // without building it
  // The typed parameters, if this query was built by of(T{...}); nullptr otherwise.
  template <class T>
  const T* as() const {
    return detail::is_type<T>(typed_) ? static_cast<const T*>(typed_.object.get()) : nullptr;
  }
  std::string_view type_name() const { return typed_.type_name; }  // "" for untyped queries
  // A typed query with a member `scale` asks q/scale (so that its declared bound holds); the asker
  // multiplies the answer by it. 1 for every other query. Recorded in the transcript.
  double scale() const { return scale_; }
  // "query 'NAME' (KIND)": how every message refers to this query.
  std::string label() const;

 private:
  static ScalarQuery from_source(QueryKind kind, std::string name, std::shared_ptr<const detail::RidgeSource> source);

  QueryKind kind_ = QueryKind::l2;
  std::string name_;
  double scale_ = 1.0;
  PointFunction evaluate_;
  std::shared_ptr<const detail::RidgeSource> ridge_;  // shared by copies and by the point evaluator: W is stored once
  detail::TypedPayload typed_;
};

// A vector-valued query q: (x, y) -> R^m, answered within tolerance in norm(). Every coordinate
// must satisfy the declared bound of kind(). The ledger counts it as one vector query and as m
// scalar queries.
class VectorQuery {
 public:
  static VectorQuery black_box(QueryKind kind, std::string name, Eigen::Index dimension, VectorPointFunction q,
                               VectorNorm norm = VectorNorm::l2);
  // q(x, y) = g(Wᵀx, y) * x, the shape of every gradient of a ridge loss (form.linear_factor unused).
  static VectorQuery ridge(QueryKind kind, std::string name, RidgeForm form, VectorNorm norm = VectorNorm::l2);
  static VectorQuery ridge_times_x(QueryKind kind, std::string name, Matrix W, RidgeFunction g, std::vector<Breakpoint> breakpoints = {},
                                   VectorNorm norm = VectorNorm::l2);
  // A typed query: like ScalarQuery::of, with `RidgeForm ridge() const` (the g of g(Wᵀx, y)·x) or
  // `evaluate(x, y, out)` and `dimension()`; `VectorNorm norm() const` when present (else l2).
  template <class T>
  static VectorQuery of(T typed);

  QueryKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  Eigen::Index dimension() const { return dimension_; }
  VectorNorm norm() const { return norm_; }
  void evaluate(const Vector& x, double y, Eigen::Ref<Vector> out) const { evaluate_(x, y, out); }
  const RidgeForm* ridge() const { return ridge_ ? &ridge_->get() : nullptr; }  // as ScalarQuery::ridge
  bool has_ridge() const { return ridge_ != nullptr; }
  template <class T>
  const T* as() const {
    return detail::is_type<T>(typed_) ? static_cast<const T*>(typed_.object.get()) : nullptr;
  }
  std::string_view type_name() const { return typed_.type_name; }
  double scale() const { return scale_; }
  std::string label() const;

 private:
  static VectorQuery from_source(QueryKind kind, std::string name, Eigen::Index dimension,
                                 std::shared_ptr<const detail::RidgeSource> source, VectorNorm norm);

  QueryKind kind_ = QueryKind::l2;
  std::string name_;
  double scale_ = 1.0;
  Eigen::Index dimension_ = 0;
  VectorNorm norm_ = VectorNorm::l2;
  VectorPointFunction evaluate_;
  std::shared_ptr<const detail::RidgeSource> ridge_;  // shared by copies and by the point evaluator: W is stored once
  detail::TypedPayload typed_;
};

template <class T>
ScalarQuery ScalarQuery::of(T typed) {
  static_assert(detail::HasTypeName<T>, "a typed query needs `static constexpr std::string_view type_name`");
  static_assert(detail::HasNameAndKind<T>, "a typed query needs `std::string name() const` and `sq::QueryKind kind() const`");
  static_assert(detail::HasRidge<T> || detail::HasScalarEvaluate<T>,
                "a typed scalar query needs `sq::RidgeForm ridge() const` or `double evaluate(const Vector&, double) const`");
  if constexpr (detail::HasValidate<T>) typed.validate();
  auto object = std::make_shared<const T>(std::move(typed));
  ScalarQuery query;
  if constexpr (detail::HasRidge<T>) {
    query =
        from_source(object->kind(), object->name(),
                    std::make_shared<const detail::RidgeSource>([object] { return object->ridge(); }, object->name(), false, std::nullopt));
  } else {
    query = black_box(object->kind(), object->name(), [object](const Vector& x, double y) { return object->evaluate(x, y); });
  }
  query.typed_ = detail::TypedPayload{object, &typeid(T), T::type_name};
  if constexpr (detail::HasScale<T>) query.scale_ = object->scale;
  return query;
}

template <class T>
VectorQuery VectorQuery::of(T typed) {
  static_assert(detail::HasTypeName<T>, "a typed query needs `static constexpr std::string_view type_name`");
  static_assert(detail::HasNameAndKind<T>, "a typed query needs `std::string name() const` and `sq::QueryKind kind() const`");
  static_assert(detail::HasRidge<T> || detail::HasVectorEvaluate<T>,
                "a typed vector query needs `sq::RidgeForm ridge() const` (g of g(Wᵀx, y)·x) or "
                "`evaluate(const Vector&, double, Eigen::Ref<Vector>) const` and `dimension()`");
  if constexpr (detail::HasValidate<T>) typed.validate();
  auto object = std::make_shared<const T>(std::move(typed));
  VectorNorm norm = VectorNorm::l2;
  if constexpr (detail::HasNorm<T>) norm = object->norm();
  VectorQuery query;
  if constexpr (detail::HasRidge<T> && detail::HasDimension<T>) {
    const Eigen::Index dimension = object->dimension();
    if (dimension < 1) throw std::invalid_argument("query '" + object->name() + "': dimension must be >= 1");
    query = from_source(object->kind(), object->name(), dimension,
                        std::make_shared<const detail::RidgeSource>([object] { return object->ridge(); }, object->name(), true, dimension),
                        norm);
  } else if constexpr (detail::HasRidge<T>) {
    query = ridge(object->kind(), object->name(), object->ridge(), norm);  // W's rows are the dimension: built now
  } else {
    query = black_box(
        object->kind(), object->name(), object->dimension(),
        [object](const Vector& x, double y, Eigen::Ref<Vector> out) { object->evaluate(x, y, out); }, norm);
  }
  query.typed_ = detail::TypedPayload{object, &typeid(T), T::type_name};
  if constexpr (detail::HasScale<T>) query.scale_ = object->scale;
  return query;
}

}  // namespace sqsim::sq