#pragma once
// Counts in messages read as English: "1 channel", "2 channels", "0 channels".
#include <cstdint>
#include <string>

namespace streamsim {

// `plural_form` defaults to `noun` + "s"; give it for irregular nouns ("directories").
inline std::string count_of(std::uint64_t n, const std::string& noun,
                            const std::string& plural_form = "") {
  return std::to_string(n) + " " + (n == 1 ? noun : plural_form.empty() ? noun + "s" : plural_form);
}

}  // namespace streamsim
