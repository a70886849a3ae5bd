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
  Cycle front_visible() const { return visible_[head_]; }
  const double* front_data() const { return &data_[head_ * width_]; }
  void commit_receive(Cycle dequeue_time) {
    // Every send before this dequeue time saw elements 0..received_-1 gone.
    while (swept_ < sent_ && send_time_[sweep_slot_] < dequeue_time) sweep_one();
    credit_[head_] = dequeue_time + response_latency_;
    last_dequeue_ = dequeue_time;
    ++received_;
    head_ = next_slot(head_);
  }

  // --- sender side ---
  bool can_send() const { return sent_ < received_ + capacity_; }
  // Earliest time the next element may be sent (credit of its slot).
  Cycle credit_time() const { return credit_[tail_]; }
  double* back_data() { return &data_[tail_ * width_]; }
  // `send_time` is the sender's clock after waiting for credit; `visible` >= send_time + latency.
  void commit_send(Cycle send_time, Cycle visible) {
    visible_[tail_] = visible;
    send_time_[tail_] = send_time;
    ++sent_;
    tail_ = next_slot(tail_);
    // An engine that decouples units (fast) may commit a receive that is later in time than
    // this send before committing the send. The lazy sweep cannot see this send any more, but
    // everything it needs is known now: count it here.
    if (__builtin_expect(last_dequeue_ > send_time, 0)) sweep_late_send(send_time);
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
  // Dequeue time of element j, received and still within the last `capacity_` receives.
  Cycle dequeue_time(std::uint64_t j) const { return credit_[j % capacity_] - response_latency_; }

  // The send just committed (the last one) at `send_time`, with at least one committed receive
  // later than it. Every earlier send was swept already (send times are monotone), and the
  // elements dequeued at or before `send_time` are a prefix: find its end by binary search
  // over the receives still on record (the slot's own credit bounds how far back it goes).
  __attribute__((noinline, cold)) void sweep_late_send(Cycle send_time) {
    std::uint64_t lo = received_ > capacity_ ? received_ - capacity_ : 0, hi = received_ - 1;
    while (lo < hi) {  // first j in [lo, hi] with dequeue_time(j) > send_time
      std::uint64_t mid = lo + (hi - lo) / 2;
      if (dequeue_time(mid) > send_time) hi = mid;
      else lo = mid + 1;
    }
    std::uint64_t occ = sent_ - lo;  // elements 0..sent_-1 sent, 0..lo-1 gone
    if (occ > peak_) peak_ = occ;
    swept_ = sent_;
    sweep_slot_ = tail_;
  }

  std::uint64_t next_slot(std::uint64_t slot) const { return slot + 1 == capacity_ ? 0 : slot + 1; }

  void sweep_one() {
    // Occupancy right after send `swept_`: elements 0..swept_ sent, 0..received_-1 gone.
    std::uint64_t occ = swept_ + 1 - received_;
    if (occ > peak_) peak_ = occ;
    ++swept_;
    sweep_slot_ = next_slot(sweep_slot_);
  }

  std::uint64_t capacity_;
  Cycle latency_, response_latency_;
  int width_;
  std::vector<double> data_;
  std::vector<Cycle> visible_, credit_, send_time_;
  std::uint64_t sent_ = 0, received_ = 0, swept_ = 0, peak_ = 0;
  Cycle last_dequeue_ = -1;  // dequeue time of the last element received
  // received_, sent_ and swept_ modulo capacity_, kept by increment (no division per token).
  std::uint64_t head_ = 0, tail_ = 0, sweep_slot_ = 0;
};

}  // namespace streamsim
