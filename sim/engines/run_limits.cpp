#include "sim/engines/run_limits.h"

#include "sim/core/channel_state.h"
#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/memory_limit.h"
#include "sim/core/time_limits.h"

namespace streamsim {

Cycle run_horizon(const RunOptions& options) {
  if (options.max_cycles < 0 || options.max_cycles > kMaxTime)
    throw Error("max cycles " + std::to_string(options.max_cycles) +
                " is out of range; it must be between 0 (no limit) and " +
                describe_limit(static_cast<std::uint64_t>(kMaxTime)) +
                ", the largest simulated time");
  return options.max_cycles > 0 ? options.max_cycles : kMaxTime;
}

Cycle delay_sum(const Graph& graph, const std::vector<std::unique_ptr<Unit>>& units) {
  // Each term is at most 2 x kMaxDelay (validated), so the running sum cannot overflow before
  // it passes kMaxDelaySum (2^60) by far; the check is on the sum, the culprit the largest term.
  Cycle sum = 0, largest = -1;
  std::string culprit;
  auto add = [&](Cycle term, const std::string& who) {
    sum += term;
    if (term > largest) {
      largest = term;
      culprit = who;
    }
  };
  for (const auto& u : units) {
    const Cycle d = u->max_firing_delay();
    const std::string who = "unit '" + u->name() + "' (type " + u->type() + ")";
    if (d < 0 || d > 2 * kMaxDelay)
      throw Error(who + ": a firing's II + latency of " + std::to_string(d) +
                  " cycles is out of range; it must be at most 2 x " +
                  describe_limit(static_cast<std::uint64_t>(kMaxDelay)));
    add(d, who);
    if (sum > kMaxDelaySum) break;
  }
  for (int c = 0; c < graph.channel_count() && sum <= kMaxDelaySum; ++c) {
    const ChannelTiming& t = graph.channel(c).timing;
    add(t.latency + t.response_latency, "channel '" + graph.channel(c).name + "'");
  }
  if (sum > kMaxDelaySum)
    throw Error(
        "the graph's IIs and latencies (every unit's II + latency, every channel's "
        "latency + response_latency) add up to more than " +
        describe_limit(static_cast<std::uint64_t>(kMaxDelaySum)) +
        " cycles, the bound that keeps every simulated time below 2^63; the largest "
        "term is " +
        culprit + " with " + std::to_string(largest) + " cycles: use smaller latencies");
  return sum;
}

std::uint64_t check_run_memory(const Graph& graph) {
  std::uint64_t total = 0, largest = 0;
  std::string largest_name;
  for (int c = 0; c < graph.channel_count(); ++c) {
    const ChannelSpec& spec = graph.channel(c);
    const int width = graph.unit(spec.src).outputs[static_cast<std::size_t>(spec.src_port)].width;
    // depth <= 2^32 and width <= 2^31 (validated): at most 2^33 slots of 8 + 2^34 bytes.
    const std::uint64_t bytes = ChannelState::storage_bytes(spec.timing.depth, width);
    const std::string what = "channel '" + spec.name + "' (depth " +
                             std::to_string(spec.timing.depth) + ", token width " +
                             std::to_string(width) + ")";
    check_allocation(bytes, spec.loc.str() + ": " + what);
    total = add_or_throw(total, bytes, "the run's memory estimate");
    if (bytes > largest) {
      largest = bytes;
      largest_name = what;
    }
  }
  // Per unit: the engines' staging of one token per port (two copies at most) and bookkeeping.
  for (int u = 0; u < graph.unit_count(); ++u) {
    std::uint64_t doubles = 0;
    for (const Port& p : graph.unit(u).inputs) doubles += static_cast<std::uint64_t>(p.width);
    for (const Port& p : graph.unit(u).outputs) doubles += static_cast<std::uint64_t>(p.width);
    total = add_or_throw(total, 2 * sizeof(double) * doubles + 1024, "the run's memory estimate");
  }
  if (total > memory_limit())
    check_allocation(total, "the run (" + std::to_string(graph.channel_count()) +
                                " channels; the largest is " + largest_name + " with " +
                                describe_bytes(largest) + ")");
  return total;
}

void throw_time_horizon(const std::string& unit, Cycle clock) {
  throw Error("unit '" + unit + "' reached cycle " + std::to_string(clock) +
              ", at or past the largest simulated time " +
              describe_limit(static_cast<std::uint64_t>(kMaxTime)) +
              " cycles, before the run ended; the graph's latencies or IIs are too large for "
              "its length (or it never ends): use smaller ones, or stop it earlier with "
              "--max-cycles");
}

}  // namespace streamsim
