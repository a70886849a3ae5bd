#pragma once
// The bounds that keep every simulated time representable (docs/limits.md, "Largest time";
// the argument is in docs/timing-model.md, "Bounds on time").
//
// Every addition an engine makes to a time is one delay: a unit's II or latency, a channel's
// latency or response latency, each at most kMaxDelay (checked when the graph is validated and
// when a unit sets its timing). No firing starts at or after the run's horizon H (max_cycles,
// at most kMaxTime). A time past H is then at most H + 2 S, S being the graph's delay sum
// (every unit's largest firing delay, every channel's L + R; run_limits.h checks S <=
// kMaxDelaySum): kMaxTime + 2 kMaxDelaySum < 2^63, so the hot loops add without checks.
#include <cstdint>

#include "sim/core/types.h"

namespace streamsim {

// The largest simulated time a run may reach: a run that gets there without --max-cycles
// stops with an error (2^62 cycles, 146 years at 1 GHz).
constexpr Cycle kMaxTime = Cycle{1} << 62;
// The largest II, latency or response latency of one unit, firing or channel (2^40 cycles).
constexpr Cycle kMaxDelay = Cycle{1} << 40;
// The largest sum of every unit's largest firing delay and every channel's latency plus
// response latency (2^60): kMaxTime + 2 x kMaxDelaySum + a monitor's wait stay below 2^63.
constexpr Cycle kMaxDelaySum = Cycle{1} << 60;

}  // namespace streamsim
