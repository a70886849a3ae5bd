#pragma once
// Expects two runs of one graph (the two engines, or a graph and its by-reference twin) to
// agree on every figure the run reports: status, cycles, and per unit and per channel every
// statistic. Values the units computed are left to the caller (sinks differ per test).
#include <gtest/gtest.h>

#include <string>

#include "sim/core/run_result.h"

namespace streamsim::testing {

inline void expect_same_channel_statistics(const RunResult& a, const RunResult& b) {
  EXPECT_EQ(a.cycles, b.cycles);
  ASSERT_EQ(a.channels.size(), b.channels.size());
  for (std::size_t c = 0; c < a.channels.size(); ++c) {
    SCOPED_TRACE("channel " + a.channels[c].name);
    EXPECT_EQ(a.channels[c].peak_occupancy, b.channels[c].peak_occupancy);
    EXPECT_EQ(a.channels[c].transfers, b.channels[c].transfers);
    EXPECT_EQ(a.channels[c].left_over, b.channels[c].left_over);
    EXPECT_EQ(a.channels[c].producer_stall_cycles, b.channels[c].producer_stall_cycles);
    EXPECT_EQ(a.channels[c].consumer_stall_cycles, b.channels[c].consumer_stall_cycles);
  }
}

inline void expect_same_statistics(const RunResult& a, const RunResult& b) {
  EXPECT_EQ(run_status_name(a.status), std::string(run_status_name(b.status)));
  expect_same_channel_statistics(a, b);
  ASSERT_EQ(a.units.size(), b.units.size());
  for (std::size_t u = 0; u < a.units.size(); ++u) {
    SCOPED_TRACE("unit " + a.units[u].name);
    EXPECT_EQ(a.units[u].final_clock, b.units[u].final_clock);
    EXPECT_EQ(a.units[u].busy_cycles, b.units[u].busy_cycles);
    EXPECT_EQ(a.units[u].firings, b.units[u].firings);
    EXPECT_EQ(a.units[u].stalled_input_cycles, b.units[u].stalled_input_cycles);
    EXPECT_EQ(a.units[u].stalled_output_cycles, b.units[u].stalled_output_cycles);
    EXPECT_EQ(a.units[u].idle_cycles, b.units[u].idle_cycles);
  }
  EXPECT_EQ(a.transfers, b.transfers);
}

}  // namespace streamsim::testing
