#include "graphs/spatial/schedule.h"

#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/time_limits.h"

namespace streamsim::spatial {

namespace {
const StageWork kIdle{};
}

std::int64_t Schedule::epochs_per_block() const {
  std::int64_t n = 0;
  for (const auto& p : passes) n = saturating_add(n, p.epochs);  // validate() bounds it
  return n;
}

Schedule::Position Schedule::position(std::int64_t e) const {
  Position pos;
  const std::int64_t per_block = epochs_per_block();
  if (e < 0 || per_block == 0 || e >= blocks * per_block) return pos;
  std::int64_t r = e % per_block;
  for (std::size_t p = 0; p < passes.size(); ++p) {
    if (r < passes[p].epochs) {
      pos.pass = static_cast<int>(p);
      if (r == 0) pos.flags |= kFirst;
      if (r == passes[p].epochs - 1) pos.flags |= kLast;
      if (r % passes[p].chunk_period == 0) pos.flags |= kChunkStart;
      return pos;
    }
    r -= passes[p].epochs;
  }
  return pos;
}

const StageWork& Schedule::work(std::int64_t e, int stage) const {
  const StageDef& s = stages[static_cast<std::size_t>(stage)];
  Position pos = position(e);
  if (pos.pass != s.pass) return kIdle;
  return passes[static_cast<std::size_t>(pos.pass)].work[static_cast<std::size_t>(pos.flags)]
               [static_cast<std::size_t>(stage)];
}

bool Schedule::sends(int edge, std::int64_t e) const {
  const EdgeDef& d = edges[static_cast<std::size_t>(edge)];
  if (!work(e, d.src).active) return false;
  if (!d.barrier) return work(e, d.dst).active;
  if (!(position(e).flags & kLast)) return false;
  Position next = position(e + 1);
  return (next.flags & kFirst) && work(e + 1, d.dst).active;
}

bool Schedule::receives(int edge, std::int64_t e) const {
  const EdgeDef& d = edges[static_cast<std::size_t>(edge)];
  if (!d.barrier) return work(e, d.dst).active && work(e, d.src).active;
  return e >= 1 && work(e, d.dst).active && (position(e).flags & kFirst) && sends(edge, e - 1);
}

namespace {
// A count the compiler computed saturating: INT64_MAX stands for "did not fit".
std::string count_text(std::int64_t n) {
  return n == INT64_MAX ? "more than 2^63" : std::to_string(n);
}
}  // namespace

void Schedule::validate() const {
  if (unit_names.size() != unit_kinds.size()) throw Error("schedule: unit names and kinds differ in number");
  for (const auto& s : stages) {
    if (s.unit < 0 || s.unit >= static_cast<int>(unit_names.size()))
      throw Error("schedule: stage '" + s.name + "' names no unit");
    if (s.pass < 0 || s.pass >= static_cast<int>(passes.size()))
      throw Error("schedule: stage '" + s.name + "' names no pass");
    if (s.skew < 0) throw Error("schedule: stage '" + s.name + "' has a negative skew");
  }
  for (const auto& p : passes) {
    if (p.epochs < 1 || p.chunk_period < 1) throw Error("schedule: pass '" + p.name + "' has no epochs");
    for (const auto& w : p.work)
      if (w.size() != stages.size()) throw Error("schedule: pass '" + p.name + "' lacks work for some stages");
    // The compiler saturates its products at INT64_MAX; anything past kMaxDelay ends here.
    for (const auto& by_stage : p.work)
      for (std::size_t st = 0; st < by_stage.size(); ++st) {
        const StageWork& w = by_stage[st];
        for (auto [what, v] : {std::pair<const char*, Cycle>{"ii", w.ii},
                               {"latency", w.latency},
                               {"switch fill", w.switch_fill}})
          if (v < 0 || v > kMaxDelay)
            throw Error("spatial mapping: stage '" + stages[st].name + "' of pass '" + p.name +
                        "' has a tile " + what + " of " + std::to_string(v) +
                        " cycles, above the largest delay " +
                        describe_limit(static_cast<std::uint64_t>(kMaxDelay)) +
                        " cycles; use smaller tiles (a smaller array or block) or a shorter "
                        "sequence");
      }
  }
  if (!checked_mul(blocks, epochs_per_block()) ||
      *checked_mul(blocks, epochs_per_block()) > kMaxTime)
    throw Error("spatial mapping: " + count_text(blocks) + " blocks of " +
                count_text(epochs_per_block()) + " epochs is above " +
                describe_limit(static_cast<std::uint64_t>(kMaxTime)) +
                " epochs; use a shorter sequence or larger tiles");
  for (const auto& d : edges) {
    if (d.src < 0 || d.dst < 0 || d.src >= static_cast<int>(stages.size()) ||
        d.dst >= static_cast<int>(stages.size()))
      throw Error("schedule: an edge names no stage");
    if (stages[d.src].unit == stages[d.dst].unit)
      throw Error("schedule: edge " + stages[d.src].name + " -> " + stages[d.dst].name +
                  " joins two stages of one unit; program order already orders them");
    if (d.depth < 1) throw Error("schedule: edge depth must be >= 1");
  }
}

}  // namespace streamsim::spatial
