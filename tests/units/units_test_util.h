#pragma once
// Helpers for the operator library's tests: build a registered unit by type, wrap it in a
// harness, and capture the message of a construction error.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sim/core/error.h"
#include "sim/core/registry.h"
#include "sim/core/unit_harness.h"

namespace streamsim::units::test {

inline UnitHarness harness(const std::string& type, const Params& params,
                           const std::string& name = "u") {
  return UnitHarness(make_unit(type, name, params));
}

// The message of the Error thrown when building the unit, or "" if none was thrown.
inline std::string build_error(const std::string& type, const Params& params) {
  try {
    make_unit(type, "u", params);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// True if `text` contains `part` (with a readable failure message).
inline ::testing::AssertionResult mentions(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not mention '" << part << "'";
}

inline std::vector<double> flat(const std::vector<std::vector<double>>& tokens) {
  std::vector<double> out;
  for (const auto& t : tokens) out.insert(out.end(), t.begin(), t.end());
  return out;
}

}  // namespace streamsim::units::test
