// libFuzzer target: the `${...}` expression language (sim/config/expression.h) on arbitrary
// bytes, reached three ways: as a bare expression, as a scalar with `${...}` substitutions,
// and as the value of `--set n=...` given to a small architecture (what the CLI does).
//
// Contract checked: an expression evaluates, or is rejected with ExprError (bare and
// substituted) or streamsim::Error (through the loader). A crash (a deeply nested expression
// once overflowed the stack), a sanitizer report (signed overflow) or any other exception
// escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/config/expression.h"
#include "sim/config/loader.h"
#include "sim/core/error.h"

namespace {

const char* kArchitecture = R"(params:
  n: 4
  m: ${n * 2}
units:
  - {name: src, type: source, params: {count: ${m}}}
  - {name: dst, type: sink}
channels:
  - {from: src.out, to: dst.in, depth: ${max(1, n)}}
)";

template <typename F>
void expect_only(F f, const char* what) {
  try {
    f();
  } catch (const streamsim::ExprError&) {
  } catch (const streamsim::Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s let a foreign exception escape: %s\n", what, e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const streamsim::ExprScope scope = {{"n", streamsim::ExprValue::of_int(4)},
                                      {"x", streamsim::ExprValue::of_double(0.5)},
                                      {"s", streamsim::ExprValue::of_string("ramp")}};
  expect_only([&] { (void)streamsim::evaluate_expression(text, scope).text(); },
              "evaluate_expression");
  expect_only([&] { (void)streamsim::substitute_expressions(text, scope); },
              "substitute_expressions");
  expect_only(
      [&] {
        streamsim::LoadOptions options;
        options.overrides.push_back({"n", text});
        (void)streamsim::load_config_string(kArchitecture, "fuzz.yaml", options);
      },
      "the loader with --set");
  return 0;
}
