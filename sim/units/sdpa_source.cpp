// sdpa_source: streams one of the seeded SDPA tensors Q, K, V (sim/units/sdpa_tensors.h),
// head after head, in the order an attention graph consumes it. A head's N x D tensor is
// generated when the head starts, never an N x N stream. Rows are sent by reference (a pointer
// into the tensor, Port::by_reference) when every head's tensor can be kept; see by_reference().
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/memory_limit.h"
#include "sim/core/registry.h"
#include "sim/units/sdpa_tensors.h"
#include "sim/units/unit_params.h"
#include "sim/units/vector_kernels.h"

namespace streamsim::sdpa {
namespace {

enum class Order { Once, PerQuery, RowRepeat };

// Most values kept to send rows by reference (64 MiB of doubles): all heads' tensors together.
constexpr std::uint64_t kMaxReferencedValues = std::uint64_t{1} << 23;

class SdpaSource final : public Unit {
 public:
  SdpaSource(const std::string& name, const Params& p)
      : Unit(name, "sdpa_source"),
        tensor_(parse_tensor(p.get_string("tensor"))),
        n_(static_cast<int>(p.get_int("N"))),
        d_(static_cast<int>(p.get_int("D"))),
        heads_(static_cast<int>(p.get_int("heads"))),
        seed_(static_cast<std::uint64_t>(p.get_int("seed"))),
        score_scale_(p.get_double("score_scale")),
        vector_(p.get_string("width") == "vector") {
    const std::string& order = p.get_string("order");
    order_ = order == "once"        ? Order::Once
             : order == "per_query" ? Order::PerQuery
                                    : Order::RowRepeat;
    check_sizes();
    by_reference_ = by_reference();
    add_output("out", vector_ ? d_ : 1, by_reference_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{0, 1, false};
    if (by_reference_) tensors_.reserve(static_cast<std::size_t>(heads_));
    start_head();
  }

  void fire(FiringIO& io) override { emit(io.out[0]); }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t b = 0; b < count; ++b) emit(io.output(0, b));
  }

  // The rule stays the same until the last value is sent.
  std::uint64_t steady_firings() const override {
    std::uint64_t done = 0, total = 0;
    progress(done, total);
    return total - done;
  }

  bool work_progress(std::uint64_t& done, std::uint64_t& total) const override {
    progress(done, total);
    return true;
  }

  std::string describe_state() const override {
    return "tensor " + std::string(tensor_name(tensor_)) + " head " + std::to_string(h_) +
           ", query row " + std::to_string(i_) + ", row " + std::to_string(j_) + " of " +
           std::to_string(n_);
  }

 private:
  // One firing: the next row (its reference or a copy) or, at scalar width, the next value.
  void emit(double* out) {
    const int row = order_ == Order::PerQuery ? j_ : i_;
    const double* src = values_ + static_cast<std::size_t>(row) * d_;
    if (vector_) {
      if (by_reference_)
        send_reference(out, src);
      else
        units::copy_row(out, src, d_);
      advance_row();
    } else {
      out[0] = src[k_];
      if (++k_ == d_) {
        k_ = 0;
        advance_row();
      }
    }
  }

  // Before anything is allocated: one head's tensor (N x D doubles) must fit the memory limit,
  // and the values the source sends (heads x N x N x D for per_query / row_repeat order) must
  // be countable: progress() and steady_firings() count them in 64 bits.
  void check_sizes() const {
    const std::string what = "unit '" + name() + "' (type sdpa_source)";
    const auto n = static_cast<std::uint64_t>(n_), d = static_cast<std::uint64_t>(d_);
    check_allocation(n * d * sizeof(double),
                     what + ": one head's tensor of N x D = " + std::to_string(n) + " x " +
                         std::to_string(d) + " values");
    const std::uint64_t inner = order_ == Order::Once ? 1 : n;
    const auto total = checked_mul(checked_mul(static_cast<std::uint64_t>(heads_), n).value_or(0),
                                   checked_mul(inner, d).value_or(0));
    constexpr std::uint64_t kMaxValues = std::uint64_t{1} << 62;
    if (!total || *total == 0 || *total > kMaxValues)
      throw Error(what + ": heads x N x " + (order_ == Order::Once ? "" : "N x ") +
                  "D = " + std::to_string(heads_) + " x " + std::to_string(n) + " x " +
                  (order_ == Order::Once ? "" : std::to_string(n) + " x ") + std::to_string(d) +
                  " values is above 2^62; use a smaller N, D or heads");
  }

  // Values (rows at vector width) sent so far, and in all.
  void progress(std::uint64_t& done, std::uint64_t& total) const {
    const std::uint64_t inner = order_ == Order::Once ? 1 : static_cast<std::uint64_t>(n_);
    const std::uint64_t per_row = vector_ ? 1 : static_cast<std::uint64_t>(d_);
    const auto n = static_cast<std::uint64_t>(n_);
    total = static_cast<std::uint64_t>(heads_) * n * inner * per_row;
    done = ((static_cast<std::uint64_t>(h_) * n + static_cast<std::uint64_t>(i_)) * inner +
            static_cast<std::uint64_t>(j_)) *
               per_row +
           static_cast<std::uint64_t>(k_);
    if (rule_.done) done = total;
  }

  // A reference must stay valid and unchanged until its consumer has read it, which may be
  // many firings after the send (a channel holds up to its depth of tokens, and the fast engine
  // lets the source fire ahead while the channel is full). The next head's tensor is generated
  // in the very firing that sends this head's last row, so regenerating one buffer per head
  // would rewrite rows still in flight. Instead every head's tensor is kept (each generated
  // when its head starts): heads x N x D values. Within kMaxReferencedValues, rows go by
  // reference; past it (or for D = 1, where a reference saves nothing) each row is copied from
  // the one buffer reused per head, as before.
  bool by_reference() const {
    const auto values = static_cast<std::uint64_t>(heads_) * static_cast<std::uint64_t>(n_) *
                        static_cast<std::uint64_t>(d_);
    return vector_ && d_ > 1 && values <= kMaxReferencedValues;
  }

  // Generates head h_'s tensor: into a buffer of its own when sending references (reserved for
  // every head, so earlier heads' buffers never move), else into the one buffer.
  void start_head() {
    const std::size_t size = static_cast<std::size_t>(n_) * static_cast<std::size_t>(d_);
    if (by_reference_ || tensors_.empty()) tensors_.emplace_back(size);
    generate_tensor(tensor_, h_, n_, d_, seed_, score_scale_, tensors_.back().data());
    values_ = tensors_.back().data();
  }

  void advance_row() {
    const int inner = order_ == Order::Once ? 1 : n_;
    if (++j_ < inner) return;
    j_ = 0;
    if (++i_ < n_) return;
    i_ = 0;
    if (++h_ < heads_) {
      start_head();
    } else {
      rule_.done = true;
    }
  }

  Tensor tensor_;
  int n_, d_, heads_;
  std::uint64_t seed_;
  double score_scale_;
  bool vector_;
  Order order_ = Order::Once;
  bool by_reference_ = false;
  // Line-aligned: each D-wide row is read whole by the consumer or copied out per firing.
  std::vector<units::LineVector> tensors_;  // every head's (by reference) or the current one
  const double* values_ = nullptr;          // the current head's tensor
  int h_ = 0, i_ = 0, j_ = 0, k_ = 0;
};

UnitTypeInfo info() {
  UnitTypeInfo t;
  t.type = "sdpa_source";
  t.doc =
      "Streams a seeded SDPA tensor (Q, K or V; N x D per head, uniform values shared with the "
      "double-precision reference), head after head, one row (width vector) or one element "
      "(width scalar) per firing. Rows (D > 1) go by reference, as pointers into the tensor "
      "(no copy), while all heads' tensors, then kept for the whole run, total at most 2^23 "
      "values; past that they are copied.";
  t.outputs = {{"out", "a row (width D, by reference) or an element (width 1)"}};
  t.schema = units::with_timing({
      units::string_param("tensor", std::nullopt, {"q", "k", "v"}, "which tensor"),
      units::int_param("N", std::nullopt, 1, 1 << 24, "sequence length (rows)"),
      units::int_param("D", std::nullopt, 1, 1 << 16, "head dimension (columns)"),
      units::int_param("heads", "1", 1, 1 << 20, "heads streamed one after another"),
      units::int_param("seed", "1", 0, 9.0e15, "seed of the generator"),
      units::double_param("score_scale", "1", "Q and K are uniform in [-sqrt(s), sqrt(s))"),
      units::string_param("width", "vector", {"vector", "scalar"},
                          "vector: one row per token; scalar: one element"),
      units::string_param(
          "order", "once", {"once", "per_query", "row_repeat"},
          "once: rows 0..N-1; per_query: the whole tensor N times (once per query row); "
          "row_repeat: each row N times"),
  });
  t.make = [](const std::string& name, const Params& p) -> std::unique_ptr<Unit> {
    return std::make_unique<SdpaSource>(name, p);
  };
  return t;
}

STREAMSIM_REGISTER_UNIT(info());

}  // namespace
}  // namespace streamsim::sdpa
