#pragma once
// Small graphs of test units that several engine tests run.
#include "sim/core/graph.h"
#include "tests/support/test_units.h"

namespace streamsim::testing {

// src -> fork; fork.out0 -> join.in0 directly through a FIFO of depth 2 (named "direct");
// fork.out1 -> sum4 (folds 4 tokens into one) -> rep4 (repeats it 4 times) -> join.in1. The
// join needs a token on in1 before the fork has sent 4 on out1, but the direct FIFO fills after
// 2 (+ the one the join holds), so fork, join and sum4 wait on each other forever.
inline Graph fork_join_deadlock() {
  Graph g;
  g.add_custom_unit("src", [] { return std::make_unique<CountingSource>("src", 100); });
  g.add_custom_unit("fork", [] { return std::make_unique<PassStage>("fork", 1, 2); });
  g.add_custom_unit("sum4", [] { return std::make_unique<GroupSum>("sum4", 4); });
  g.add_custom_unit("rep4", [] { return std::make_unique<Repeat>("rep4", 4); });
  g.add_custom_unit("join", [] { return std::make_unique<PassStage>("join", 2, 1); });
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect("src", "fork");
  g.connect("fork.out0", "join.in0", ChannelTiming{2, 1, 1}, {}, "direct");
  g.connect("fork.out1", "sum4");
  g.connect("sum4", "rep4");
  g.connect("rep4", "join.in1");
  g.connect("join", "sink");
  return g;
}

}  // namespace streamsim::testing
