#include "sqsim/sq/ledger.hpp"

#include "sqsim/sq/errors.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>

namespace sqsim::sq {

void Budget::validate() const {
  if (max_scalar_queries) require(*max_scalar_queries >= 1, "budget", *max_scalar_queries, "must be at least 1 query");
  if (min_tolerance)
    require(std::isfinite(*min_tolerance) && *min_tolerance > 0.0, "min_tolerance", *min_tolerance, "must be a finite number > 0");
}

QueryChannel::QueryChannel(Oracle& oracle, Budget budget, std::ostream* transcript)
    : oracle_(oracle), budget_(budget), transcript_(transcript) {
  budget_.validate();
}

void QueryChannel::charge(const std::string& name, double tolerance, std::int64_t cost) {
  require(std::isfinite(tolerance) && tolerance > 0.0, "tolerance of query '" + name + "'", tolerance, "must be a finite number > 0");
  if (budget_.min_tolerance && tolerance < *budget_.min_tolerance)
    throw BudgetExceeded("query '" + name + "' asks tolerance " + format_number(tolerance) + ", below the budget's smallest tolerance " +
                         format_number(*budget_.min_tolerance));
  if (budget_.max_scalar_queries && ledger_.scalar_equivalent + cost > *budget_.max_scalar_queries)
    throw BudgetExceeded("budget of " + std::to_string(*budget_.max_scalar_queries) + " scalar-equivalent queries exhausted: " +
                         std::to_string(ledger_.scalar_equivalent) + " spent, query '" + name + "' costs " + std::to_string(cost));
}

namespace {
nlohmann::json to_json(const Vector& v) { return std::vector<double>(v.data(), v.data() + v.size()); }
}  // namespace

void QueryChannel::log_refusal(const std::string& name, const std::string& shape, double tolerance, const char* why) {
  if (!transcript_) return;
  *transcript_ << nlohmann::json{{"index", ledger_.total_queries() + 1},
                                 {"name", name},
                                 {"shape", shape},
                                 {"tolerance", tolerance},
                                 {"refused", why}}
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
               << '\n';
}

template <class Query>
auto QueryChannel::answer_or_log(const Query& query, double tolerance, const char* shape) {
  try {
    return oracle_.answer(query, tolerance);
  } catch (const QueryRefused& refused) {
    log_refusal(query.name(), shape, tolerance, refused.what());
    throw;
  }
}

double QueryChannel::ask(const ScalarQuery& query, double tolerance) {
  charge(query.name(), tolerance, 1);
  const ScalarAnswer answer = answer_or_log(query, tolerance, "scalar");
  ++ledger_.scalar_queries;
  ++ledger_.scalar_equivalent;
  ledger_.smallest_tolerance = std::min(ledger_.smallest_tolerance, tolerance);
  if (transcript_) {
    nlohmann::json line{{"index", ledger_.total_queries()}, {"name", query.name()},  {"kind", to_string(query.kind())}, {"shape", "scalar"},
                        {"tolerance", tolerance},           {"answer", answer.value}};
    if (!query.type_name().empty()) line["type"] = query.type_name();
    if (query.scale() != 1.0) line["scale"] = query.scale();
    line["true_value"] = answer.true_value ? nlohmann::json(*answer.true_value) : nlohmann::json(nullptr);
    *transcript_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return answer.value;
}

Vector QueryChannel::ask(const VectorQuery& query, double tolerance) {
  charge(query.name(), tolerance, query.dimension());
  VectorAnswer answer = answer_or_log(query, tolerance, "vector");
  if (answer.value.size() != query.dimension())
    throw std::logic_error("oracle '" + oracle_.name() + "' answered query '" + query.name() + "' with " +
                           std::to_string(answer.value.size()) + " coordinates, expected " + std::to_string(query.dimension()));
  ++ledger_.vector_queries;
  ledger_.scalar_equivalent += query.dimension();
  ledger_.smallest_tolerance = std::min(ledger_.smallest_tolerance, tolerance);
  if (transcript_) {
    nlohmann::json line{{"index", ledger_.total_queries()}, {"name", query.name()},
                        {"kind", to_string(query.kind())},  {"shape", "vector"},
                        {"dimension", query.dimension()},   {"norm", to_string(query.norm())},
                        {"tolerance", tolerance},           {"answer", to_json(answer.value)}};
    if (!query.type_name().empty()) line["type"] = query.type_name();
    if (query.scale() != 1.0) line["scale"] = query.scale();
    line["true_value"] = answer.value_is_true ? to_json(answer.value)
                         : answer.true_value  ? to_json(*answer.true_value)
                                              : nlohmann::json(nullptr);
    *transcript_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return std::move(answer.value);
}

void QueryChannel::report_iterate(const Vector& w) {
  last_iterate_ = w;
  if (observer_) observer_(w, ledger_);
}

}  // namespace sqsim::sq