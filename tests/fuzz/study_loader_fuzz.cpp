// libFuzzer target: the sweep study loader (sim/cli/sweep_study.h) on arbitrary bytes.
// Same contract as config_loader_fuzz.cpp: load, or throw streamsim::Error; nothing else.
// The study is read from a file, so each input is written to a per-process scratch file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/cli/sweep_study.h"
#include "sim/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/streamsim-study-fuzz-" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    streamsim::sweep::Study s = streamsim::sweep::load_study(path);
    for (const auto& p : s.points) (void)streamsim::sweep::in_shard(p.id, {1, 3});
  } catch (const streamsim::Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "study loader let a non-streamsim exception escape: %s\n", e.what());
    std::abort();
  }
  return 0;
}
