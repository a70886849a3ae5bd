// libFuzzer target: sweep point records (sim/cli/sweep_record.h) on arbitrary bytes. A
// restarted sweep and `sweep merge` read every DIR/points/*.json, which a crash, a full disk
// or a user may have torn, edited or replaced.
//
// Contract checked: check_record_integrity and check_record never throw; they return "" or
// why the record cannot be reused. A crash (serialising deeply nested JSON recursed without
// bound), a sanitizer report or any exception escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/cli/sweep_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  streamsim::sweep::StudyPoint point;
  point.id = "p0001";
  point.config = "fuzz.yaml";
  streamsim::sweep::PointContext ctx;
  ctx.engine = "fast";
  ctx.max_cycles = 1000;
  try {
    streamsim::sweep::Json record;
    if (streamsim::sweep::check_record_integrity(text, &record).empty())
      (void)streamsim::sweep::record_ok(record);
    if (streamsim::sweep::check_record(text, point, ctx, &record).empty())
      (void)streamsim::sweep::record_ok(record);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "a sweep record check threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
