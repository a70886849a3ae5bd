// `repeat`: sends each input token `count` times. The first firing of a token reads and
// writes; the next count-1 firings only write (from the copy kept here).
#include <algorithm>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"
#include "sim/units/vector_kernels.h"

namespace streamsim::units {

namespace {

const char* kType = "repeat";

class RepeatUnit final : public Unit {
 public:
  RepeatUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        width_(get_int32(p, "width")),
        count_(p.get_int("count")),
        held_(width_) {
    add_input("in", width_);
    // When the input tokens are references (rows of a source's tensor), the copies sent are
    // the same reference: a wide row is never copied (Port::forwards_reference_of).
    add_output("out", width_).forwards_reference_of = 0;
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, 1u, false};
  }

  void references_resolved() override { forward_ = outputs()[0].by_reference; }

  void fire(FiringIO& io) override { step(io.in[0], io.out[0]); }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    const bool reads = rule_.reads != 0;  // the same in every firing of a batch
    for (std::uint64_t b = 0; b < count; ++b)
      step(reads ? io.input(0, b) : nullptr, io.output(0, b));
  }

  // The copies after the first of a token read nothing; with count 1 every firing reads.
  std::uint64_t steady_firings() const override {
    if (count_ == 1) return kSteadyForever;
    return sent_ == 0 ? 1 : static_cast<std::uint64_t>(count_ - sent_);
  }

  std::string describe_state() const override {
    if (sent_ == 0) return "repeat: waiting for input token " + std::to_string(tokens_);
    return "repeat: sent " + std::to_string(sent_) + " of " + std::to_string(count_) +
           " copies of token " + std::to_string(tokens_ - 1);
  }

 private:
  // One firing: `in` is the new token when the rule reads.
  void step(const double* in, double* out) {
    if (forward_) {
      if (rule_.reads) {
        held_reference_ = in;
        ++tokens_;
      }
      send_reference(out, held_reference_);
    } else {
      if (rule_.reads) {
        std::copy(in, in + width_, held_.begin());
        ++tokens_;
      }
      copy_row(out, held_.data(), width_);
    }
    if (++sent_ == count_) sent_ = 0;
    rule_.reads = sent_ == 0 ? 1u : 0u;
  }

  int width_;
  std::int64_t count_;
  LineVector held_;
  bool forward_ = false;                    // the output forwards the input's references
  const double* held_reference_ = nullptr;  // the held token, when forwarding
  std::int64_t sent_ = 0;                   // copies of the held token sent so far
  std::uint64_t tokens_ = 0;                // input tokens read
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Sends each input token `count` times: the first firing reads the token and sends it, the "
      "next count-1 firings send copies without reading (ii cycles apart). When its input tokens "
      "are references (e.g. rows an sdpa_source sends by reference), so are the copies: the "
      "same reference, never a copy of the row.";
  info.inputs = {{"in", "the stream (width `width`)"}};
  info.outputs = {{"out", "each token `count` times (width `width`)"}};
  info.schema = with_timing({
      int_param("count", std::nullopt, 1, kNoMax, "copies sent per input token"),
      width_param("width", "values per token"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<RepeatUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
