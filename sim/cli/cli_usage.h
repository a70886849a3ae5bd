#pragma once
// What CLI11 2.1 does not say well on its own: which word of the command line is wrong and
// what was probably meant, and number ranges in words (its own range checks print the
// largest double, 309 digits).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace streamsim::cli {

// After CLI11 refused `args` (argv without the program name), names the first unknown
// subcommand or option, with the nearest valid name ("did you mean") and where to find the
// valid ones; "" when every word is known (CLI11's own message then says what is wrong).
std::string diagnose_unknown_words(const CLI::App& app, const std::vector<std::string>& args);

// The option names an option can be written with ("--jobs", "-j"); none for a positional.
std::vector<std::string> option_names(const CLI::Option& option);

// Range checks whose message reads "must be a whole number >= 1, not '0'" and never prints
// a bound nobody would type: an upper bound is shown only when it is not the type's own limit.
CLI::Validator whole_number(std::int64_t min, std::int64_t max, bool show_max = true);
CLI::Validator unsigned_whole_number(std::uint64_t min = 0);
CLI::Validator number_at_least(double min);

template <typename T>
CLI::Validator whole_number_at_least(T min) {
  return whole_number(static_cast<std::int64_t>(min),
                      static_cast<std::int64_t>(std::numeric_limits<T>::max()), false);
}

}  // namespace streamsim::cli
