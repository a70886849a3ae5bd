#pragma once
// The benchmark pipeline written the way a SystemC user writes it by hand, with no streamsim
// code at all: one SC_THREAD per stage, an sc_fifo<double> of depth 2 between stages, and one
// wait(1 cycle) per token in every stage. It is the yardstick the two engines are compared to.
//
// Cycle count. sc_fifo has no latency in time: a write at time t is readable at t after one
// delta cycle (L = 0), and a read frees its slot at t after one delta (R = 0). Every stage
// therefore waits its cycle *before* it writes ("read; wait(1); write", a registered output),
// which makes each channel behave as L = 1, and at depth 2 the shorter credit path (R = 0
// instead of 1) never limits a full-rate pipeline. The model then ends at exactly the cycle
// the timing contract gives (tokens + stages + 1, i.e. 10,000,009 for 10 M tokens and 8
// stages); see docs/performance.md for what a "write; wait(1)" model would give instead.
//
// SystemC's kernel cannot be restarted within a process: call this at most once per process.
#include <cstdint>

namespace streamsim::bench {

struct HandwrittenResult {
  std::int64_t cycles = 0;       // sc_time_stamp() of the sink after its last token, in cycles
  std::uint64_t transfers = 0;   // tokens read from all sc_fifos
  std::uint64_t sink_count = 0;  // tokens the sink read
  double sink_last = -1;         // the last value the sink read
};

HandwrittenResult run_handwritten_systemc_pipeline(std::uint64_t tokens, int stages);

}  // namespace streamsim::bench
