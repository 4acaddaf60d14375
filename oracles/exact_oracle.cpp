#include "sqsim/oracles/exact_oracle.hpp"

#include "sqsim/oracles/detail/ridge_moments.hpp"
#include "sqsim/oracles/relu_closed_forms.hpp"
#include "sqsim/sq/dispatch.hpp"
#include "sqsim/sq/errors.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace sqsim::oracles {
namespace {

constexpr double kBoundSlack = 1e-9;  // quadrature error allowed when checking a declared bound

using ScalarClosedForms = sq::QueryTypes<queries::SquareLoss, queries::HalfGradientCoordinate, queries::ReluCorrelation>;
using VectorClosedForms = sq::QueryTypes<queries::HalfGradient, queries::SurrogateGradient, queries::LabelCorrelation>;
// Types whose D0 mean and declared L2 norm have closed forms for any label marginal.
using ScalarReferenceForms =
    sq::QueryTypes<queries::SquareLoss, queries::HalfGradientCoordinate, queries::ReluCorrelation, queries::ThresholdCorrelation>;
using VectorReferenceForms =
    sq::QueryTypes<queries::HalfGradient, queries::SurrogateGradient, queries::LabelCorrelation, queries::ThresholdedLabelCorrelation>;

// The closed form of a typed query under the world, if it has one there.
template <class Types, class Query>
auto closed_form_of(const ReluWorld& world, const Query& query) {
  auto value = Types::visit(query, [&](const auto& typed) { return closed_form::typed(world, typed); });
  return value ? std::move(*value) : std::remove_cvref_t<decltype(*value)>{};
}

// The declared L2 norm of a typed query under D0, in closed form (std::nullopt for other queries
// or where the moments needed are unknown); its D0 mean only when a policy needs it.
template <class Types, class Query>
std::optional<double> reference_second(const LabelMoments& labels, const Query& query) {
  auto second = Types::visit(query, [&](const auto& typed) { return std::optional<double>(reference::second(labels, typed)); });
  return second ? *second : std::nullopt;
}

template <class Types, class Query>
auto reference_mean(const LabelMoments& labels, const Query& query) {
  return Types::visit(query, [&](const auto& typed) {
    using Mean = std::conditional_t<std::is_same_v<Query, sq::ScalarQuery>, double, Vector>;
    return Mean(reference::mean(labels, typed));
  });
}

}  // namespace

ExactOracle::ExactOracle(ReluWorld world, ExactOracleParams params)
    : world_(std::move(world)), labels_(detail::label_moments(world_)), params_(params), perturber_(params.perturbation, params.seed) {}

std::string ExactOracle::name() const { return "exact/" + std::string(to_string(params_.perturbation)); }

std::string ExactOracle::answers() {
  // Appended, not `literal + std::string + ...`: GCC 12 at -O3 warns falsely on that (-Warray-bounds, GCC bug 105651).
  std::string text =
      "ridge queries g(Wᵀx, y) (and g·cᵀx, g·x) whose directions span at most two dimensions with the "
      "teacher's (one without it under D0), in closed form where the labels allow: ";
  text.append(ScalarClosedForms::names()).append(", ").append(VectorClosedForms::names());
  return text;
}

namespace {

// The exact oracle's two refusals of a query's shape: not a ridge query, or W of the wrong height.
template <class Query>
void require_shape(const Query& query, bool is_ridge, Eigen::Index rows, Eigen::Index d) {
  if (!is_ridge)
    throw sq::QueryRefused(query.label() + " is not a ridge query: the exact oracle answers " + ExactOracle::answers() +
                           "; use a sample oracle for anything else");
  if (rows != d)
    throw sq::QueryRefused(query.label() + " has W with " + std::to_string(rows) + " rows, the world has dimension " + std::to_string(d));
}

template <class Query>
const sq::RidgeForm& require_ridge(const Query& query, Eigen::Index d) {
  const sq::RidgeForm* ridge = query.ridge();
  require_shape(query, ridge != nullptr, ridge ? ridge->W.rows() : 0, d);
  return *ridge;
}

// The same checks without building the ridge form (a typed vector query knows its dimension): the
// typed queries answered in closed form never need it.
void require_ridge_shape(const sq::VectorQuery& query, Eigen::Index d) { require_shape(query, query.has_ridge(), query.dimension(), d); }

}  // namespace

double ExactOracle::expectation(const sq::ScalarQuery& query, bool closed_forms) const {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  if (closed_forms)
    if (auto exact = closed_form_of<ScalarClosedForms>(world_, query)) return *exact;
  return detail::scalar_mean(detail::ridge_moments(world_, ridge, query.label(), false), ridge);
}

Vector ExactOracle::expectation(const sq::VectorQuery& query, bool closed_forms) const {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  if (closed_forms)
    if (auto exact = closed_form_of<VectorClosedForms>(world_, query)) return *exact;
  const detail::RidgeMoments m = detail::ridge_moments(world_, ridge, query.label(), false);
  return m.Q * m.mean_times_t;
}

double ExactOracle::reference_expectation(const sq::ScalarQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  return detail::scalar_mean(detail::ridge_moments(world_, ridge, query.label(), true), ridge);
}

Vector ExactOracle::reference_expectation(const sq::VectorQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  const detail::RidgeMoments m = detail::ridge_moments(world_, ridge, query.label(), true);
  return m.Q * m.mean_times_t;
}

double ExactOracle::reference_second_moment(const sq::ScalarQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  return detail::scalar_second(detail::ridge_moments(world_, ridge, query.label(), true), ridge);
}

double ExactOracle::reference_second_moment(const sq::VectorQuery& query) const {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  return detail::vector_max_second(detail::ridge_moments(world_, ridge, query.label(), true));
}

sq::ScalarAnswer ExactOracle::answer(const sq::ScalarQuery& query, double tolerance) {
  const sq::RidgeForm& ridge = require_ridge(query, dimension());
  const std::string label = query.label();
  if (ridge.linear_factor && query.kind() != sq::QueryKind::l2)
    throw sq::QueryRefused(label + " has a factor linear in x, so it is unbounded; declare it an l2 query");

  const std::optional<double> exact = closed_form_of<ScalarClosedForms>(world_, query);
  // Under D: needed for the truth unless a closed form gives it, and for the sup-norm checks.
  std::optional<detail::RidgeMoments> under_d;
  if (!exact || query.kind() != sq::QueryKind::l2) under_d = detail::ridge_moments(world_, ridge, query.label(), false);
  switch (query.kind()) {
    case sq::QueryKind::stat:
      if (std::max(-under_d->min_value, under_d->max_value) > 1.0 + kBoundSlack)
        throw sq::QueryRefused(label + " reaches |q| = " + sq::format_number(std::max(-under_d->min_value, under_d->max_value)) + " > 1");
      break;
    case sq::QueryKind::vstat:
      if (under_d->min_value < -kBoundSlack || under_d->max_value > 1.0 + kBoundSlack)
        throw sq::QueryRefused(label + " takes values in [" + sq::format_number(under_d->min_value) + ", " +
                               sq::format_number(under_d->max_value) + "], outside [0, 1]");
      break;
    case sq::QueryKind::correlational:
      if (!ridge.feature)
        throw sq::QueryRefused(label +
                               " declares itself correlational but carries no feature h to check |h| <= 1; "
                               "build it with ScalarQuery::correlational");
      if (under_d->max_abs_feature > 1.0 + kBoundSlack)
        throw sq::QueryRefused(label + " has |h| = " + sq::format_number(under_d->max_abs_feature) + " > 1");
      break;
    case sq::QueryKind::l2:
      break;
  }
  // Under D0: the declared L2 norm and the worst-case direction, in closed form for the typed queries.
  const std::optional<double> typed_second = reference_second<ScalarReferenceForms>(labels_, query);
  const bool worst_case = params_.perturbation == Perturbation::worst_case;
  const std::optional<double> typed_mean = worst_case ? reference_mean<ScalarReferenceForms>(labels_, query) : std::nullopt;
  std::optional<detail::RidgeMoments> under_reference;
  if ((query.kind() == sq::QueryKind::l2 && !typed_second) || (worst_case && !typed_mean))
    under_reference = detail::ridge_moments(world_, ridge, query.label(), true);
  if (query.kind() == sq::QueryKind::l2) {
    const double norm2 = typed_second ? *typed_second : detail::scalar_second(*under_reference, ridge);
    if (norm2 > 1.0 + kBoundSlack)
      throw sq::QueryRefused(label + " has E_D0[q^2] = " + sq::format_number(norm2) + " > 1: scale the query down (and its answer up)");
  }
  const double truth = exact ? *exact : detail::scalar_mean(*under_d, ridge);
  const double reference = typed_mean ? *typed_mean : under_reference ? detail::scalar_mean(*under_reference, ridge) : truth;
  return sq::ScalarAnswer{perturber_.apply(truth, reference, tolerance, query.kind()), truth};
}

sq::VectorAnswer ExactOracle::answer(const sq::VectorQuery& query, double tolerance) {
  require_ridge_shape(query, dimension());
  if (query.kind() != sq::QueryKind::l2) throw sq::QueryRefused(query.label() + " is g(Wᵀx, y)·x, unbounded in x; declare it an l2 query");
  const std::optional<double> typed_second = reference_second<VectorReferenceForms>(labels_, query);
  std::optional<detail::RidgeMoments> under_reference;
  if (!typed_second) under_reference = detail::ridge_moments(world_, *query.ridge(), query.label(), true);
  const double norm2 = typed_second ? *typed_second : detail::vector_max_second(*under_reference);
  if (norm2 > 1.0 + kBoundSlack)
    throw sq::QueryRefused(query.label() + " has a coordinate with E_D0[q_i^2] = " + sq::format_number(norm2) +
                           " > 1: scale the query down (and its answer up)");
  std::optional<Vector> truth = closed_form_of<VectorClosedForms>(world_, query);
  if (!truth) {
    const detail::RidgeMoments under_d = detail::ridge_moments(world_, *query.ridge(), query.label(), false);
    truth = under_d.Q * under_d.mean_times_t;
  }
  if (params_.perturbation == Perturbation::truthful) return sq::VectorAnswer{std::move(*truth), std::nullopt, true};
  std::optional<Vector> reference;
  if (params_.perturbation == Perturbation::worst_case) {
    reference = typed_second ? reference_mean<VectorReferenceForms>(labels_, query) : std::nullopt;
    if (!reference) {
      if (!under_reference) under_reference = detail::ridge_moments(world_, *query.ridge(), query.label(), true);
      reference = under_reference->Q * under_reference->mean_times_t;
    }
  }
  Vector answer = perturber_.apply(*truth, reference ? *reference : *truth, tolerance, query.norm());
  return sq::VectorAnswer{std::move(answer), std::move(truth)};
}

}  // namespace sqsim::oracles