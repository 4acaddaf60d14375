// Dispatch on typed queries: an oracle lists the query types it answers in closed form and gives
// one overload per type. Adding a query type to an oracle = adding it to the list and writing the
// overload; the refusal message lists the same types, so it cannot go stale.
//
//   using Known = sq::QueryTypes<queries::SquareLoss, queries::HalfGradientCoordinate>;
//   if (auto value = Known::visit(query, [&](const auto& typed) { return closed_form(world, typed); }))
//     ...
#pragma once

#include "sqsim/sq/query.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace sqsim::sq {

template <class... Types>
struct QueryTypes {
  // The types' names, comma-separated (for "answers: ..." in refusals).
  static std::string names() {
    std::string out;
    auto append = [&out](std::string_view name) {
      if (!out.empty()) out += ", ";
      out += name;
    };
    (append(Types::type_name), ...);
    return out;
  }

  // Whether the query is one of the types.
  template <class Query>
  static bool contains(const Query& query) {
    return ((query.template as<Types>() != nullptr) || ...);
  }

  // Calls f(typed) for the type the query is, if it is one of the list; every overload of f must
  // return the same type R. Returns std::optional<R> (std::nullopt when the query is none of them),
  // or bool (whether f was called) when R is void.
  template <class Query, class F>
  static auto visit(const Query& query, F&& f) {
    using First = std::tuple_element_t<0, std::tuple<Types...>>;
    using R = std::invoke_result_t<F&, const First&>;
    if constexpr (std::is_void_v<R>) {
      // Tries each type in turn; || stops at the first the query is.
      auto call = [&]<class T>(const T* typed) {
        if (typed) f(*typed);
        return typed != nullptr;
      };
      return (call(query.template as<Types>()) || ...);
    } else {
      std::optional<R> result;
      auto call = [&]<class T>(const T* typed) {
        if (typed) result.emplace(f(*typed));
        return typed != nullptr;
      };
      static_cast<void>((call(query.template as<Types>()) || ...));
      return result;
    }
  }
};

}  // namespace sqsim::sq