#include "sim/core/graph.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using testing::CollectingSink;
using testing::CountingSource;
using testing::PassStage;

Graph two_stage() {
  Graph g;
  g.add_custom_unit("src", [] { return std::make_unique<CountingSource>("src", 4); });
  g.add_custom_unit("mid", [] { return std::make_unique<PassStage>("mid", 2, 1); });
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  return g;
}

std::string validation_error(const Graph& g) {
  try {
    g.validate();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Graph, DanglingInputIsNamed) {
  Graph g = two_stage();
  g.connect("src", "mid.in0");
  g.connect("mid", "sink");
  std::string e = validation_error(g);
  EXPECT_NE(e.find("input port 'mid.in1' is not connected"), std::string::npos) << e;
}

TEST(Graph, UnknownPortSuggestsNearest) {
  Graph g = two_stage();
  try {
    g.connect("src.out", "mid.in9");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no input port 'in9'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(g.connect("srcc.out", "mid.in0"), Error);
}

TEST(Graph, CycleWithoutInitialTokensIsRejectedAndOneWithThemAccepted) {
  Graph g;
  g.add_custom_unit("src", [] { return std::make_unique<CountingSource>("src", 4); });
  g.add_custom_unit("a", [] { return std::make_unique<PassStage>("a", 2, 2); });
  g.add_custom_unit("b", [] { return std::make_unique<PassStage>("b", 1, 1); });
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect("src", "a.in0");
  g.connect("a.out0", "sink");
  g.connect("a.out1", "b.in0");
  int back = g.connect("b.out0", "a.in1");
  std::string e = validation_error(g);
  EXPECT_NE(e.find("cycle without initial tokens"), std::string::npos) << e;
  g.set_initial_tokens(back, {0.0});
  EXPECT_EQ(validation_error(g), "");
}

TEST(Graph, DepthZeroAndDoubleConnectionAreRejected) {
  Graph g = two_stage();
  g.connect("src", "mid.in0", ChannelTiming{0, 1, 1});
  EXPECT_NE(validation_error(g).find("depth must be >= 1"), std::string::npos);
  Graph h = two_stage();
  h.connect("src", "mid.in0");
  h.connect("src", "mid.in1");
  h.connect("mid", "sink");
  EXPECT_NE(validation_error(h).find("connected twice"), std::string::npos);
}

TEST(Graph, CopiesAndMovesKeepChannelsInOrder) {
  Graph g = two_stage();
  g.connect("src", "mid.in1", ChannelTiming{5, 1, 1});
  g.connect("mid", "sink", ChannelTiming{3, 1, 1});
  Graph copy = g;
  Graph moved = std::move(g);
  for (const Graph* h : {&copy, &moved}) {
    ASSERT_EQ(h->channel_count(), 2);
    EXPECT_EQ(h->channel(0).timing.depth, 5);
    EXPECT_EQ(h->channel(1).timing.depth, 3);
    EXPECT_EQ(h->channel(1).name, "mid.out0->sink.in");
  }
  copy.channel(0).timing.depth = 9;
  EXPECT_EQ(moved.channel(0).timing.depth, 5);  // copies are independent
}

TEST(Graph, DotListsUnitsAndDepths) {
  Graph g = two_stage();
  g.connect("src", "mid.in0", ChannelTiming{7, 1, 1});
  std::string dot = g.to_dot();
  EXPECT_NE(dot.find("digraph"), std::string::npos);
  EXPECT_NE(dot.find("depth 7"), std::string::npos);
}

}  // namespace
}  // namespace streamsim
