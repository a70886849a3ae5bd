#include "sim/core/channel_state.h"

#include <gtest/gtest.h>

namespace streamsim {
namespace {

TEST(ChannelState, CreditNeedsDequeueOfElementKMinusC) {
  ChannelState ch(ChannelTiming{2, 1, 1}, 1);
  EXPECT_TRUE(ch.can_send());
  ch.back_data()[0] = 1.0;
  ch.commit_send(0, 1);
  ch.back_data()[0] = 2.0;
  ch.commit_send(1, 2);
  EXPECT_FALSE(ch.can_send());  // two slots in flight
  ASSERT_TRUE(ch.can_receive());
  EXPECT_EQ(ch.front_visible(), 1);
  EXPECT_EQ(ch.front_data()[0], 1.0);
  ch.commit_receive(5);
  EXPECT_TRUE(ch.can_send());
  EXPECT_EQ(ch.credit_time(), 6);  // dequeue 5 + R 1
}

TEST(ChannelState, PeakOccupancyCountsSendInclusiveDequeueExclusive) {
  ChannelState ch(ChannelTiming{4, 1, 1}, 1);
  // Sends at 0,1,2; dequeues at 3,4,5: all three present during [2,3).
  for (Cycle t = 0; t < 3; ++t) ch.commit_send(t, t + 1);
  for (Cycle t = 3; t < 6; ++t) ch.commit_receive(t);
  ch.finish_stats();
  EXPECT_EQ(ch.peak_occupancy(), 3u);
}

TEST(ChannelState, DequeueAndSendAtTheSameCycleDoNotOverlap) {
  ChannelState ch(ChannelTiming{4, 1, 1}, 1);
  ch.commit_send(0, 1);
  ch.commit_receive(1);
  ch.commit_send(1, 2);  // sent the cycle element 0 left
  ch.commit_receive(2);
  ch.finish_stats();
  EXPECT_EQ(ch.peak_occupancy(), 1u);
}

TEST(ChannelState, ElementsNeverDequeuedCountAtTheEnd) {
  ChannelState ch(ChannelTiming{3, 1, 1}, 2);
  double v[2] = {1, 2};
  ch.push_initial(v);
  ch.push_initial(v);
  ch.finish_stats();
  EXPECT_EQ(ch.peak_occupancy(), 2u);
  EXPECT_EQ(ch.occupancy(), 2u);
}

}  // namespace
}  // namespace streamsim
