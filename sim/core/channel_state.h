#pragma once
// The state of one bounded FIFO during a run, shared by both engines so that they agree
// exactly on timing and statistics. It holds, per slot, the token's values, the time it
// becomes visible to the receiver, and the time the slot is free again for the sender
// (dequeue time + response latency). All methods are inline: they sit in the engines' hot loops.
//
// Element k occupies slot k % capacity. Sending element k needs element k - capacity to have
// been dequeued (its credit). Peak occupancy counts element k as present from its send time
// (inclusive) to its dequeue time (exclusive); it is computed by a lazy sweep over the two
// monotone sequences of send and dequeue times, in O(1) amortized time and O(capacity) memory.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {

struct ChannelTiming {
  Cycle depth = 2;             // capacity C >= 1
  Cycle latency = 1;           // L >= 1: enqueue at t is visible at t + L
  Cycle response_latency = 1;  // R >= 1: dequeue at d frees the slot for the sender at d + R
};

class ChannelState {
 public:
  ChannelState(const ChannelTiming& timing, int width)
      : capacity_(static_cast<std::uint64_t>(timing.depth)),
        latency_(timing.latency),
        response_latency_(timing.response_latency),
        width_(width),
        data_(static_cast<std::size_t>(timing.depth) * width),
        visible_(timing.depth, 0),
        credit_(timing.depth, 0),
        send_time_(timing.depth, 0) {}

  // Pre-loads an initial token (before the run), visible at time 0.
  void push_initial(const double* values) {
    std::copy(values, values + width_, back_data());
    commit_send(0, 0);
  }

  // --- receiver side ---
  bool can_receive() const { return received_ < sent_; }
  Cycle front_visible() const { return visible_[received_ % capacity_]; }
  const double* front_data() const { return &data_[(received_ % capacity_) * width_]; }
  void commit_receive(Cycle dequeue_time) {
    // Every send before this dequeue time saw elements 0..received_-1 gone. The element
    // being received was sent before it, even an initial token sent and dequeued at time 0:
    // sweep it now, before the sender can reuse its slot and overwrite its send time.
    while (swept_ < sent_ && (send_time_[swept_ % capacity_] < dequeue_time || swept_ <= received_))
      sweep_one();
    credit_[received_ % capacity_] = dequeue_time + response_latency_;
    ++received_;
  }

  // --- sender side ---
  bool can_send() const { return sent_ < received_ + capacity_; }
  // Earliest time the next element may be sent (credit of its slot).
  Cycle credit_time() const { return credit_[sent_ % capacity_]; }
  double* back_data() { return &data_[(sent_ % capacity_) * width_]; }
  // `send_time` is the sender's clock after waiting for credit; `visible` >= send_time + latency.
  void commit_send(Cycle send_time, Cycle visible) {
    std::uint64_t slot = sent_ % capacity_;
    visible_[slot] = visible;
    send_time_[slot] = send_time;
    ++sent_;
  }

  // Called once when the run ends: accounts for elements never dequeued.
  void finish_stats() {
    while (swept_ < sent_) sweep_one();
  }

  Cycle latency() const { return latency_; }
  Cycle response_latency() const { return response_latency_; }
  std::uint64_t capacity() const { return capacity_; }
  int width() const { return width_; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t received() const { return received_; }
  std::uint64_t occupancy() const { return sent_ - received_; }  // in execution order
  std::uint64_t peak_occupancy() const { return peak_; }

 private:
  void sweep_one() {
    // Occupancy right after send `swept_`: elements 0..swept_ sent, 0..received_-1 gone.
    std::uint64_t occ = swept_ + 1 - received_;
    if (occ > peak_) peak_ = occ;
    ++swept_;
  }

  std::uint64_t capacity_;
  Cycle latency_, response_latency_;
  int width_;
  std::vector<double> data_;
  std::vector<Cycle> visible_, credit_, send_time_;
  std::uint64_t sent_ = 0, received_ = 0, swept_ = 0, peak_ = 0;
};

}  // namespace streamsim
