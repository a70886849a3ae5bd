#pragma once
// The state of one bounded FIFO during a run, shared by both engines so that they agree
// exactly on timing and statistics. It holds, per element in flight, the token's values, the
// time it becomes visible to the receiver and the time it was sent, and per dequeued element
// its dequeue time (its slot is free again for the sender at dequeue time + response latency). All
// methods are inline: they sit in the engines' hot loops.
//
// Element k of the stream is stored in slot k & mask, with a power-of-two number of slots
// P > capacity C (so no division on the hot path; the timing only ever uses C). Because at
// most C elements are ever in the channel, the next element's slot (back_data) is free even
// when the channel is full: a sender may compute its next token in place before it has credit.
// (The slot last held element sent - P, already dequeued; an engine that keeps a dequeued token
// across a block must copy it aside, as it must anyway since the sender may then run.) Sending
// element k needs element k - C to have been dequeued: its credit is in slot (k - C) & mask, which
// no later dequeue can have overwritten yet (that would need element k - C + P > k, not yet sent).
//
// Peak occupancy counts element k as present from its send time s_k (inclusive) to its dequeue
// time d_k (exclusive). Occupancy only rises at sends, so the peak is the largest
// occ(s_j) = (j + 1) - n_j, n_j = #{i <= j : d_i <= s_j}. The d_i are monotone, so
// {i : d_i <= s_j} is a prefix and occ(s_j) > peak iff d_{j - peak} > s_j: one comparison per
// element; only when it holds is n_j searched for (downwards from j - peak, at most C steps).
// occ(s_j) is evaluated when element j is dequeued (or at the end of the run), when every d_i it
// needs is known, whatever order the engine committed sends and dequeues in (the fast engine may
// dequeue at a later time before it sends at an earlier one). The d_i it reads are still in
// their slots: s_j waited for the credit of element j - C, so s_j >= d_{j-C} + R > d_{j-C},
// hence n_j >= j + 1 - C and only i >= j - C is read, and P > C.
//
// A channel whose producer port is by reference (Port::by_reference) carries in each slot a
// pointer to the token's values, not the values: front_data and replay_receive return that
// pointer, so every consumer and engine reads `width` doubles there as from a slot. The timing
// is the same either way.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <vector>

#include "sim/core/trace_recorder.h"
#include "sim/core/types.h"
#include "sim/core/unit.h"

namespace streamsim {

struct ChannelTiming {
  Cycle depth = 2;             // capacity C >= 1
  Cycle latency = 1;           // L >= 1: enqueue at t is visible at t + L
  Cycle response_latency = 1;  // R >= 1: dequeue at d frees the slot for the sender at d + R
};

class ChannelState {
 public:
  // Per slot: `visible` and `send_time` belong to the element stored there,
  // `dequeue` to the last element dequeued from it (initially -R: its credit, dequeue + R, is 0;
  // as a dequeue time it never counts in the peak, being below every send time). The credit is
  // not stored (one store less per dequeue). 32 bytes, two per cache line: a slot's address is
  // one shift away from its index.
  struct Slot {
    Cycle visible = 0;
    Cycle send_time = 0;
    Cycle dequeue = 0;
    Cycle padding = 0;
  };

  ChannelState(const ChannelTiming& timing, int width, bool by_reference = false)
      : capacity_(static_cast<std::uint64_t>(timing.depth)),
        mask_(slot_count(capacity_) - 1),
        latency_(timing.latency),
        response_latency_(timing.response_latency),
        width_(static_cast<std::uint64_t>(width)),
        by_reference_(by_reference),
        slots_(slot_count(capacity_), Slot{0, 0, -timing.response_latency, 0}),
        data_(allocate_ring(slot_count(capacity_) * static_cast<std::uint64_t>(width))) {}

  // Bytes a channel of this depth and width allocates (RunSetup checks them before any is):
  // its slots' times and its ring of tokens.
  static std::uint64_t storage_bytes(Cycle depth, int width) {
    const std::uint64_t slots = slot_count(static_cast<std::uint64_t>(depth));
    std::uint64_t bytes;  // saturates: any limit refuses it
    if (__builtin_mul_overflow(slots, sizeof(Slot) + static_cast<std::uint64_t>(width) * 8, &bytes))
      return UINT64_MAX;
    return bytes;
  }

  // Pre-loads an initial token (before the run), visible at time 0. On a by-reference channel
  // the values are kept here for the whole run, as the producer's own references would be.
  void push_initial(const double* values) {
    if (by_reference_) {
      initial_.push_back(std::make_unique<double[]>(width_));
      std::copy(values, values + width_, initial_.back().get());
      send_reference(back_data(), initial_.back().get());
    } else {
      std::copy(values, values + width_, back_data());
    }
    commit_send(0, 0);
  }

  // --- receiver side ---
  bool can_receive() const { return received_ < sent_; }
  Cycle front_visible() const { return slots_[received_ & mask_].visible; }
  // The receiver's clock once the front element is visible; the cycles it waited for it are
  // counted as the consumer's input stall on this channel. The methods that record into a
  // TraceRecorder take kTraced: false only when no recorder is attached (traced() is false),
  // so that an engine's untraced path has no null checks.
  template <bool kTraced = true>
  Cycle wait_visible(Cycle clock) {
    const Cycle v = front_visible();
    if (v <= clock) return clock;
    consumer_stall_ += v - clock;
    if (kTraced && trace_) trace_->consumer_stalled(trace_index_, clock, v);
    return v;
  }
  const double* front_data() const { return token(&data_[(received_ & mask_) * width_]); }
  template <bool kTraced = true>
  void commit_receive(Cycle dequeue_time) {
    Slot& s = slots_[received_ & mask_];
    s.dequeue = dequeue_time;
    const std::uint64_t j = received_++;
    if (kTraced && trace_) trace_->received(trace_index_, dequeue_time);
    // occ(s_j) > peak iff element j - peak was still present at s_j (header comment). Here
    // j >= peak: the peak was last raised at a dequeue i < j, to at most i + 1.
    if (slots_[(j - peak_) & mask_].dequeue > s.send_time) raise_peak(j);
  }

  // --- sender side ---
  bool can_send() const { return sent_ - received_ < capacity_; }
  // Earliest time the next element may be sent: the credit of element sent_ - C (its dequeue
  // time + R), or 0 for the first C elements (their slots' dequeue times are still the initial
  // -R, see the header comment).
  Cycle credit_time() const {
    return slots_[(sent_ - capacity_) & mask_].dequeue + response_latency_;
  }
  // The sender's clock once the next slot's credit has arrived; the cycles it waited are
  // counted as the producer's back-pressure stall on this channel.
  template <bool kTraced = true>
  Cycle wait_credit(Cycle clock) {
    const Cycle c = credit_time();
    if (c <= clock) return clock;
    producer_stall_ += c - clock;
    if (kTraced && trace_) trace_->producer_stalled(trace_index_, clock, c);
    return c;
  }
  // The next element's slot; writable even when !can_send() (see the header comment).
  double* back_data() { return &data_[(sent_ & mask_) * width_]; }
  // `send_time` is the sender's clock after waiting for credit; `visible` >= send_time + latency.
  template <bool kTraced = true>
  void commit_send(Cycle send_time, Cycle visible) {
    Slot& s = slots_[sent_ & mask_];
    s.visible = visible;
    s.send_time = send_time;
    ++sent_;
    if (kTraced && trace_) trace_->sent(trace_index_, send_time);
  }

  // Records this channel's sends, dequeues and waits into `trace` as channel `index` (before
  // the run; nullptr = no tracing, the default).
  void attach_trace(TraceRecorder* trace, int index) {
    trace_ = trace;
    trace_index_ = index;
  }
  bool traced() const { return trace_ != nullptr; }

  // Called once when the run ends: accounts for elements never dequeued. A run stopped early
  // (Ctrl-C, --max-cycles) passes its consumer's clock as `known_until`: the consumer dequeues
  // nothing before its clock, but what it would have dequeued after is unknown, so occupancy
  // is counted only at sends before that clock (else a producer that ran ahead in a fast-engine
  // visit would show a peak the finished run never reaches). A finished or deadlocked run
  // passes nothing: every element left is really there for good.
  void finish_stats(Cycle known_until = std::numeric_limits<Cycle>::max()) {
    for (std::uint64_t j = received_; j < sent_; ++j)
      if (j >= peak_ && slots_[j & mask_].send_time < known_until)
        raise_peak(j);  // element j - peak is still present if not dequeued
  }

  // --- periodic replay (the fast engine's fast-forward, docs/performance.md) ---
  // While the run's timing repeats period after period, the fast engine moves tokens without
  // touching their times (replay_receive / replay_send only advance the counters, so the data
  // still flows through the right slots) and afterwards sets the times to what the timed run
  // would have written (finish_replay). These members are for that and nothing else.
  struct TimingSnapshot {
    std::uint64_t sent = 0, received = 0;
    Cycle consumer_stall = 0, producer_stall = 0;
    std::vector<Cycle> times;  // visible, send_time, dequeue per slot
  };
  void save_timing(TimingSnapshot& s) const {
    s.sent = sent_;
    s.received = received_;
    s.consumer_stall = consumer_stall_;
    s.producer_stall = producer_stall_;
    s.times.resize(slots_.size() * 3);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      s.times[3 * i] = slots_[i].visible;
      s.times[3 * i + 1] = slots_[i].send_time;
      s.times[3 * i + 2] = slots_[i].dequeue;
    }
  }
  // True if the timing now is `s` one period later: as many elements sent as dequeued since
  // (`moved`), and every slot holding what the slot `moved` elements earlier held then, `delta`
  // cycles later (unchanged if nothing moved). Every slot is compared, so the rest of the run
  // cannot tell the two apart except by that shift.
  bool repeats(const TimingSnapshot& s, Cycle delta) const {
    const std::uint64_t moved = sent_ - s.sent;
    if (received_ - s.received != moved) return false;
    const Cycle d = moved ? delta : 0;
    for (std::uint64_t i = 0; i < slots_.size(); ++i) {
      const Cycle* then = &s.times[3 * ((i - moved) & mask_)];
      const Slot& now = slots_[i];
      if (now.visible != then[0] + d || now.send_time != then[1] + d || now.dequeue != then[2] + d)
        return false;
    }
    return true;
  }
  const double* replay_receive() { return token(&data_[(received_++ & mask_) * width_]); }
  void replay_send() { ++sent_; }
  // The next element's slot as stored (on a by-reference channel it holds the pointer).
  const double* replay_receive_slot() { return &data_[(received_++ & mask_) * width_]; }
  void replay_advance(std::uint64_t sends, std::uint64_t receives) {
    sent_ += sends;
    received_ += receives;
  }
  void replay_rewind(std::uint64_t sends, std::uint64_t receives) {
    sent_ -= sends;
    received_ -= receives;
  }
  std::uint64_t slot_count() const { return slots_.size(); }
  // The slot of stream element k as stored (a pointer on a by-reference channel): a batched
  // replay copies the elements in flight out of the ring and back.
  double* element_slot(std::uint64_t k) { return &data_[(k & mask_) * width_]; }
  // The ring itself (slot_count() slots of width() doubles): a batched replay may let its units
  // read and write it directly when it has room for a batch's elements.
  double* ring_data() { return data_.get(); }
  void replay_unreceive() { --received_; }
  void replay_unsend() { --sent_; }
  // After `periods` replayed periods, each moving `moved` elements `delta` cycles on and adding
  // the given stalls, with the times left as they were when the replay began: writes the times
  // and stalls the timed run would have. The peak cannot rise: every replayed element's
  // occupancy repeats one counted before the replay.
  void finish_replay(std::uint64_t periods, std::uint64_t moved, Cycle delta, Cycle consumer_stall,
                     Cycle producer_stall, std::vector<Slot>& scratch) {
    consumer_stall_ += static_cast<Cycle>(periods) * consumer_stall;
    producer_stall_ += static_cast<Cycle>(periods) * producer_stall;
    if (moved == 0 || periods == 0) return;
    const std::uint64_t rotate = periods * moved;
    const Cycle shift = static_cast<Cycle>(periods) * delta;
    scratch.assign(slots_.begin(), slots_.end());
    for (std::uint64_t i = 0; i < slots_.size(); ++i) {
      const Slot& then = scratch[(i - rotate) & mask_];
      slots_[i] = Slot{then.visible + shift, then.send_time + shift, then.dequeue + shift, 0};
    }
  }

  Cycle latency() const { return latency_; }
  Cycle response_latency() const { return response_latency_; }
  std::uint64_t capacity() const { return capacity_; }
  int width() const { return static_cast<int>(width_); }
  bool by_reference() const { return by_reference_; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t received() const { return received_; }
  std::uint64_t occupancy() const { return sent_ - received_; }  // in execution order
  std::uint64_t peak_occupancy() const { return peak_; }
  // Cycles the consumer's clock was moved forward waiting for an element to become visible,
  // and the producer's clock waiting for a slot's credit (back-pressure).
  Cycle consumer_stall() const { return consumer_stall_; }
  Cycle producer_stall() const { return producer_stall_; }

 private:
  // The values of the token stored in `slot`. The branch is on a constant of the channel, so it
  // is always predicted.
  const double* token(const double* slot) const {
    return by_reference_ ? token_reference(slot) : slot;
  }

  static std::uint64_t slot_count(std::uint64_t capacity) {
    std::uint64_t n = 2;
    while (n <= capacity) n <<= 1;
    return n;
  }

  // Counts occ(s_j) into the peak, j >= peak_; elements 0..received_-1 have known dequeue
  // times, later ones count as present at s_j. Rarely called: only when the peak may rise.
  [[gnu::noinline]] void raise_peak(std::uint64_t j) {
    const Cycle s = slots_[j & mask_].send_time;
    const std::uint64_t n0 = j - peak_;
    if (n0 < received_ && slots_[n0 & mask_].dequeue <= s) return;       // occ(s_j) <= peak
    std::uint64_t n = std::min(n0, received_);                           // n_j <= n
    const std::uint64_t lo = j + 1 > capacity_ ? j + 1 - capacity_ : 0;  // n_j >= lo
    while (n > lo && slots_[(n - 1) & mask_].dequeue > s) --n;
    peak_ = j + 1 - n;
  }

  // Hot counters and constants first, so that a transfer touches few cache lines.
  std::uint64_t sent_ = 0, received_ = 0;
  std::uint64_t capacity_, mask_;
  Cycle latency_, response_latency_;
  std::uint64_t width_;
  std::uint64_t peak_ = 0;
  Cycle consumer_stall_ = 0, producer_stall_ = 0;
  TraceRecorder* trace_ = nullptr;
  int trace_index_ = -1;
  const bool by_reference_;  // in trace_index_'s padding: the hot members keep their lines
  std::vector<Slot> slots_;
  // The ring is calloc'd: the kernel hands out zeroed pages as they are first touched, so a
  // deep or wide channel costs memory only for the slots a run reaches (no up-front fill of
  // depth x width doubles, which for a large ring took seconds and could not be interrupted).
  struct FreeRing {
    void operator()(double* p) const { std::free(p); }
  };
  static std::unique_ptr<double[], FreeRing> allocate_ring(std::uint64_t doubles) {
    void* p = std::calloc(static_cast<std::size_t>(doubles), sizeof(double));
    if (!p) throw std::bad_alloc();
    return std::unique_ptr<double[], FreeRing>(static_cast<double*>(p));
  }
  // `width` doubles per slot even by reference: the SystemC engine copies a staged token's
  // `width` doubles into back_data(), the pointer's bits among them.
  std::unique_ptr<double[], FreeRing> data_;
  std::vector<std::unique_ptr<double[]>> initial_;  // by reference: the initial tokens' values
};

}  // namespace streamsim
