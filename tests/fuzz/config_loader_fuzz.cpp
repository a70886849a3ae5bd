// libFuzzer target: the YAML architecture loader (sim/config/loader.h) on arbitrary bytes.
// Built only by scripts/fuzz (clang, -fsanitize=fuzzer,address,undefined); the name does not
// end in _test.cpp so the GoogleTest build does not pick it up.
//
// Contract checked: any input either loads into a graph that passed Graph::validate, or is
// rejected with streamsim::Error (the one exception users see, with file:line). Anything else
// (a crash, a sanitizer report, another exception type escaping) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/config/loader.h"
#include "sim/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    streamsim::LoadedConfig cfg = streamsim::load_config_string(text, "fuzz.yaml");
    // A graph that loaded must also render (what `streamsim graph` does with it).
    (void)cfg.graph.to_dot();
  } catch (const streamsim::Error&) {
    // Expected for invalid input.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loader let a non-streamsim exception escape: %s\n", e.what());
    std::abort();
  }
  return 0;
}
