#include "sim/engines/fast/fast_engine.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>

#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/fast/fast_run_state.h"
#include "sim/engines/fast/periodic_replay.h"
#include "sim/engines/run_limits.h"
#include "sim/engines/run_setup.h"

namespace streamsim {

// The chain wavefront's types (FastUnit::chain points at a Chain).
namespace fast {

// One unit of a chain during a wavefront: the ports of its (single-port) rule and its clock and
// counters, written back to the FastUnit when the wavefront ends.
struct ChainMember {
  FastUnit* fu = nullptr;
  Unit* unit = nullptr;
  FiringIO* io = nullptr;
  FastChannel *in = nullptr, *out = nullptr;
  ChannelState *ich = nullptr, *och = nullptr;
  std::uint64_t shape = 0;  // the rule's reads and writes (shape_of)
  int pin = 0, pout = 0;
  int kind = 0;  // 1: reads, 2: writes
  Cycle clock = 0;
  // The clock and the stalls on the member's two channels when the wavefront started: its busy
  // cycles are the rest of its clock's advance (its clock moves only by stalls and IIs, and
  // only it stalls as the consumer of its input and the producer of its output).
  Cycle clock0 = 0, stalls0 = 0;
};

// A path of units with at most one input and one output port each, every one feeding the next.
struct Chain {
  std::vector<FastUnit*> units;
  std::vector<ChainMember> members;  // sized once, filled by each wavefront
  // Visits of the first unit left before the next wavefront is tried: a chain whose wavefronts
  // end after a round or two (e.g. its first unit's input arrives a token or two at a time) is
  // left to the sweep for a while, so that setting up wavefronts does not cost more than they save.
  int backoff = 0;
};

}  // namespace fast

namespace {

using namespace fast;

class FastRun {
 public:
  FastRun(const Graph& graph, const RunOptions& options, RunSetup& setup)
      : graph_(graph), limit_(setup.horizon), bounded_(options.max_cycles > 0), setup_(setup) {
    units_.resize(setup.units.size());
    channels_.resize(setup.channels.size());
    for (std::size_t u = 0; u < units_.size(); ++u) {
      FastUnit& fu = units_[u];
      fu.unit = setup.units[u].get();
      fu.input_count = static_cast<int>(fu.unit->inputs().size());
      fu.output_count = static_cast<int>(fu.unit->outputs().size());
      for (const Port& p : fu.unit->inputs())
        fu.stash_in.emplace_back(static_cast<std::size_t>(p.width));
    }
    for (int c = 0; c < graph.channel_count(); ++c) {
      const ChannelSpec& spec = graph.channel(c);
      FastChannel& fc = channels_[c];
      fc.state = setup.channels[c].get();
      fc.producer = &units_[spec.src];
      fc.consumer = &units_[spec.dst];
      fc.index = c;
      units_[spec.src].out[spec.src_port] = &fc;
      units_[spec.dst].in[spec.dst_port] = &fc;
    }
    // Sweep order: producers before consumers where the graph allows it (Kahn's algorithm;
    // units on cycles, which have initial tokens, follow in index order).
    std::vector<int> indegree(units_.size(), 0), order;
    for (int c = 0; c < graph.channel_count(); ++c) ++indegree[graph.channel(c).dst];
    std::vector<bool> placed(units_.size(), false);
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (indegree[u] == 0) order.push_back(static_cast<int>(u));
    for (std::size_t i = 0; i < order.size(); ++i) {
      placed[order[i]] = true;
      const FastUnit& fu = units_[order[i]];
      for (int p = 0; p < fu.output_count; ++p) {
        if (!fu.out[p]) continue;
        const int v = static_cast<int>(fu.out[p]->consumer - units_.data());
        if (--indegree[v] == 0) order.push_back(v);
      }
    }
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (!placed[u]) order.push_back(static_cast<int>(u));
    sweep_.resize(order.size());
    ready_bits_.assign((order.size() + 63) / 64, 0);
    for (std::size_t i = 0; i < order.size(); ++i) {
      FastUnit& fu = units_[order[i]];
      sweep_[i] = &fu;
      fu.ready_word = static_cast<std::uint32_t>(i / 64);
      fu.ready_bit = std::uint64_t{1} << (i % 64);
      ready_bits_[fu.ready_word] |= fu.ready_bit;
    }
    find_chains();
    for (const FastChannel& fc : channels_) traced_ = traced_ || fc.state->traced();
    // A graph that is not one chain gets wavefronts over all its units instead (the chain
    // wavefront, specialised for pipelines, stays for graphs that are one chain; they use the
    // graph wavefront's members only to record and replay periods, see try_chain_replay).
    graph_wavefront_ = !(chains_.size() == 1 && chains_[0]->units.size() == units_.size());
    if (graph_wavefront_)
      for (FastUnit& fu : units_) fu.chain = nullptr;
    members_.resize(sweep_.size());
    for (std::size_t i = 0; i < sweep_.size(); ++i) {
      members_[i].fu = sweep_[i];
      members_[i].unit = sweep_[i]->unit;
    }
    // Work between two polls of the monitor grows with the token width (every firing copies
    // its tokens): wavefronts and replays of wide tokens get fewer rounds and firings, and the
    // host clock is read at every visit, so that Ctrl-C acts within a fraction of a second.
    // Pipelines of narrow tokens (the usual case, and the benchmark) keep the full counts.
    std::uint64_t widest = 1;
    for (const FastUnit& fu : units_) {
      for (const Port& p : fu.unit->inputs()) widest = std::max<std::uint64_t>(widest, p.width);
      for (const Port& p : fu.unit->outputs()) widest = std::max<std::uint64_t>(widest, p.width);
    }
    const std::uint64_t round_work = widest * std::max<std::size_t>(1, units_.size());
    wavefront_rounds_ = static_cast<int>(std::clamp<std::uint64_t>(
        kWorkPerPoll / round_work, 1, static_cast<std::uint64_t>(kWavefrontRounds)));
    check_every_ = widest >= kWideToken ? 1 : 16;
    // Tracing needs every event's time, which a replay does not compute.
    replay_.emplace(units_, channels_, limit_, !traced_, waker_,
                    std::max<std::uint64_t>(1, kWorkPerPoll / widest));
  }

  // Chains: maximal paths u0 -> u1 -> ... of two or more units with at most one input and one
  // output port each, linked by the channel from u(i)'s output to u(i+1)'s input. Rings of
  // such units have no first unit and are left to the sweep.
  void find_chains() {
    auto linkable = [](const FastUnit& fu) { return fu.input_count <= 1 && fu.output_count <= 1; };
    auto next = [&](const FastUnit& fu) -> FastUnit* {
      if (!linkable(fu) || fu.output_count != 1 || !fu.out[0]) return nullptr;
      FastUnit* v = fu.out[0]->consumer;
      return v != &fu && linkable(*v) ? v : nullptr;
    };
    std::vector<bool> has_prev(units_.size(), false);
    for (FastUnit& fu : units_)
      if (FastUnit* v = next(fu)) has_prev[v - units_.data()] = true;
    for (std::size_t u = 0; u < units_.size(); ++u) {
      if (has_prev[u] || !next(units_[u])) continue;
      auto chain = std::make_unique<Chain>();
      for (FastUnit* fu = &units_[u]; fu; fu = next(*fu)) chain->units.push_back(fu);
      chain->members.resize(chain->units.size());
      units_[u].chain = chain.get();
      chains_.push_back(std::move(chain));
    }
  }

  // Sweeps the ready units in topological order, each run until it blocks, until none is
  // ready. A unit woken by one after it in the sweep runs in the next sweep, so in a pipeline
  // every unit runs once per sweep on the tokens its producer just sent. Before each sweep a
  // graph that is not one chain gets a wavefront over all its units (run_graph_wavefront);
  // in a graph that is one chain, the sweep's visit of the chain's first unit starts a chain
  // wavefront (run_chain). Both are bounded (kWavefrontRounds), so this loop, the place for
  // periodic work, comes round regularly. The results do not depend on the order units run in
  // (every time is computed from the channels' recorded times). The monitor (progress,
  // Ctrl-C) is polled every kPollInterval of host time: every check_every_ unit visits, and at
  // the first visit after a graph wavefront or a replay, the host clock is read (a visit may be
  // one firing or a wavefront of thousands, so visits alone are no measure of time); the first
  // check always polls.
  void execute(RunMonitor* monitor) {
    const std::uint32_t check_every = check_every_;
    constexpr auto kPollInterval = std::chrono::milliseconds(20);
    std::uint32_t countdown = check_every;
    auto next_poll = std::chrono::steady_clock::now();
    const std::size_t words = ready_bits_.size();
    bool any = true;
    while (any) {
      any = false;
      // A wavefront may replay a million firings: the host clock is read at the next visit.
      if (graph_wavefront_) {
        if (graph_backoff_ == 0 || --graph_backoff_ == 0) {
          run_graph_wavefront(wavefront_rounds_);
          countdown = 1;
        }
      } else if (replay_->enabled() && (chain_replay_wait_ == 0 || --chain_replay_wait_ == 0)) {
        try_chain_replay();
        countdown = 1;
      }
      for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t seen = 0;  // bits at or below the position of the last unit run
        for (;;) {
          const std::uint64_t bits = ready_bits_[w] & ~seen;
          if (!bits) break;
          const int b = __builtin_ctzll(bits);
          seen |= bits ^ (bits - 1);  // up to and including bit b
          FastUnit& fu = *sweep_[w * 64 + static_cast<std::size_t>(b)];
          if (fu.chain && (fu.chain->backoff == 0 || --fu.chain->backoff == 0)) {
            if (traced_)
              run_chain<true>(*fu.chain);
            else
              run_chain<false>(*fu.chain);
          }
          run_unit(fu);
          if (monitor && --countdown == 0) {
            countdown = check_every;
            const auto now = std::chrono::steady_clock::now();
            if (now >= next_poll) {
              next_poll = now + kPollInterval;
              if (!monitor->poll(setup_.progress(largest_clock()))) {
                interrupted_ = true;
                return;
              }
            }
          }
        }
      }
      // A unit run late in the sweep may have woken one in an earlier word: look at every
      // word again (testing only the word just swept missed those and ended the run early,
      // a false deadlock in graphs of more than 64 units).
      for (std::size_t w = 0; w < words && !any; ++w) any = ready_bits_[w] != 0;
    }
  }

  Cycle largest_clock() const {
    Cycle c = 0;
    for (const FastUnit& fu : units_) c = std::max(c, fu.clock);
    return c;
  }

  void collect(RunResult& result) {
    result.replayed_firings = replay_->replayed_firings();
    result.batched_firings = replay_->batched_firings();
    bool deadlocked = false, stopped = false;
    const FastUnit* last_stopped = nullptr;  // the stopped unit with the largest clock
    std::vector<BlockInfo> blocks(units_.size());
    for (std::size_t u = 0; u < units_.size(); ++u) {
      FastUnit& fu = units_[u];
      UnitStats s;
      s.name = fu.unit->name();
      s.type = fu.unit->type();
      s.final_clock = fu.clock;
      s.busy_cycles = fu.busy;
      s.firings = fu.firings;
      result.units.push_back(s);
      result.cycles = std::max(result.cycles, fu.clock);
      if (fu.state == UnitState::Parked) {
        deadlocked = true;
        blocks[u] = fu.block;
      }
      if (fu.state == UnitState::Stopped) {
        stopped = true;
        if (!last_stopped || fu.clock > last_stopped->clock) last_stopped = &fu;
      }
    }
    // Without --max-cycles the horizon is kMaxTime: reaching it is an error, not a result.
    if (stopped && !bounded_ && !interrupted_)
      throw_time_horizon(last_stopped->unit->name(), last_stopped->clock);
    if (interrupted_) {
      result.status = RunStatus::Interrupted;
    } else if (stopped) {
      result.status = RunStatus::MaxCycles;
    } else if (deadlocked) {
      result.status = RunStatus::Deadlock;
      std::vector<const ChannelState*> states;
      for (auto& c : setup_.channels) states.push_back(c.get());
      result.deadlock = analyse_deadlock(graph_, blocks, states, setup_.units, result.cycles);
    }
  }

 private:
  void park(FastUnit& fu, Cycle clock, FastChannel& fc, bool on_input) {
    fu.clock = clock;
    fu.state = UnitState::Parked;
    ready_bits_[fu.ready_word] &= ~fu.ready_bit;
    fu.block = BlockInfo{fc.index, on_input};
    if (on_input)
      fc.consumer_parked = true;
    else
      fc.producer_parked = true;
  }

  // A finished unit closes its channels: wake the units parked on them so they see it.
  void finish_unit(FastUnit& fu, Cycle clock) {
    fu.clock = clock;
    fu.state = UnitState::Done;
    ready_bits_[fu.ready_word] &= ~fu.ready_bit;
    for (int p = 0; p < fu.output_count; ++p) wake_consumer(*fu.out[p]);
    for (int p = 0; p < fu.input_count; ++p) wake_producer(*fu.in[p]);
  }

  void wake_consumer(FastChannel& fc) {
    if (!fc.consumer_parked) return;
    fc.consumer_parked = false;
    wake(*fc.consumer);
  }
  void wake_producer(FastChannel& fc) {
    if (!fc.producer_parked) return;
    fc.producer_parked = false;
    wake(*fc.producer);
  }

  void wake(FastUnit& fu) {
    if (fu.state != UnitState::Parked) return;
    fu.state = UnitState::Ready;
    fu.block = BlockInfo{};
    ready_bits_[fu.ready_word] |= fu.ready_bit;
  }

  // A unit that cannot dequeue from input channel `fc`: end of stream if its producer has
  // finished, otherwise it parks (keeping the tokens it already dequeued in this firing).
  void blocked_on_input(FastUnit& fu, Cycle clock, int port) {
    if (fu.in[port]->producer->state == UnitState::Done) return finish_unit(fu, clock);
    park_reading(fu, clock, port);
  }

  // A unit that blocked after making progress in this visit stays ready and is run again in
  // the next sweep (its producer or consumer, if it is still running, runs before then); one
  // that made none parks. This saves a park and a wake per visit in a pipeline, and the next
  // visit makes progress or parks, so sweeps end when every unit is parked or finished.
  void block(FastUnit& fu, Cycle clock, FastChannel& fc, bool on_input) {
    if (progressed_) {
      fu.clock = clock;
      return;
    }
    park(fu, clock, fc, on_input);
  }
  // A unit that cannot send on output `port`: a full output whose consumer has finished will
  // never drain; otherwise it parks.
  void blocked_on_output(FastUnit& fu, Cycle clock, int port) {
    FastChannel& fc = *fu.out[port];
    if (fc.consumer->state == UnitState::Done) return finish_unit(fu, clock);
    block(fu, clock, fc, false);
  }

  // Parks a unit in the middle of its reads: the tokens it already dequeued (their slots are
  // free for the producer now) are copied aside so the producer may overwrite the slots.
  void park_reading(FastUnit& fu, Cycle clock, int port) {
    for (std::uint32_t m = fu.rule_reads & ~fu.pending; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      // A reference stays valid for the whole run (Port::by_reference), and a unit that
      // forwards it must see the referenced pointer, not a copy's.
      if (fu.in[p]->state->by_reference()) continue;
      double* stash = fu.stash_in[p].data();
      if (fu.io.in[p] != stash) {
        std::copy(fu.io.in[p], fu.io.in[p] + fu.stash_in[p].size(), stash);
        fu.io.in[p] = stash;
      }
    }
    block(fu, clock, *fu.in[port], true);
  }

  // True if a firing with this rule could start now; otherwise parks or finishes the unit.
  // Used only once a unit's clock has reached max_cycles, to tell "stopped by the limit"
  // from "blocked" and "ended" exactly as the SystemC engine does.
  bool firing_could_start(FastUnit& fu, const FiringRule& rule, Cycle clock) {
    for (std::uint32_t m = rule.reads; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      if (fu.in[p]->state->can_receive()) continue;
      if (fu.in[p]->producer->state == UnitState::Done)
        finish_unit(fu, clock);
      else
        park(fu, clock, *fu.in[p], true);
      return false;
    }
    for (std::uint32_t m = rule.writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      if (fu.out[p]->state->can_send()) continue;
      if (fu.out[p]->consumer->state == UnitState::Done)
        finish_unit(fu, clock);
      else
        park(fu, clock, *fu.out[p], false);
      return false;
    }
    return true;
  }

  // Runs firings whose rule reads at most one input and writes at most one output, starting at
  // phase Start with clock < limit, until the rule changes shape, is done, the clock reaches the
  // limit, or the unit blocks. Returns false if the unit blocked or finished (it is parked or
  // done), true to let run_unit continue. The timing and the blocking behaviour are exactly
  // those of run_unit's general phases for such a rule.
  bool run_single_port_firings(FastUnit& fu, Cycle& clock) {
    const FiringRule& rule = fu.unit->rule();
    if (rule.reads)
      return rule.writes ? single_port_loop<true, true>(fu, clock)
                         : single_port_loop<true, false>(fu, clock);
    return rule.writes ? single_port_loop<false, true>(fu, clock)
                       : single_port_loop<false, false>(fu, clock);
  }

  // A wavefront over the whole graph: rounds in which every ready unit, in sweep (topological)
  // order, fires once if its rule's inputs all have a token and its outputs all have room (so
  // that the firing completes: nothing blocks or parks), until a round fires nothing or after
  // kWavefrontRounds rounds, or until a round fires fewer than one unit in kDenseRound (then,
  // as after a wavefront shorter than kShortWavefront rounds, the next kWavefrontBackoff sweeps
  // run without one). A unit blocked part-way through a firing resumes it when all its
  // remaining reads have a token and its writes room. Units finished, stopped, at max_cycles or
  // parked are left to the sweep, which runs next. Each firing makes the same ChannelState calls in
  // the same order as run_unit's phases (reads, then sends, in port order); only the order units
  // run in differs.
  [[gnu::noinline]] void run_graph_wavefront(int max_rounds) {
    const Cycle limit = limit_;
    GraphMember* const first = members_.data();
    GraphMember* const last = first + members_.size();
    int round = 0;
    replay_->start_wavefront();
    for (; round < max_rounds; ++round) {
      replay_->round_starting();
      std::size_t fired = 0;
      for (GraphMember* m = first; m != last; ++m) {
        FastUnit& fu = *m->fu;
        if (fu.state != UnitState::Ready) continue;
        if (fu.phase == FiringPhase::Start) {
          const Cycle clock_before = fu.clock;
          const FiringRule& rule = m->unit->rule();
          if (shape_of(rule) != m->shape) setup_graph_member(*m, rule);
          bool done;
          switch (m->kind) {
            case 0:
              done = fire_ports<0, 0>(*m, limit);
              break;
            case 1:
              done = fire_ports<0, 1>(*m, limit);
              break;
            case 2:
              done = fire_ports<0, 2>(*m, limit);
              break;
            case 3:
              done = fire_ports<1, 0>(*m, limit);
              break;
            case 4:
              done = fire_ports<1, 1>(*m, limit);
              break;
            case 5:
              done = fire_ports<1, 2>(*m, limit);
              break;
            case 6:
              done = fire_ports<2, 0>(*m, limit);
              break;
            case 7:
              done = fire_ports<2, 1>(*m, limit);
              break;
            case 8:
              done = fire_ports<2, 2>(*m, limit);
              break;
            default:
              goto any_rule;
          }
          if (done) {
            ++fired;
            if (replay_->recording()) replay_->record(*m, clock_before);
          }
          continue;
        }
      any_rule:
        if (attempt_firing(fu, limit)) {
          ++fired;
          replay_->unreplayable_firing();
        }
      }
      if (replay_->round_ended(fired != 0)) continue;
      // A round in which few units fire (activity in a small part of a large graph) costs more
      // than the sweep, which visits only ready units: leave those graphs to the sweep.
      if (fired == 0) break;
      if (fired * kDenseRound < members_.size()) {
        round = 0;
        break;
      }
    }
    if (round < kShortWavefront) graph_backoff_ = kWavefrontBackoff;
  }

  // A graph that is one chain runs with the chain wavefront, which is faster than the graph
  // wavefront; now and then a few graph wavefront rounds look for a repeating period and
  // replay it (every sweep while replays succeed, doubling the sweeps in between, up to
  // kReplayMaxWait, while they do not).
  void try_chain_replay() {
    const std::uint64_t before = replay_->replayed_firings();
    replay_->record_after_one_round();  // one round to finish the firings the chain wavefront left
    run_graph_wavefront(PeriodicReplay::kMaxPeriod + 1);
    if (replay_->replayed_firings() != before) {
      chain_replay_failures_ = 0;
      chain_replay_wait_ = 1;
    } else {
      if (chain_replay_failures_ < 12) ++chain_replay_failures_;
      chain_replay_wait_ = std::min(PeriodicReplay::kReplayMaxWait, 1 << chain_replay_failures_);
    }
  }

  void setup_graph_member(GraphMember& m, const FiringRule& rule) {
    m.shape = shape_of(rule);
    const int ni = __builtin_popcount(rule.reads), no = __builtin_popcount(rule.writes);
    if (ni > 2 || no > 2) {
      m.kind = GraphMember::kAnyRule;
      return;
    }
    FastUnit& fu = *m.fu;
    m.kind = 3 * ni + no;
    int i = 0;
    for (std::uint32_t b = rule.reads; b; b &= b - 1, ++i) {
      m.pin[i] = __builtin_ctz(b);
      m.in[i] = fu.in[m.pin[i]];
    }
    i = 0;
    for (std::uint32_t b = rule.writes; b; b &= b - 1, ++i) {
      m.pout[i] = __builtin_ctz(b);
      m.out[i] = fu.out[m.pout[i]];
    }
  }

  // attempt_firing for a ready unit at the start of a firing whose rule has the member's shape
  // (kNi reads, kNo writes): the same calls, with the ports looked up once per shape.
  template <int kNi, int kNo>
  bool fire_ports(GraphMember& m, Cycle limit) {
    FastUnit& fu = *m.fu;
    Unit& unit = *m.unit;
    Cycle clock = fu.clock;
    if (unit.rule().done || clock >= limit) return false;
    for (int i = 0; i < kNi; ++i)
      if (!m.in[i]->state->can_receive()) return false;
    for (int j = 0; j < kNo; ++j)
      if (!m.out[j]->state->can_send()) return false;
    FiringIO& io = fu.io;
    for (int i = 0; i < kNi; ++i) {
      ChannelState* const ch = m.in[i]->state;
      clock = ch->wait_visible(clock);
      io.in[m.pin[i]] = ch->front_data();
      ch->commit_receive(clock);
      wake_producer(*m.in[i]);
    }
    for (int j = 0; j < kNo; ++j) io.out[m.pout[j]] = m.out[j]->state->back_data();
    unit.fire(io);
    const Cycle stamp = clock + unit.firing_latency();
    const Cycle ii = unit.firing_ii();
    for (int j = 0; j < kNo; ++j) {
      ChannelState* const ch = m.out[j]->state;
      clock = ch->wait_credit(clock);
      ch->commit_send(clock, std::max(stamp, clock + ch->latency()));
      wake_consumer(*m.out[j]);
    }
    fu.clock = clock + ii;
    fu.busy += ii;
    ++fu.firings;
    return true;
  }

  // One firing of a ready unit if it can complete without blocking (see run_graph_wavefront);
  // true if the unit fired or completed a blocked firing's sends.
  bool attempt_firing(FastUnit& fu, Cycle limit) {
    if (fu.state != UnitState::Ready) return false;
    bool progress = false;
    if (fu.phase == FiringPhase::Sending) {
      for (std::uint32_t m = fu.pending; m; m &= m - 1)
        if (!fu.out[__builtin_ctz(m)]->state->can_send()) return false;
      Cycle clock = fu.clock;
      for (std::uint32_t m = fu.pending; m; m &= m - 1) {
        FastChannel& fc = *fu.out[__builtin_ctz(m)];
        ChannelState* ch = fc.state;
        clock = ch->wait_credit(clock);
        ch->commit_send(clock, std::max(fu.stamp, clock + ch->latency()));
        wake_consumer(fc);
      }
      fu.pending = 0;
      fu.clock = clock + fu.firing_ii;
      fu.busy += fu.firing_ii;
      ++fu.firings;
      fu.phase = FiringPhase::Start;
      progress = true;
    }
    Unit& unit = *fu.unit;
    Cycle clock = fu.clock;
    std::uint32_t reads, writes;  // the reads still to do, and the writes, of this firing
    if (fu.phase == FiringPhase::Start) {
      const FiringRule& rule = unit.rule();
      if (rule.done || clock >= limit) return progress;
      reads = rule.reads;
      writes = rule.writes;
    } else if (fu.phase == FiringPhase::Reading) {  // blocked part-way through its reads
      reads = fu.pending;
      writes = fu.rule_writes;
    } else {
      return progress;
    }
    for (std::uint32_t m = reads; m; m &= m - 1)
      if (!fu.in[__builtin_ctz(m)]->state->can_receive()) return progress;
    for (std::uint32_t m = writes; m; m &= m - 1)
      if (!fu.out[__builtin_ctz(m)]->state->can_send()) return progress;
    fu.phase = FiringPhase::Start;
    fu.pending = 0;
    FiringIO& io = fu.io;
    for (std::uint32_t m = reads; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      FastChannel& fc = *fu.in[p];
      ChannelState* ch = fc.state;
      clock = ch->wait_visible(clock);
      io.in[p] = ch->front_data();
      ch->commit_receive(clock);
      wake_producer(fc);
    }
    for (std::uint32_t m = writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      io.out[p] = fu.out[p]->state->back_data();
    }
    unit.fire(io);
    const Cycle stamp = clock + unit.firing_latency();
    const Cycle ii = unit.firing_ii();
    for (std::uint32_t m = writes; m; m &= m - 1) {
      FastChannel& fc = *fu.out[__builtin_ctz(m)];
      ChannelState* ch = fc.state;
      clock = ch->wait_credit(clock);
      ch->commit_send(clock, std::max(stamp, clock + ch->latency()));
      wake_consumer(fc);
    }
    fu.clock = clock + ii;
    fu.busy += ii;
    ++fu.firings;
    return true;
  }

  // Finishes a firing blocked on its only pending send, if the channel has room now: what
  // run_unit's Sending phase does for it. False if the unit is still blocked.
  bool complete_single_send(FastUnit& fu) {
    const int p = __builtin_ctz(fu.pending);
    FastChannel& fc = *fu.out[p];
    ChannelState* ch = fc.state;
    if (!ch->can_send()) return false;
    Cycle clock = ch->wait_credit(fu.clock);
    ch->commit_send(clock, std::max(fu.stamp, clock + ch->latency()));
    wake_consumer(fc);
    fu.clock = clock + fu.firing_ii;
    fu.busy += fu.firing_ii;
    ++fu.firings;
    fu.pending = 0;
    fu.phase = FiringPhase::Start;
    return true;
  }

  // A wavefront over a chain: fires each unit once in chain order, token after token, as long
  // as every one can fire without blocking (so the units do not switch every C firings, and
  // nothing parks or wakes). It stops at the first unit that cannot fire (left as it is) or
  // after kWavefrontRounds rounds (so that the sweep's outer loop runs regularly); the sweep then
  // runs the units as usual. Each firing is exactly one iteration of single_port_loop (the same
  // ChannelState calls in the same order for that unit).
  static constexpr int kWavefrontRounds = 4096;
  // Doubles copied (about) between two polls at most: 16 M, a few tens of milliseconds.
  static constexpr std::uint64_t kWorkPerPoll = std::uint64_t{1} << 24;
  // From this token width on, the host clock is read after every unit visit (a visit may run
  // up to a FIFO depth of firings).
  static constexpr std::uint64_t kWideToken = 1024;
  int wavefront_rounds_ = kWavefrontRounds;  // kWavefrontRounds, fewer for wide tokens
  std::uint32_t check_every_ = 16;           // unit visits between two reads of the host clock
  static constexpr int kShortWavefront = 4, kWavefrontBackoff = 64;
  static constexpr std::size_t kDenseRound = 8;  // a graph wavefront round fires >= 1/8 of units
  template <bool kTraced>
  [[gnu::noinline]] void run_chain(Chain& chain) {
    const std::size_t n = chain.units.size();
    for (std::size_t i = 0; i < n; ++i) {
      FastUnit& fu = *chain.units[i];
      if (fu.state != UnitState::Ready) return;
      if (fu.phase == FiringPhase::Sending && (fu.pending & (fu.pending - 1)) == 0 &&
          !complete_single_send(fu))
        return;
      if (fu.phase != FiringPhase::Start || fu.clock >= limit_) return;
      const FiringRule& rule = fu.unit->rule();
      if (rule.done || (rule.reads & (rule.reads - 1)) || (rule.writes & (rule.writes - 1))) return;
      ChainMember& m = chain.members[i];
      m.fu = &fu;
      m.unit = fu.unit;
      m.io = &fu.io;
      m.shape = shape_of(rule);
      m.kind = (rule.reads ? 1 : 0) | (rule.writes ? 2 : 0);
      m.pin = rule.reads ? __builtin_ctz(rule.reads) : 0;
      m.pout = rule.writes ? __builtin_ctz(rule.writes) : 0;
      m.in = rule.reads ? fu.in[m.pin] : nullptr;
      m.out = rule.writes ? fu.out[m.pout] : nullptr;
      m.ich = m.in ? m.in->state : nullptr;
      m.och = m.out ? m.out->state : nullptr;
      m.clock = fu.clock;
      m.clock0 = fu.clock;
      m.stalls0 = member_stalls(m);
    }
    ChainMember* const first = chain.members.data();
    ChainMember* const last = first + n;
    // Units inside the chain (not its ends) that read and write, after a first unit that
    // writes: the common pipeline stage, fired without dispatch on the shape, without wake
    // checks (their neighbours are in the wavefront, so never parked on the channels between
    // them) and without checking for an input token (the unit before has just sent one).
    bool stages = n >= 2 && (first->kind & 2) != 0;
    for (ChainMember* m = first + 1; stages && m < last - 1; ++m) stages = m->kind == 3;
    const Cycle limit = limit_;
    int round = 0;
    ChainMember* stop = first;  // the unit that could not fire in the last round
    if (stages) {
      // The output room of the first and the inner units is checked in the first round only:
      // from then on each such output holds, at its unit's turn, as many elements as in the
      // first round (one sent, and one dequeued by the next unit, per round), so it has room.
      if (!stage_round<kTraced, /*kCheckRoom=*/true>(first, last, limit, stop)) goto stopped;
      for (++round; round < wavefront_rounds_; ++round)
        if (!stage_round<kTraced, false>(first, last, limit, stop)) goto stopped;
    } else {
      for (; round < wavefront_rounds_; ++round)
        for (stop = first; stop != last; ++stop)
          if (!fire_any_member<kTraced>(*stop, limit)) goto stopped;
    }
    stop = first;  // every round completed
  stopped:
    if (round < kShortWavefront) chain.backoff = kWavefrontBackoff;
    // Every unit fired once per completed round, and those before `stop` once more.
    for (ChainMember* m = first; m != last; ++m) {
      m->fu->clock = m->clock;
      m->fu->busy += (m->clock - m->clock0) - (member_stalls(*m) - m->stalls0);
      m->fu->firings += static_cast<std::uint64_t>(round) + (m < stop ? 1 : 0);
    }
  }

  static Cycle member_stalls(const ChainMember& m) {
    return (m.ich ? m.ich->consumer_stall() : 0) + (m.och ? m.och->producer_stall() : 0);
  }

  // One round of a chain whose inner units read and write (see run_chain); `stop` is left at
  // the unit that could not fire. kCheckRoom: check the first and inner units' output room.
  template <bool kTraced, bool kCheckRoom>
  [[gnu::always_inline]] bool stage_round(ChainMember* first, ChainMember* last, Cycle limit,
                                          ChainMember*& stop) {
    stop = first;
    if (!fire_any_member<kTraced, kCheckRoom>(*first, limit)) return false;
    for (stop = first + 1; stop != last - 1; ++stop)
      if (!fire_member<true, true, /*kInner=*/true, kTraced, kCheckRoom>(*stop, limit))
        return false;
    return fire_any_member<kTraced>(*stop, limit);
  }

  template <bool kTraced, bool kCheckRoom = true>
  [[gnu::always_inline]] bool fire_any_member(ChainMember& m, Cycle limit) {
    switch (m.kind) {
      case 3:
        return fire_member<true, true, false, kTraced, kCheckRoom>(m, limit);
      case 1:
        return fire_member<true, false, false, kTraced>(m, limit);
      case 2:
        return fire_member<false, true, false, kTraced, kCheckRoom>(m, limit);
      default:
        return fire_member<false, false, false, kTraced>(m, limit);
    }
  }

  // One firing of a chain member, if its rule is still the one the wavefront started with, its
  // clock is below max_cycles, its input has a token and its output room; false (and nothing
  // done) otherwise. Room is checked before fire() (single_port_loop checks it after): if there
  // is none the unit simply does not fire yet, which changes the order units run in, never a
  // time. kInner: a unit inside the chain (ports 0, neighbours never parked: no wake checks).
  // kTraced: a TraceRecorder may be attached to the channels. kCheckRoom: false only where the
  // output is known to have room (run_chain).
  template <bool kIn, bool kOut, bool kInner, bool kTraced, bool kCheckRoom = true>
  bool fire_member(ChainMember& m, Cycle limit) {
    Unit& unit = *m.unit;
    const FiringRule& rule = unit.rule();
    Cycle clock = m.clock;
    if (!same_shape(rule, m.shape) || clock >= limit) return false;
    ChannelState* const ich = m.ich;
    ChannelState* const och = m.och;
    // An inner unit's producer, the unit before it, has just sent: its input is not empty.
    if constexpr (kIn && !kInner)
      if (!ich->can_receive()) return false;
    // The FiringIO pointers are stored last: a pointer store may alias the channels' fields.
    const double* in_data = nullptr;
    if constexpr (kIn) {
      clock = ich->wait_visible<kTraced>(clock);
      in_data = ich->front_data();
      ich->commit_receive<kTraced>(clock);
      if constexpr (!kInner) wake_producer(*m.in);
    }
    double* out_data = nullptr;
    if constexpr (kOut) out_data = och->back_data();
    FiringIO& io = *m.io;
    if constexpr (kIn) io.in[kInner ? 0 : m.pin] = in_data;
    if constexpr (kOut) io.out[kInner ? 0 : m.pout] = out_data;
    unit.fire(io);
    const Cycle stamp = clock + unit.firing_latency();
    const Cycle ii = unit.firing_ii();
    if constexpr (kOut) {
      if (kCheckRoom && !och->can_send()) {
        FastUnit& fu = *m.fu;
        fu.rule_reads = static_cast<std::uint32_t>(m.shape);
        fu.rule_writes = static_cast<std::uint32_t>(m.shape >> 32);
        fu.pending = fu.rule_writes;
        fu.stamp = stamp;
        fu.firing_ii = ii;
        fu.phase = FiringPhase::Sending;
        m.clock = clock;
        return false;
      }
      clock = och->wait_credit<kTraced>(clock);
      och->commit_send<kTraced>(clock, std::max(stamp, clock + och->latency()));
      if constexpr (!kInner) wake_consumer(*m.out);
    }
    m.clock = clock + ii;
    return true;
  }

  // One loop per shape, so that the compiler keeps both channels, the clock and the counters in
  // registers and tests nothing it knows.
  template <bool kIn, bool kOut>
  bool single_port_loop(FastUnit& fu, Cycle& clock_ref) {
    Unit& unit = *fu.unit;
    const FiringRule& rule = unit.rule();
    const std::uint32_t reads = rule.reads, writes = rule.writes;
    const std::uint64_t shape = shape_of(rule);
    const int pin = kIn ? __builtin_ctz(reads) : 0;
    const int pout = kOut ? __builtin_ctz(writes) : 0;
    FastChannel* const in = kIn ? fu.in[pin] : nullptr;
    FastChannel* const out = kOut ? fu.out[pout] : nullptr;
    ChannelState* const ich = kIn ? in->state : nullptr;
    ChannelState* const och = kOut ? out->state : nullptr;
    (void)ich;
    (void)och;
    const Cycle limit = limit_;
    FiringIO& io = fu.io;
    Cycle clock = clock_ref, busy = 0;
    std::uint64_t firings = 0;
    bool running = true;
    do {
      Cycle stamp = 0;
      if constexpr (kIn) {
        if (!ich->can_receive()) {
          // Nothing dequeued yet in this firing, so it is still at its start (and resumes in
          // this loop); rule_reads == pending tells park_reading there is nothing to set aside.
          fu.rule_reads = reads;
          fu.pending = reads;
          progressed_ = progressed_ || firings != 0;
          blocked_on_input(fu, clock, pin);
          running = false;
          break;
        }
        clock = ich->wait_visible(clock);
        io.in[pin] = ich->front_data();
        ich->commit_receive(clock);
        wake_producer(*in);
      }
      if constexpr (kOut) io.out[pout] = och->back_data();  // writable even when full
      unit.fire(io);
      stamp = clock + unit.firing_latency();
      const Cycle ii = unit.firing_ii();
      if constexpr (kOut) {
        if (!och->can_send()) {
          // The output waits in its slot; run_unit's Sending phase resumes the firing.
          fu.rule_reads = reads;
          fu.rule_writes = writes;
          fu.pending = writes;
          fu.stamp = stamp;
          fu.firing_ii = ii;
          fu.phase = FiringPhase::Sending;
          progressed_ = progressed_ || kIn || firings != 0;
          blocked_on_output(fu, clock, pout);
          running = false;
          break;
        }
        clock = och->wait_credit(clock);
        och->commit_send(clock, std::max(stamp, clock + och->latency()));
        wake_consumer(*out);
      }
      clock += ii;
      busy += ii;
      ++firings;
    } while (same_shape(rule, shape) && clock < limit);
    fu.busy += busy;
    fu.firings += firings;
    clock_ref = clock;
    return running;
  }

  // Runs one unit until it blocks, finishes, or reaches max_cycles. This is the hot loop.
  // As in DAM, a firing dequeues its inputs one at a time (each dequeue frees its slot at
  // once, even if a later input then blocks) and sends its outputs one at a time (an output
  // is delivered even if a later one then waits for credit). A unit blocked part-way through
  // a firing resumes where it stopped.
  void run_unit(FastUnit& fu) {
    Unit& unit = *fu.unit;
    Cycle clock = fu.clock;
    const Cycle limit = limit_;
    FiringIO& io = fu.io;
    progressed_ = false;
    for (;;) {
      if (fu.phase == FiringPhase::Start) {
        const FiringRule& rule = unit.rule();
        if (rule.done) return finish_unit(fu, clock);
        // Most units read at most one input and write at most one output per firing: run
        // such firings in a loop specialised for their shape (same timing, fewer steps).
        if (clock < limit && (rule.reads & (rule.reads - 1)) == 0 &&
            (rule.writes & (rule.writes - 1)) == 0) {
          if (!run_single_port_firings(fu, clock)) return;
          continue;
        }
        if (clock >= limit) {
          if (!firing_could_start(fu, rule, clock)) return;
          fu.clock = clock;
          fu.state = UnitState::Stopped;
          ready_bits_[fu.ready_word] &= ~fu.ready_bit;
          return;
        }
        fu.rule_reads = rule.reads;
        fu.rule_writes = rule.writes;
        fu.pending = rule.reads;
        fu.phase = FiringPhase::Reading;
      }
      if (fu.phase == FiringPhase::Reading) {
        // Blocking dequeues in port order, each at max(clock, visible time).
        while (fu.pending) {
          const int p = __builtin_ctz(fu.pending);
          ChannelState* ch = fu.in[p]->state;
          // End of stream, or park with the tokens already dequeued set aside.
          if (!ch->can_receive()) return blocked_on_input(fu, clock, p);
          clock = ch->wait_visible(clock);
          io.in[p] = ch->front_data();
          ch->commit_receive(clock);
          wake_producer(*fu.in[p]);
          fu.pending &= fu.pending - 1;
          progressed_ = true;
        }
        // Outputs are computed straight into the channels' next slots, full or not: only
        // this unit sends on them, so the slot stays the next one until it is sent.
        for (std::uint32_t m = fu.rule_writes; m; m &= m - 1) {
          const int p = __builtin_ctz(m);
          io.out[p] = fu.out[p]->state->back_data();
        }
        unit.fire(io);
        fu.stamp = clock + unit.firing_latency();
        fu.firing_ii = unit.firing_ii();
        fu.pending = fu.rule_writes;
        fu.phase = FiringPhase::Sending;
      }
      // Sends in port order, each waiting for its slot's credit; latency overlaps back-pressure.
      while (fu.pending) {
        const int p = __builtin_ctz(fu.pending);
        ChannelState* ch = fu.out[p]->state;
        if (!ch->can_send()) return blocked_on_output(fu, clock, p);
        clock = ch->wait_credit(clock);
        ch->commit_send(clock, std::max(fu.stamp, clock + ch->latency()));
        wake_consumer(*fu.out[p]);
        fu.pending &= fu.pending - 1;
        progressed_ = true;
      }
      clock += fu.firing_ii;
      fu.busy += fu.firing_ii;
      ++fu.firings;
      fu.phase = FiringPhase::Start;
    }
  }

  const Graph& graph_;
  const Cycle limit_;
  const bool bounded_;  // the user gave max_cycles (else limit_ is kMaxTime)
  RunSetup& setup_;
  bool progressed_ = false;       // the unit being run has dequeued or sent in this visit
  bool graph_wavefront_ = false;  // run_graph_wavefront before each sweep
  int graph_backoff_ = 0;         // sweeps left before the next graph wavefront is tried
  std::vector<FastUnit> units_;
  std::vector<FastChannel> channels_;
  bool interrupted_ = false;
  bool traced_ = false;  // a TraceRecorder is attached to the channels
  std::vector<std::unique_ptr<Chain>> chains_;
  std::vector<GraphMember> members_;                       // sweep_ order, for run_graph_wavefront
  int chain_replay_wait_ = 2, chain_replay_failures_ = 0;  // sweeps, for one-chain graphs
  // The engine's wake-ups, for the replay's own timing of firings.
  struct Waker final : ReplayWaker {
    explicit Waker(FastRun& r) : run(r) {}
    void wake_producer(FastChannel& c) override { run.wake_producer(c); }
    void wake_consumer(FastChannel& c) override { run.wake_consumer(c); }
    FastRun& run;
  };
  Waker waker_{*this};
  // Made once units_ and channels_ are sized (at the end of the constructor).
  std::optional<PeriodicReplay> replay_;
  std::vector<FastUnit*> sweep_;           // units in sweep (topological) order
  std::vector<std::uint64_t> ready_bits_;  // bit i: sweep_[i] is ready
};

}  // namespace

RunResult FastEngine::run(const Graph& graph, const RunOptions& options) {
  auto start = std::chrono::steady_clock::now();
  RunSetup setup(graph, options);
  FastRun run(graph, options, setup);
  run.execute(options.monitor);
  RunResult result;
  result.engine = name();
  run.collect(result);
  setup.finish(result);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace streamsim
