#include "sim/core/unit_harness.h"

#include "sim/core/error.h"

namespace streamsim {

UnitHarness::UnitHarness(std::unique_ptr<Unit> unit) : unit_(std::move(unit)) {
  inputs_.resize(unit_->inputs().size());
  outputs_.resize(unit_->outputs().size());
}

void UnitHarness::push(int input_port, const std::vector<double>& token) {
  if (static_cast<int>(token.size()) != unit_->inputs().at(input_port).width)
    throw Error("harness: token width " + std::to_string(token.size()) + " does not match port '" +
                unit_->inputs()[input_port].name + "'");
  inputs_[input_port].push_back(token);
}

void UnitHarness::push_scalars(int input_port, const std::vector<double>& values) {
  for (double v : values) push(input_port, {v});
}

std::size_t UnitHarness::run(std::size_t max_firings) {
  std::size_t fired = 0;
  FiringIO io;
  std::vector<std::vector<double>> out_buffers(outputs_.size());
  while (fired < max_firings) {
    const FiringRule rule = unit_->rule();
    if (rule.done) break;
    bool ready = true;
    for (std::size_t p = 0; p < inputs_.size(); ++p)
      if ((rule.reads >> p & 1u) && inputs_[p].empty()) ready = false;
    if (!ready) break;
    for (std::size_t p = 0; p < inputs_.size(); ++p)
      if (rule.reads >> p & 1u) io.in[p] = inputs_[p].front().data();
    for (std::size_t p = 0; p < outputs_.size(); ++p) {
      out_buffers[p].assign(unit_->outputs()[p].width, 0.0);
      if (rule.writes >> p & 1u) io.out[p] = out_buffers[p].data();
    }
    unit_->fire(io);
    for (std::size_t p = 0; p < inputs_.size(); ++p)
      if (rule.reads >> p & 1u) inputs_[p].pop_front();
    for (std::size_t p = 0; p < outputs_.size(); ++p) {
      if (!(rule.writes >> p & 1u)) continue;
      const Port& port = unit_->outputs()[p];
      if (port.by_reference) {  // the token is a pointer to the values: keep the values
        const double* values = token_reference(out_buffers[p].data());
        outputs_[p].emplace_back(values, values + port.width);
      } else {
        outputs_[p].push_back(out_buffers[p]);
      }
    }
    iis_.push_back(unit_->firing_ii());
    ++fired;
  }
  return fired;
}

std::vector<double> UnitHarness::output_scalars(int port) const {
  std::vector<double> out;
  for (const auto& t : outputs_[port]) out.push_back(t.at(0));
  return out;
}

}  // namespace streamsim
