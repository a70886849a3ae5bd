#pragma once
// A bounded FIFO as a SystemC channel: the shared ChannelState (slots, visibility and credit
// times, occupancy statistics: the very same code the fast engine uses) plus the two events
// a process can wait on.
//
// It implements sc_interface but is not an sc_prim_channel: the kernel refuses to register
// primitive channels after elaboration, and every run after the first one builds its channels
// after elaboration (see systemc_engine.cpp). It needs no update phase either: an element is
// stamped with the time it becomes visible, and the event that wakes the receiver is notified
// for exactly that time, so no process can observe a value "too early" within a time step.
#include "sim/core/channel_state.h"
#include "sim/engines/systemc/sc_include.h"

namespace streamsim {

class ScChannel : public sc_core::sc_interface {
 public:
  ScChannel(ChannelState& state, int index) : state(state), index(index) {}

  const sc_core::sc_event& default_event() const override { return data_event; }

  // Sender side, called at the send time `now`: the receiver, if it waits for an element, is
  // woken when this one becomes visible.
  void announce_data(Cycle now, Cycle visible) {
    if (!consumer_waiting) return;
    consumer_waiting = false;
    data_event.notify(sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(visible - now)));
  }
  // Receiver side, called at the dequeue time: a sender waiting for this slot is woken when
  // its credit arrives (after the response latency).
  void announce_space() {
    if (!producer_waiting) return;
    producer_waiting = false;
    space_event.notify(
        sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(state.response_latency())));
  }
  // End of stream: the producer finished; a waiting receiver must see it.
  void close_by_producer() {
    producer_done = true;
    if (consumer_waiting) data_event.notify(sc_core::SC_ZERO_TIME);
  }
  // The consumer finished; a sender waiting for space must see it.
  void close_by_consumer() {
    consumer_done = true;
    if (producer_waiting) space_event.notify(sc_core::SC_ZERO_TIME);
  }

  ChannelState& state;
  const int index;                // graph channel index (for deadlock reports)
  sc_core::sc_event data_event;   // an element may have become visible, or the producer finished
  sc_core::sc_event space_event;  // a slot's credit may have arrived, or the consumer finished
  bool producer_done = false, consumer_done = false;
  // Set by a process just before it waits, so that channels notify only when someone listens
  // (a process that is not waiting finds the element or slot by itself when it gets there).
  bool consumer_waiting = false, producer_waiting = false;
};

}  // namespace streamsim
