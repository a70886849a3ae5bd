// `size`-style search on the SDPA graphs: it finds the naive long FIFO's O(N) depth and
// constant depths everywhere in the reordered graph.
#include "sim/engines/depth_search.h"

#include <gtest/gtest.h>

#include "tests/graphs/sdpa_test_support.h"

namespace streamsim::sdpa {
namespace {

DepthSearchResult search(Variant v, int n) {
  SdpaParams p = testing::params(v, n, 4);
  p.check = false;
  Graph g = build_sdpa_graph(p);
  return search_min_depths(g, *make_engine("fast"), 512);
}

Cycle depth_of(const DepthSearchResult& r, const std::string& name) {
  for (const auto& c : r.channels)
    if (c.channel == name) return c.depth;
  return -1;
}

TEST(SdpaDepthSearch, NaiveLongFifoIsOrderN) {
  for (int n : {8, 16, 32}) {
    DepthSearchResult r = search(Variant::Naive, n);
    EXPECT_EQ(depth_of(r, "long"), n + 3);
    EXPECT_EQ(r.combined_status, RunStatus::Finished);
    EXPECT_EQ(r.combined_cycles, r.unbounded_cycles);
  }
}

TEST(SdpaDepthSearch, ReorderedDepthsAreConstant) {
  DepthSearchResult small = search(Variant::Reordered, 8);
  DepthSearchResult large = search(Variant::Reordered, 32);
  ASSERT_EQ(small.channels.size(), large.channels.size());
  for (std::size_t c = 0; c < small.channels.size(); ++c) {
    EXPECT_EQ(small.channels[c].depth, large.channels[c].depth) << small.channels[c].channel;
    EXPECT_LE(large.channels[c].depth, 4) << large.channels[c].channel;  // dot latency 3 + R
  }
  EXPECT_EQ(small.total_depth, large.total_depth);
  EXPECT_EQ(large.combined_cycles, large.unbounded_cycles);
}

}  // namespace
}  // namespace streamsim::sdpa
