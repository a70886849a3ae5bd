#include "sim/units/sink.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "sim/core/plural.h"
#include "sim/core/registry.h"
#include "sim/units/tensor_file.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {
const char* kType = "sink";
}

SinkUnit::SinkUnit(const std::string& name, const Params& p)
    : Unit(name, kType),
      width_(get_int32(p, "width")),
      keep_(static_cast<std::uint64_t>(p.get_int("keep"))),
      limit_(static_cast<std::uint64_t>(p.get_int("count"))),
      tolerance_(p.get_double("tolerance")) {
  add_input("in", width_);
  set_timing(p.get_int("ii"), p.get_int("latency"));
  const std::vector<double>& expect = p.get_list("expect");
  const std::string& file = p.get_string("expect_file");
  if (!expect.empty() && !file.empty())
    param_error(name, kType, "expect_file", "cannot be combined with 'expect'; give one of them");
  if (!file.empty())
    expect_ = std::make_shared<const std::vector<double>>(read_tensor_file(file).values);
  else if (!expect.empty())
    expect_ = std::make_shared<const std::vector<double>>(expect);
  // Reserve lazily: a sink that keeps a million values should not allocate them up front.
  values_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(keep_, 4096)));
  rule_ = FiringRule{1, 0, false};
}

void SinkUnit::fire(FiringIO& io) {
  const double* in = io.in[0];
  for (int e = 0; e < width_; ++e) {
    const double v = in[e];
    const std::uint64_t index =
        tokens_ * static_cast<std::uint64_t>(width_) + static_cast<std::uint64_t>(e);
    if (values_.size() < keep_) values_.push_back(v);
    sum_ += v;
    if (!expect_) continue;
    bool bad;
    if (index >= expect_->size()) {
      bad = true;  // more values than expected
    } else {
      const double want = (*expect_)[index];
      const double err = std::fabs(v - want);
      if (std::isnan(v) && std::isnan(want)) {
        bad = false;
      } else if (std::isnan(err)) {
        bad = true;
        max_abs_error_ = std::numeric_limits<double>::infinity();
      } else {
        bad = err > tolerance_;
        if (err > max_abs_error_) max_abs_error_ = err;
      }
    }
    if (bad) {
      ++mismatches_;
      if (first_mismatch_ < 0) first_mismatch_ = static_cast<std::int64_t>(index);
    }
  }
  ++tokens_;
  rule_.done = limit_ > 0 && tokens_ >= limit_;
}

void SinkUnit::fire_batch(const BatchIO& io, std::uint64_t count) {
  FiringIO f;
  for (std::uint64_t b = 0; b < count; ++b) {
    f.in[0] = io.input(0, b);
    SinkUnit::fire(f);  // qualified: no virtual call per firing
  }
}

std::uint64_t SinkUnit::missing() const {
  if (!expect_) return 0;
  const std::uint64_t got = value_count();
  return got < expect_->size() ? expect_->size() - got : 0;
}

std::string SinkUnit::describe_state() const {
  std::ostringstream os;
  os << "sink: received ";
  if (limit_ > 0)
    os << tokens_ << " of " << count_of(static_cast<std::uint64_t>(limit_), "token");
  else
    os << count_of(static_cast<std::uint64_t>(tokens_), "token");
  if (expect_)
    os << ", " << mismatches() << " mismatches against " << expect_->size() << " expected values";
  return os.str();
}

namespace {

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Consumes one token per firing (one per cycle at ii 1) until the stream ends or `count` "
      "tokens arrived. Keeps the first `keep` values, counts tokens and sums values; with `expect` "
      "or `expect_file` compares value i of the flat stream against expected value i (absolute "
      "tolerance `tolerance`) and records the largest error and the number of mismatches "
      "(including values beyond the expectation and expected values never received).";
  info.inputs = {{"in", "the stream: tokens of `width` values"}};
  info.schema = with_timing({
      width_param("width", "values per input token"),
      int_param("count", "0", 0, kNoMax,
                "tokens to consume before finishing; 0 = until the stream ends"),
      int_param("keep", "1000000", 0, kNoMax, "values kept for tests and reports (the first ones)"),
      list_param("expect", "expected values, flat (compared in order)"),
      string_param("expect_file", "", {}, "tensor file of expected values (docs/tensor-format.md)"),
      double_param("tolerance", "1e-9", "largest absolute error still counted as a match", 0),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<SinkUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
