// libFuzzer target: the extended-Einsum cascade parser (graphs/einsum/cascade.h) on
// arbitrary bytes. Same contract as config_loader_fuzz.cpp: parse, or throw
// streamsim::Error; nothing else. Built by scripts/fuzz only when graphs/einsum exists.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "graphs/einsum/cascade.h"
#include "sim/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)streamsim::einsum::parse_cascade(text, "fuzz.cascade");
  } catch (const streamsim::Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cascade parser let a non-streamsim exception escape: %s\n", e.what());
    std::abort();
  }
  return 0;
}
