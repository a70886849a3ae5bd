#include "sim/core/channel_state.h"

#include <gtest/gtest.h>

#include <vector>

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

// A by-reference channel hands out the pointer the producer sent, not a copy of the values.
TEST(ChannelState, ByReferenceFrontDataIsTheReferencedRow) {
  ChannelState ch(ChannelTiming{2, 1, 1}, 4, true);
  EXPECT_TRUE(ch.by_reference());
  const double a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
  for (int round = 0; round < 3; ++round) {  // the slots wrap around
    send_reference(ch.back_data(), a);
    ch.commit_send(2 * round, 2 * round + 1);
    send_reference(ch.back_data(), b);
    ch.commit_send(2 * round + 1, 2 * round + 2);
    EXPECT_EQ(ch.front_data(), a);  // the same address: nothing was copied
    ch.commit_receive(2 * round + 1);
    EXPECT_EQ(ch.front_data(), b);
    ch.commit_receive(2 * round + 2);
  }
  send_reference(ch.back_data(), b);
  ch.replay_send();
  EXPECT_EQ(ch.replay_receive(), b);
}

TEST(ChannelState, ByValueFrontDataIsTheSlot) {
  ChannelState ch(ChannelTiming{2, 1, 1}, 2);
  EXPECT_FALSE(ch.by_reference());
  double* slot = ch.back_data();
  slot[0] = 1;
  slot[1] = 2;
  ch.commit_send(0, 1);
  EXPECT_EQ(ch.front_data(), slot);
  EXPECT_EQ(ch.front_data()[1], 2);
}

// Initial tokens have no producer to own their values: the channel keeps them, for the whole
// run, and its slots hold references to them like the producer's tokens.
TEST(ChannelState, PushInitialOnAByReferenceChannelKeepsTheValues) {
  ChannelState ch(ChannelTiming{3, 1, 1}, 3, true);
  std::vector<double> v = {1, 2, 3};
  ch.push_initial(v.data());
  v = {4, 5, 6};
  ch.push_initial(v.data());
  v.assign(3, -1);  // the caller's values may change or go after the set-up
  const double row[3] = {7, 8, 9};
  send_reference(ch.back_data(), row);
  ch.commit_send(1, 2);
  ASSERT_EQ(ch.occupancy(), 3u);
  EXPECT_EQ(ch.front_visible(), 0);
  const double* first = ch.front_data();
  EXPECT_EQ(std::vector<double>(first, first + 3), (std::vector<double>{1, 2, 3}));
  ch.commit_receive(0);
  const double* second = ch.front_data();
  EXPECT_EQ(std::vector<double>(second, second + 3), (std::vector<double>{4, 5, 6}));
  ch.commit_receive(1);
  EXPECT_EQ(ch.front_data(), row);
  ch.commit_receive(2);
  // The initial values stay where they were after their slots are reused.
  for (int i = 0; i < 3; ++i) {  // elements 3..5 refill the initial tokens' slots
    ASSERT_TRUE(ch.can_send());
    send_reference(ch.back_data(), row);
    ch.commit_send(3 + i, 4 + i);
  }
  EXPECT_EQ(std::vector<double>(first, first + 3), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(std::vector<double>(second, second + 3), (std::vector<double>{4, 5, 6}));
}

}  // namespace
}  // namespace streamsim
