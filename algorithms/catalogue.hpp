// The algorithm catalogue: every algorithm by name with the options it is built from. The program
// makes its --flags and help from it, Python its keyword arguments, the experiments and the tests
// iterate it. A shipped algorithm is one entry in catalogue.cpp; a user's is one register_algorithm
// call before the run:
//
//   algorithms::register_algorithm(algorithms::entry<MyParams, Mine>("mine", "what it does")
//       .context([](MyParams& p, const algorithms::RunContext& c) { p.tolerance = c.tolerance; })
//       .real("step-size", &MyParams::step_size, "w <- w - step * gradient"));
//
// The entry builds MyParams{} (its defaults are the options' defaults), sets the context and every
// option given, and constructs Mine(params), whose validate() decides what is legal; an error about
// a field is reported under its option's name.
#pragma once

#include "sqsim/algorithms/options.hpp"
#include "sqsim/sq/algorithm.hpp"
#include "sqsim/sq/errors.hpp"

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sqsim::algorithms {

struct AlgorithmEntry {
  using Factory = std::function<std::unique_ptr<sq::Algorithm>(const RunContext&, const OptionValues&)>;
  std::string name, description;
  std::vector<OptionSpec> options;
  // Builds the algorithm from options already known to be the entry's (make_algorithm checks).
  Factory make;
  // Whether its queries are vector queries of dimension d (the program sizes a sample-oracle run by
  // the first one before starting).
  bool vector_queries = true;
};

// Every algorithm: the shipped ones in a fixed order, then the registered ones in registration order.
const std::vector<AlgorithmEntry>& catalogue();
const AlgorithmEntry* find_algorithm(const std::string& name);  // nullptr if unknown
// Adds an entry. std::invalid_argument for an empty, duplicate or unprintable name (no spaces,
// commas or control characters), an empty factory, or an option declared twice or with a type
// other entries give the same name.
void register_algorithm(AlgorithmEntry entry);

// The algorithm `name` built from `values` (options not given take their defaults).
// std::invalid_argument naming the value when the name is unknown, an option is not the
// algorithm's, or a value is refused.
std::unique_ptr<sq::Algorithm> make_algorithm(const std::string& name, const RunContext& context, const OptionValues& values = {});
// Of `preferred`, the values of the options `name` takes (for a caller that sets, say, a random
// start for whichever learner has one); everything when the name is unknown (make_algorithm says so).
OptionValues options_taken(const std::string& name, const OptionValues& preferred);

// Builds an AlgorithmEntry for an algorithm type constructed from a params struct, binding each
// option to a field. `validated_as` is the field's name in Params::validate()'s messages when it
// differs from the option's name with '_' for '-'.
template <class Params, class Algorithm>
class EntryBuilder {
  static_assert(std::is_default_constructible_v<Params>, "the params struct needs defaults: they are the options' defaults");
  static_assert(std::is_constructible_v<Algorithm, Params>, "the algorithm must be constructible from its params struct");
  static_assert(std::is_base_of_v<sq::Algorithm, Algorithm>, "the algorithm must derive from sq::Algorithm");

 public:
  EntryBuilder(std::string name, std::string description) {
    entry_.name = std::move(name);
    entry_.description = std::move(description);
  }
  // How the run's tolerance, seed and order reach the params (and any fixed choice of the entry).
  EntryBuilder& context(std::function<void(Params&, const RunContext&)> set) {
    context_ = std::move(set);
    return *this;
  }
  EntryBuilder& real(std::string name, double Params::*field, std::string help, std::string validated_as = {}) {
    return bind(std::move(name), OptionType::real, sq::format_number(Params{}.*field), std::move(help), {}, std::move(validated_as),
                [field](Params& p, const OptionSpec& s, const std::string& text) { p.*field = parse_real(s, text); });
  }
  EntryBuilder& integer(std::string name, int Params::*field, std::string help, std::string validated_as = {}) {
    return bind(std::move(name), OptionType::integer, std::to_string(Params{}.*field), std::move(help), {}, std::move(validated_as),
                [field](Params& p, const OptionSpec& s, const std::string& text) { p.*field = parse_integer(s, text); });
  }
  EntryBuilder& flag(std::string name, bool Params::*field, std::string help, std::string validated_as = {}) {
    return bind(std::move(name), OptionType::flag, Params{}.*field ? "true" : "false", std::move(help), {}, std::move(validated_as),
                [field](Params& p, const OptionSpec& s, const std::string& text) { p.*field = parse_flag(s, text); });
  }
  // An enum field set from words: {{"zero", Initialization::zero}, ...}.
  template <class Enum>
  EntryBuilder& choice(std::string name, Enum Params::*field, std::vector<std::pair<std::string, Enum>> words, std::string help,
                       std::string validated_as = {}) {
    std::vector<std::string> choices;
    std::string default_text;
    for (const auto& [word, value] : words) {
      choices.push_back(word);
      if (value == Params{}.*field) default_text = word;
    }
    return bind(std::move(name), OptionType::choice, default_text, std::move(help), std::move(choices), std::move(validated_as),
                [field, words](Params& p, const OptionSpec& s, const std::string& text) {
                  const std::string& word = parse_choice(s, text);
                  for (const auto& [w, value] : words)
                    if (w == word) p.*field = value;
                });
  }
  // The algorithm asks no vector query of dimension d (AlgorithmEntry::vector_queries).
  EntryBuilder& scalar_queries() {
    entry_.vector_queries = false;
    return *this;
  }
  AlgorithmEntry build() const {
    AlgorithmEntry entry = entry_;
    entry.make = [context = context_, setters = setters_, specs = entry_.options](
                     const RunContext& run, const OptionValues& values) -> std::unique_ptr<sq::Algorithm> {
      Params params{};
      if (context) context(params, run);
      for (std::size_t i = 0; i < specs.size(); ++i)
        if (const auto it = values.find(specs[i].name); it != values.end()) setters[i].set(params, specs[i], it->second);
      try {
        return std::make_unique<Algorithm>(params);
      } catch (const sq::ParameterError& e) {
        for (std::size_t i = 0; i < specs.size(); ++i)
          if (e.parameter() == setters[i].field) throw e.renamed(specs[i].name);
        throw;
      }
    };
    return entry;
  }
  operator AlgorithmEntry() const { return build(); }  // NOLINT: an entry reads as the builder

 private:
  struct Setter {
    std::string field;  // the name Params::validate() uses
    std::function<void(Params&, const OptionSpec&, const std::string&)> set;
  };
  template <class Set>
  EntryBuilder& bind(std::string name, OptionType type, std::string default_text, std::string help, std::vector<std::string> choices,
                     std::string validated_as, Set set) {
    if (validated_as.empty()) {
      validated_as = name;
      for (char& c : validated_as)
        if (c == '-') c = '_';
    }
    entry_.options.push_back(OptionSpec{std::move(name), type, std::move(default_text), std::move(help), std::move(choices)});
    setters_.push_back(Setter{std::move(validated_as), std::move(set)});
    return *this;
  }

  AlgorithmEntry entry_;
  std::function<void(Params&, const RunContext&)> context_;
  std::vector<Setter> setters_;
};

template <class Params, class Algorithm>
EntryBuilder<Params, Algorithm> entry(std::string name, std::string description) {
  return EntryBuilder<Params, Algorithm>(std::move(name), std::move(description));
}

}  // namespace sqsim::algorithms