#pragma once
// A tile-level unit: one resource of the spatial accelerator (DRAM, the 2D array, the 1D
// array) that runs its part of a compiled Schedule. At unit step g it fires, in order, each
// of its stages that is active for epoch g − skew: it dequeues one token from every input
// edge active in that epoch, occupies the resource for the stage's II and stamps its outputs
// with the stage's latency (fill, steady state and drain derived by the mapping compiler).
// Tokens stand for tiles; they carry no values. Engine-agnostic like every unit.
#include <memory>
#include <vector>

#include "graphs/spatial/schedule.h"
#include "sim/core/unit.h"

namespace streamsim::spatial {

class StageUnit : public Unit {
 public:
  StageUnit(std::shared_ptr<const Schedule> schedule, int unit);
  void fire(FiringIO& io) override;
  std::string describe_state() const override;
  // The longest of its stages' firings: II + switch fill + latency (the schedule's bound).
  Cycle max_firing_delay() const override { return max_firing_delay_; }

  // Totals over the run (for utilization and traffic).
  double busy_pe_cycles() const { return busy_pe_cycles_; }
  double bytes() const { return bytes_; }
  std::uint64_t stage_firings() const { return stage_firings_; }

 private:
  struct MyStage {
    int stage;
    int skew;
    std::vector<std::pair<int, int>> in, out;  // (edge, port)
  };
  void advance();  // moves to the next active (step, stage) and sets rule_

  std::shared_ptr<const Schedule> schedule_;
  std::vector<MyStage> stages_;
  std::uint32_t primed_mask_ = 0;
  std::int64_t step_ = 0, end_step_ = 0;
  std::size_t k_ = 0;
  bool priming_ = false;
  Cycle max_firing_delay_ = 1;
  const StageWork* current_ = nullptr;
  double busy_pe_cycles_ = 0, bytes_ = 0;
  std::uint64_t stage_firings_ = 0;
};

}  // namespace streamsim::spatial
