#include "graphs/spatial/stage_unit.h"

#include <algorithm>

namespace streamsim::spatial {

StageUnit::StageUnit(std::shared_ptr<const Schedule> schedule, int unit)
    : Unit(schedule->unit_names[static_cast<std::size_t>(unit)], "spatial_stage"),
      schedule_(std::move(schedule)) {
  const Schedule& s = *schedule_;
  int max_skew = 0;
  for (int st = 0; st < static_cast<int>(s.stages.size()); ++st) {
    if (s.stages[st].unit != unit) continue;
    stages_.push_back(MyStage{st, s.stages[st].skew, {}, {}});
    for (const PassDef& pass : s.passes)
      for (const auto& by_stage : pass.work)
        if (static_cast<std::size_t>(st) < by_stage.size()) {
          const StageWork& w = by_stage[static_cast<std::size_t>(st)];
          max_firing_delay_ = std::max(max_firing_delay_, w.ii + w.switch_fill + w.latency);
        }
    max_skew = std::max(max_skew, s.stages[st].skew);
  }
  // Ports are numbered by edge index, one per edge end on this unit.
  for (int e = 0; e < static_cast<int>(s.edges.size()); ++e) {
    const EdgeDef& d = s.edges[e];
    for (auto& my : stages_) {
      if (d.src == my.stage) {
        my.out.emplace_back(e, static_cast<int>(outputs().size()));
        add_output("e" + std::to_string(e));
      }
      if (d.dst == my.stage) {
        int port = static_cast<int>(inputs().size());
        my.in.emplace_back(e, port);
        add_input("e" + std::to_string(e));
        if (d.primed) primed_mask_ |= 1u << port;
      }
    }
  }
  end_step_ = s.epochs() + max_skew;
  set_timing(1, 1);
  if (primed_mask_) {
    // Discard the priming tokens of back edges first; it costs no time.
    priming_ = true;
    rule_ = FiringRule{primed_mask_, 0, false};
  } else {
    k_ = static_cast<std::size_t>(-1);
    advance();
  }
}

void StageUnit::advance() {
  const Schedule& s = *schedule_;
  for (;;) {
    if (++k_ >= stages_.size()) {
      k_ = 0;
      if (++step_ >= end_step_ || stages_.empty()) break;
    }
    const MyStage& my = stages_[k_];
    const std::int64_t e = step_ - my.skew;
    const StageWork& w = s.work(e, my.stage);
    if (!w.active) continue;
    FiringRule r;
    for (const auto& [edge, port] : my.in)
      if (s.receives(edge, e)) r.reads |= 1u << port;
    for (const auto& [edge, port] : my.out)
      if (s.sends(edge, e)) r.writes |= 1u << port;
    rule_ = r;
    current_ = &w;
    return;
  }
  rule_ = FiringRule{0, 0, true};
  current_ = nullptr;
}

void StageUnit::fire(FiringIO& io) {
  for (std::uint32_t m = rule_.writes; m; m &= m - 1) io.out[__builtin_ctz(m)][0] = 0.0;
  // The engine reads firing_ii_/firing_latency_ after fire(): they describe this firing.
  if (priming_) {
    priming_ = false;
    firing_ii_ = 0;
    firing_latency_ = 1;
    step_ = 0;
    k_ = static_cast<std::size_t>(-1);
    advance();
    return;
  }
  const StageWork* w = current_;
  const int stage = stages_[k_].stage;
  firing_ii_ = w->ii;
  firing_latency_ = w->latency;
  busy_pe_cycles_ += w->busy_pe_cycles;
  bytes_ += w->bytes;
  ++stage_firings_;
  advance();
  // A drain before the array switches Einsums (or stops), not between tiles of one Einsum.
  if (w->switch_fill && (rule_.done || stages_[k_].stage != stage)) firing_ii_ += w->switch_fill;
}

std::string StageUnit::describe_state() const {
  if (rule_.done) return "finished its program";
  const auto& my = stages_[k_];
  return "stage " + schedule_->stages[my.stage].name + " of epoch " +
         std::to_string(step_ - my.skew) + " (of " + std::to_string(schedule_->epochs()) + ")";
}

}  // namespace streamsim::spatial
