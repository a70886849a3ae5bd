#pragma once
// The one exception type users see: a message that names where and what, and how to fix it.
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  Error(const SourceLoc& loc, const std::string& message)
      : std::runtime_error(loc.str() + ": " + message), loc_(loc) {}
  const SourceLoc& loc() const { return loc_; }

 private:
  SourceLoc loc_;
};

// Returns the candidate closest to `word` by edit distance, or "" if none is close enough to be
// a plausible misspelling. Used to say "did you mean 'depth'?".
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

// Joins names as "a, b, c" for "valid names are: ..." messages.
std::string join_names(const std::vector<std::string>& names, const std::string& sep = ", ");

}  // namespace streamsim
