// `broadcast`: copies each input token to every output in one firing. Unlike DAM's broadcast
// (which waits for credit on all outputs, then sends, spending credit twice and hanging at
// depth 1), a firing here writes all outputs and the engine sends them in port order, each
// send waiting for its own credit, so it works at every depth.
#include <algorithm>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"
#include "sim/units/vector_kernels.h"

namespace streamsim::units {

namespace {

const char* kType = "broadcast";

class BroadcastUnit final : public Unit {
  static constexpr int kShortToken = 4;

 public:
  BroadcastUnit(const std::string& name, const Params& p)
      : Unit(name, kType), width_(get_int32(p, "width")), outputs_(get_int32(p, "outputs")) {
    add_input("in", width_);
    for (int i = 0; i < outputs_; ++i) add_output("out" + std::to_string(i), width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    const std::uint32_t all = outputs_ == kMaxPorts ? ~0u : (1u << outputs_) - 1u;
    rule_ = FiringRule{1u, all, false};
  }

  void fire(FiringIO& io) override {
    copy_out(io.in[0], [&io](int o) { return io.out[o]; });
  }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t b = 0; b < count; ++b)
      copy_out(io.input(0, b), [&io, b](int o) { return io.output(o, b); });
  }
  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always

 private:
  // One firing: `in` to every output out(o).
  template <class Out>
  void copy_out(const double* in, Out out) {
    if (width_ <= kShortToken) {
      // A short token (a scalar, SDPA's [e, c] pair): element by element, not a memmove call.
      for (int o = 0; o < outputs_; ++o)
        for (int e = 0; e < width_; ++e) out(o)[e] = in[e];
      return;
    }
    for (int o = 0; o < outputs_; ++o) copy_row(out(o), in, width_);
  }

  int width_, outputs_;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Copies every input token to all outputs: one firing reads one token and writes every "
      "output; the sends happen in port order (out0 first), each waiting for its own credit, so "
      "one full output stalls the others (as in hardware) but never deadlocks an acyclic graph.";
  info.inputs = {{"in", "the stream (width `width`)"}};
  info.outputs = {{"out0..out{outputs-1}", "copies of the stream (width `width`)"}};
  info.schema = with_timing({
      int_param("outputs", "2", 1, kMaxPorts, "number of outputs (1..32)"),
      width_param("width", "values per token"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<BroadcastUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
