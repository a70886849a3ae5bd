#include "sim/engines/systemc/sc_unit_process.h"

#include <algorithm>
#include <cassert>

#include "sim/core/error.h"
#include "sim/engines/systemc/sc_kernel.h"

namespace streamsim {

ScUnitProcess::ScUnitProcess(Unit& unit, ScRunContext& context)
    : unit_(unit), context_(context), in_(unit.inputs().size()), out_(unit.outputs().size()) {
  for (const Port& p : unit.inputs()) in_stage_.emplace_back(static_cast<std::size_t>(p.width));
  for (const Port& p : unit.outputs()) out_stage_.emplace_back(static_cast<std::size_t>(p.width));
}

void ScUnitProcess::connect_input(int port, ScChannel* channel) {
  in_[port] = channel;
}
void ScUnitProcess::connect_output(int port, ScChannel* channel) {
  out_[port] = channel;
}

Cycle ScUnitProcess::now() const {
  assert(now_ == ScKernel::now() - context_.base);
  return now_;
}

// Waits only when the target time is in the future: a unit's clock moves lazily (II after a
// firing) and catches up with the kernel when it next talks to a channel. The process keeps
// the kernel time itself (it knows how long it waited) rather than asking the kernel.
void ScUnitProcess::advance_to(Cycle t) {
  if (t > now_) {
    sc_core::wait(ScKernel::cycles(t - now_));
    now_ = t;
    // A run stopped from outside (Ctrl-C) while this process waited for time to pass: leave at
    // once, without touching a channel, so the statistics stay those read at the stop.
    if (context_.aborting) throw RunAborted{};
  }
}

void ScUnitProcess::run() {
  try {
    fire_loop();
  } catch (const sc_core::sc_unwind_exception&) {
    throw;  // the kernel's own unwinding (kill/reset) must pass through
  } catch (const RunAborted&) {
    state_ = ScUnitState::Aborted;
  } catch (...) {
    // Stop the whole run; the engine rethrows this once every process has ended.
    if (!context_.failure) context_.failure = std::current_exception();
    context_.aborting = true;
    state_ = ScUnitState::Aborted;
  }
}

void ScUnitProcess::fire_loop() {
  FiringIO io;
  for (;;) {
    if (context_.aborting) {
      state_ = ScUnitState::Aborted;
      return;
    }
    const FiringRule rule = unit_.rule();
    if (rule.done) {
      advance_to(clock_);
      return finish();
    }
    if (clock_ >= context_.limit) {
      // No firing starts at or past max_cycles. The unit counts as stopped if it could have
      // fired, as finished if a channel it needs is closed; nothing is dequeued, so waiting
      // here moves no time the run reports.
      if (firing_can_start(rule)) state_ = ScUnitState::Stopped;
      return;
    }
    // Blocking dequeues in ascending port order, each at max(clock, visible time).
    for (std::uint32_t m = rule.reads; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      ScChannel& ch = *in_[p];
      advance_to(clock_);
      if (!wait_for_data(ch)) return;
      clock_ = ch.state.wait_visible(clock_);
      advance_to(clock_);
      if (now() != clock_) throw Error("systemc engine: dequeue of '" + unit_.name() + "' is late");
      // The slot is free once dequeued (the producer may refill it while this process waits to
      // send), so the token is copied aside, unless it is a reference: the referenced values
      // stay unchanged for the whole run (Port::by_reference).
      const double* src = ch.state.front_data();
      if (ch.state.by_reference()) {
        io.in[p] = src;
      } else {
        std::copy(src, src + ch.state.width(), in_stage_[p].data());
        io.in[p] = in_stage_[p].data();
      }
      ch.state.commit_receive(clock_);
      ch.announce_space();
    }
    // Outputs whose slot is free are fired straight into the channel, others into staging.
    std::uint32_t staged = 0;
    for (std::uint32_t m = rule.writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      ChannelState& s = out_[p]->state;
      if (s.can_send()) {
        io.out[p] = s.back_data();
      } else {
        io.out[p] = out_stage_[p].data();
        staged |= 1u << p;
      }
    }
    unit_.fire(io);
    // Sends in ascending port order, each waiting for its slot's credit; the latency runs
    // from the firing, so it overlaps the wait.
    const Cycle stamp = clock_ + unit_.firing_latency();
    for (std::uint32_t m = rule.writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      ScChannel& ch = *out_[p];
      advance_to(clock_);
      if (!wait_for_space(ch)) return;
      clock_ = ch.state.wait_credit(clock_);
      advance_to(clock_);
      if (now() != clock_) throw Error("systemc engine: send of '" + unit_.name() + "' is late");
      // A by-reference token is the pointer's bits in its first double: copied bit for bit.
      if (staged & (1u << p))
        std::copy(out_stage_[p].begin(), out_stage_[p].end(), ch.state.back_data());
      const Cycle visible = std::max(stamp, clock_ + ch.state.latency());
      ch.state.commit_send(clock_, visible);
      ch.announce_data(clock_, visible);
    }
    const Cycle ii = unit_.firing_ii();
    clock_ += ii;
    busy_ += ii;
    ++firings_;
  }
}

bool ScUnitProcess::firing_can_start(const FiringRule& rule) {
  for (std::uint32_t m = rule.reads; m; m &= m - 1)
    if (!wait_for_data(*in_[__builtin_ctz(m)])) return false;
  for (std::uint32_t m = rule.writes; m; m &= m - 1)
    if (!wait_for_space(*out_[__builtin_ctz(m)])) return false;
  return true;
}

// Waits until the channel holds an element. Returns false if the unit ended instead: the
// producer finished with the channel empty (end of stream), or the run was aborted.
bool ScUnitProcess::wait_for_data(ScChannel& ch) {
  while (!ch.state.can_receive()) {
    if (ch.producer_done) {
      finish();
      return false;
    }
    if (!block_on(ch.data_event, ch.consumer_waiting, ch.index, true)) return false;
  }
  return true;
}

// Waits until the channel has a free slot. Returns false if the unit ended instead: the
// consumer finished with the channel full (its elements are left over), or the run was aborted.
bool ScUnitProcess::wait_for_space(ScChannel& ch) {
  while (!ch.state.can_send()) {
    if (ch.consumer_done) {
      finish();
      return false;
    }
    if (!block_on(ch.space_event, ch.producer_waiting, ch.index, false)) return false;
  }
  return true;
}

bool ScUnitProcess::block_on(sc_core::sc_event& event, bool& waiting_flag, int channel,
                             bool on_input) {
  waiting_flag = true;
  state_ = ScUnitState::Blocked;
  block_ = BlockInfo{channel, on_input};
  waited_ = &event;
  sc_core::wait(event);
  now_ = ScKernel::now() - context_.base;
  waiting_flag = false;
  waited_ = nullptr;
  if (context_.aborting) {
    state_ = ScUnitState::Aborted;
    return false;
  }
  state_ = ScUnitState::Running;
  block_ = BlockInfo{};
  return true;
}

// A finished unit closes its channels, which ends the units waiting on them (end of stream).
void ScUnitProcess::finish() {
  state_ = ScUnitState::Done;
  for (ScChannel* c : out_) c->close_by_producer();
  for (ScChannel* c : in_) c->close_by_consumer();
}

}  // namespace streamsim
