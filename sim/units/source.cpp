#include "sim/units/source.h"

#include <algorithm>
#include <string>

#include "sim/core/plural.h"
#include "sim/core/registry.h"
#include "sim/units/tensor_file.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "source";

SourceUnit::Kind parse_kind(const std::string& k) {
  if (k == "random") return SourceUnit::Kind::Random;
  if (k == "ramp") return SourceUnit::Kind::Ramp;
  if (k == "constant") return SourceUnit::Kind::Constant;
  if (k == "file") return SourceUnit::Kind::File;
  return SourceUnit::Kind::List;
}

}  // namespace

SourceUnit::SourceUnit(const std::string& name, const Params& p)
    : Unit(name, kType), kind_(parse_kind(p.get_string("kind"))), width_(get_int32(p, "width")) {
  add_output("out", width_);
  set_timing(p.get_int("ii"), p.get_int("latency"));
  repeats_ = static_cast<std::uint64_t>(p.get_int("repeat"));
  const std::string& file = p.get_string("file");
  const std::string& kind = p.get_string("kind");
  if (!file.empty() && kind_ != Kind::File)
    param_error(name, kType, "file", "is only read with kind: file (kind is '" + kind + "')");
  if (!p.get_list("values").empty() && kind_ != Kind::List)
    param_error(name, kType, "values", "is only used with kind: list (kind is '" + kind + "')");

  std::int64_t count = p.get_int("count");
  if (kind_ == Kind::File || kind_ == Kind::List) {
    if (kind_ == Kind::File) {
      if (file.empty())
        param_error(name, kType, "file", "is required with kind: file (a tensor file path)");
      data_ = std::make_shared<const std::vector<double>>(read_tensor_file(file).values);
    } else {
      data_ = std::make_shared<const std::vector<double>>(p.get_list("values"));
    }
    const std::string what = kind_ == Kind::File ? "file '" + file + "'" : "'values'";
    const std::uint64_t available = data_->size() / static_cast<std::uint64_t>(width_);
    if (count < 0) {
      if (data_->size() % static_cast<std::size_t>(width_) != 0)
        param_error(name, kType, "width",
                    "= " + std::to_string(width_) + " does not divide the " +
                        std::to_string(data_->size()) + " values of " + what +
                        "; set 'count' to use a prefix");
      count = static_cast<std::int64_t>(available);
    } else if (static_cast<std::uint64_t>(count) > available) {
      param_error(name, kType, "count",
                  "= " + std::to_string(count) + " needs " + std::to_string(count * width_) +
                      " values but " + what + " holds " + std::to_string(data_->size()));
    }
  } else if (count < 0) {
    param_error(name, kType, "count", "is required with kind: " + kind);
  }
  count_ = static_cast<std::uint64_t>(count);
  if (count_ > 0 && repeats_ > (std::uint64_t{1} << 62) / count_)
    param_error(name, kType, "repeat", "times 'count' exceeds 2^62 tokens");

  switch (kind_) {
    case Kind::Random:
      a_ = p.get_double("min");
      b_ = p.get_double("max") - a_;
      if (b_ < 0) param_error(name, kType, "max", "must be >= 'min' for kind: random");
      seed_ = static_cast<std::uint64_t>(p.get_int("seed"));
      break;
    case Kind::Ramp:
      a_ = p.get_double("start");
      b_ = p.get_double("step");
      break;
    case Kind::Constant:
      a_ = p.get_double("value");
      break;
    default:
      break;
  }
  restart();
  rule_ = FiringRule{0, 1, total_tokens() == 0};
}

void SourceUnit::restart() {
  element_ = 0;
  if (kind_ == Kind::Random) rng_.seed(seed_);
}

double SourceUnit::next_value() {
  const std::uint64_t i = element_++;
  switch (kind_) {
    case Kind::Random: {
      // 53 random bits -> [0, 1): the same stream on every platform (unlike
      // std::uniform_real_distribution, whose algorithm is implementation-defined).
      const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
      return a_ + b_ * u;
    }
    case Kind::Ramp:
      return a_ + static_cast<double>(i) * b_;
    case Kind::Constant:
      return a_;
    default:
      return (*data_)[i];
  }
}

void SourceUnit::fire(FiringIO& io) {
  double* out = io.out[0];
  for (int e = 0; e < width_; ++e) out[e] = next_value();
  ++emitted_;
  if (emitted_ % count_ == 0) restart();
  rule_.done = emitted_ >= total_tokens();
}

void SourceUnit::fire_batch(const BatchIO& io, std::uint64_t count) {
  FiringIO f;
  for (std::uint64_t b = 0; b < count; ++b) {
    f.out[0] = io.output(0, b);
    SourceUnit::fire(f);  // qualified: no virtual call per firing
  }
}

std::string SourceUnit::describe_state() const {
  // Asked when the source is blocked, and a source (no inputs) blocks only while sending: its
  // last token is computed (emitted_ counts it) but not sent, and the firing not complete.
  // The report's `firings` counts complete firings, so say the same number here.
  const std::uint64_t sent = emitted_ > 0 ? emitted_ - 1 : 0;
  std::string s = "source: sent " + std::to_string(sent) + " of " +
                  count_of(total_tokens(), "token") +
                  (emitted_ > 0 ? ", token " + std::to_string(emitted_) + " waits to be sent" : "");
  if (repeats_ > 1 && count_ > 0)
    s += " (repetition " + std::to_string(std::min(sent / count_ + 1, repeats_)) + " of " +
         std::to_string(repeats_) + ")";
  return s;
}

namespace {

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Emits `count` tokens of `width` values, one firing per token (one per cycle at ii 1), and "
      "repeats the whole sequence `repeat` times. Value i of the flat stream is: random = uniform "
      "in "
      "[min, max) from a 64-bit Mersenne Twister seeded by `seed` (regenerated, not stored, for "
      "each "
      "repetition); ramp = start + i*step; constant = value; file = value i of a tensor file "
      "(docs/tensor-format.md); list = values[i].";
  info.outputs = {{"out", "the stream: tokens of `width` values"}};
  info.schema = with_timing({
      string_param("kind", "ramp", {"random", "ramp", "constant", "file", "list"},
                   "how values are produced: random, ramp, constant, file or list"),
      int_param("count", "-1", -1, kNoMax,
                "tokens per repetition; -1 = derive from the data (file/list: values / width); "
                "required for random, ramp and constant"),
      width_param("width", "values per token (1 = scalar stream)"),
      int_param("repeat", "1", 1, kNoMax,
                "times the whole sequence is emitted (e.g. K re-streamed per query row)"),
      int_param("seed", "1", 0, 9.0e18, "random: seed of the generator"),
      double_param("min", "0", "random: lower bound (inclusive)"),
      double_param("max", "1", "random: upper bound (exclusive); must be >= min"),
      double_param("start", "0", "ramp: first value"),
      double_param("step", "1", "ramp: increment between consecutive values"),
      double_param("value", "0", "constant: the value"),
      string_param("file", "", {}, "file: path of the tensor file to stream"),
      list_param("values", "list: the literal values to stream"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<SourceUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
