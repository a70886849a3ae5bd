// `find_unbounded_depth` (what `streamsim size` uses as "unbounded") on the naive SDPA graph,
// whose long FIFO holds about N tokens at peak: the depth doubles until that is at most half.
#include "sim/engines/unbounded_depth.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "tests/graphs/sdpa_test_support.h"

namespace streamsim::sdpa {
namespace {

Graph naive_graph(int n) {
  SdpaParams p = testing::params(Variant::Naive, n, 4);
  p.check = false;
  p.long_depth = 7;  // far too shallow: the search must not depend on the file's depths
  return build_sdpa_graph(p);
}

TEST(SdpaUnboundedDepth, DoublesUntilTheLongFifoFillsAtMostHalf) {
  auto engine = make_engine("fast");
  Graph small = naive_graph(100);  // peak ~100 <= 512
  EXPECT_EQ(find_unbounded_depth(small, *engine), 1024);
  Graph large = naive_graph(600);  // peak ~610 > 512 at depth 1024, <= 1024 at 2048
  EXPECT_EQ(find_unbounded_depth(large, *engine), 2048);
  EXPECT_EQ(find_unbounded_depth(large, *engine, 64), 2048);
  // The graph's own depths are restored.
  for (int c = 0; c < large.channel_count(); ++c) {
    if (large.channel(c).name == "long") {
      EXPECT_EQ(large.channel(c).timing.depth, 7);
    }
  }
}

TEST(SdpaUnboundedDepth, CapIsAnErrorNamingWhy) {
  auto engine = make_engine("fast");
  Graph g = naive_graph(600);
  try {
    find_unbounded_depth(g, *engine, 256, 1024);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("no unbounded depth up to 1024"), std::string::npos) << m;
    // With every FIFO deep, the V source runs ahead as far as the long FIFO: either is named.
    EXPECT_NE(m.find(" tokens at depth 1024"), std::string::npos) << m;
    EXPECT_NE(m.find("channel '"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace streamsim::sdpa
