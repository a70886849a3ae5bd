// The batching contract of every library unit that makes one (Unit::steady_firings,
// Unit::fire_batch): each promise of k steady firings holds for the next k firings of a copy
// fired one at a time, and firing in batches as the promises allow gives the same outputs, bit
// for bit, as firing one at a time. A broken promise would make the fast engine's batched replay
// compute a wrong run; tests/engines/engine_agreement_test.cpp checks whole runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/sink.h"

namespace streamsim {
namespace {

// Input token `index` of port `port`: `width` values, the same for every copy of a unit.
// Values in [-3, 3), so maxima change now and then and exp stays finite.
std::vector<double> token(int port, std::uint64_t index, int width) {
  std::mt19937_64 rng(1000003u * static_cast<std::uint64_t>(port) + index);
  std::uniform_real_distribution<double> value(-3.0, 3.0);
  std::vector<double> t(static_cast<std::size_t>(width));
  for (double& v : t) v = value(rng);
  return t;
}

struct Firing {
  std::uint32_t reads = 0, writes = 0;
  Cycle ii = 0, latency = 0;
};

// What a copy of the unit did: per output port, the values it sent (references followed).
struct Record {
  std::vector<std::vector<double>> outputs;
  std::vector<Firing> firings;  // the rule each firing had, and the timing it left
};

// Inputs that are token references: the copy reads pointers into these rows (kept for the run).
class Inputs {
 public:
  Inputs(const Unit& u, bool by_reference) : by_reference_(by_reference) {
    for (const Port& p : u.inputs()) width_.push_back(p.width);
    next_.assign(u.inputs().size(), 0);
  }
  // The next token of `port` written into `slot` (values, or a pointer to them); returns the
  // values' address.
  const double* next(int port, double* slot) {
    rows_.push_back(token(port, next_[static_cast<std::size_t>(port)]++,
                          width_[static_cast<std::size_t>(port)]));
    const double* values = rows_.back().data();
    if (by_reference_)
      send_reference(slot, values);
    else
      std::copy(values, values + rows_.back().size(), slot);
    return values;
  }
  bool by_reference() const { return by_reference_; }

 private:
  bool by_reference_;
  std::vector<int> width_;
  std::vector<std::uint64_t> next_;
  std::vector<std::vector<double>> rows_;  // never shrinks while references to it may be read
  // rows_ reallocates, but each row's own buffer stays where it is
};

void collect(const Unit& u, int port, const double* slot, Record& r) {
  const Port& p = u.outputs()[static_cast<std::size_t>(port)];
  const double* values = p.by_reference ? token_reference(slot) : slot;
  auto& out = r.outputs[static_cast<std::size_t>(port)];
  out.insert(out.end(), values, values + p.width);
}

// Fires `u` `count` times, one firing at a time.
Record fire_one_by_one(Unit& u, std::uint64_t count, bool by_reference) {
  Record r;
  r.outputs.resize(u.outputs().size());
  Inputs inputs(u, by_reference);
  std::vector<std::vector<double>> in_slots(u.inputs().size()), out_slots(u.outputs().size());
  for (std::size_t p = 0; p < u.inputs().size(); ++p)
    in_slots[p].resize(static_cast<std::size_t>(u.inputs()[p].width));
  for (std::size_t p = 0; p < u.outputs().size(); ++p)
    out_slots[p].resize(static_cast<std::size_t>(u.outputs()[p].width));
  for (std::uint64_t f = 0; f < count && !u.rule().done; ++f) {
    const FiringRule rule = u.rule();
    FiringIO io;
    for (int p = 0; p < static_cast<int>(u.inputs().size()); ++p)
      if ((rule.reads >> p) & 1u)
        io.in[p] = inputs.next(p, in_slots[static_cast<std::size_t>(p)].data());
    for (int p = 0; p < static_cast<int>(u.outputs().size()); ++p)
      if ((rule.writes >> p) & 1u) io.out[p] = out_slots[static_cast<std::size_t>(p)].data();
    u.fire(io);
    for (int p = 0; p < static_cast<int>(u.outputs().size()); ++p)
      if ((rule.writes >> p) & 1u) collect(u, p, io.out[p], r);
    r.firings.push_back(Firing{rule.reads, rule.writes, u.firing_ii(), u.firing_latency()});
  }
  return r;
}

// Fires `u` `count` times in batches as long as its promises allow (each at most `max_batch`
// firings), single firings where it promises nothing; checks every promise against `single`,
// the record of a copy fired one at a time.
Record fire_in_batches(Unit& u, std::uint64_t count, bool by_reference, const Record& single,
                       std::mt19937& rng, std::uint64_t& batched) {
  Record r;
  r.outputs.resize(u.outputs().size());
  Inputs inputs(u, by_reference);
  std::uint64_t f = 0;
  while (f < count && !u.rule().done) {
    const FiringRule rule = u.rule();
    const std::uint64_t promised = u.steady_firings();
    // The promise, checked against what the one-by-one copy did: same rule, and the timing the
    // unit reports now, for each of the promised firings.
    const std::uint64_t end =
        std::min<std::uint64_t>(single.firings.size(), f + std::min<std::uint64_t>(promised, 5000));
    for (std::uint64_t k = f; k < end; ++k) {
      const Firing& s = single.firings[k];
      if (s.reads != rule.reads || s.writes != rule.writes || s.ii != u.firing_ii() ||
          s.latency != u.firing_latency()) {
        ADD_FAILURE() << u.type() << " promised " << promised << " steady firings at firing " << f
                      << ", but firing " << k << " has another rule or timing";
        return r;
      }
    }
    std::uint64_t n = std::min<std::uint64_t>(
        {promised, count - f, std::uniform_int_distribution<std::uint64_t>(1, 40)(rng)});
    n = std::max<std::uint64_t>(n, 1);  // a firing without a promise is a batch of one
    // The batch's tokens: inputs written ahead (values or pointers), outputs' slots.
    BatchIO io;
    io.in_by_reference = 0;
    const std::uint64_t slots = n;
    std::vector<std::vector<double>> in_stage(u.inputs().size()), out_stage(u.outputs().size());
    for (int p = 0; p < static_cast<int>(u.inputs().size()); ++p) {
      if (!((rule.reads >> p) & 1u)) continue;
      const std::uint32_t stride =
          by_reference ? 1u
                       : static_cast<std::uint32_t>(u.inputs()[static_cast<std::size_t>(p)].width);
      auto& stage = in_stage[static_cast<std::size_t>(p)];
      stage.resize(slots * stride);
      io.in[p] = stage.data();
      io.in_stride[p] = stride;
      for (std::uint64_t b = 0; b < n; ++b) inputs.next(p, stage.data() + b * stride);
      if (by_reference) io.in_by_reference |= 1u << p;
    }
    for (int p = 0; p < static_cast<int>(u.outputs().size()); ++p) {
      if (!((rule.writes >> p) & 1u)) continue;
      const auto width = static_cast<std::uint32_t>(u.outputs()[static_cast<std::size_t>(p)].width);
      out_stage[static_cast<std::size_t>(p)].resize(slots * width);
      io.out[p] = out_stage[static_cast<std::size_t>(p)].data();
      io.out_stride[p] = width;
    }
    u.fire_batch(io, n);
    for (int p = 0; p < static_cast<int>(u.outputs().size()); ++p)
      if ((rule.writes >> p) & 1u)
        for (std::uint64_t b = 0; b < n; ++b) collect(u, p, io.output(p, b), r);
    if (n > 1) batched += n;
    f += n;
  }
  return r;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

struct Case {
  std::string type;
  Params params;
  bool inputs_by_reference = false;
};

void check_batching(const Case& c, std::uint64_t firings) {
  SCOPED_TRACE(c.type + (c.inputs_by_reference ? " (inputs by reference)" : ""));
  std::unique_ptr<Unit> one = make_unit(c.type, "one", c.params);
  std::unique_ptr<Unit> batch = make_unit(c.type, "batch", c.params);
  for (std::unique_ptr<Unit>* u : {&one, &batch})
    for (int o = 0; o < static_cast<int>((*u)->outputs().size()); ++o)
      if ((*u)->outputs()[static_cast<std::size_t>(o)].forwards_reference_of >= 0)
        (*u)->resolve_forwarded_reference(o, c.inputs_by_reference);
  const Record single = fire_one_by_one(*one, firings, c.inputs_by_reference);
  std::mt19937 rng(7);
  std::uint64_t batched = 0;
  const Record batches =
      fire_in_batches(*batch, firings, c.inputs_by_reference, single, rng, batched);
  if (::testing::Test::HasFailure()) return;
  EXPECT_GT(batched, single.firings.size() / 4) << "too few firings ran in batches to test them";
  ASSERT_EQ(single.outputs.size(), batches.outputs.size());
  for (std::size_t p = 0; p < single.outputs.size(); ++p) {
    EXPECT_FALSE(single.outputs[p].empty()) << "output " << p << " sent nothing";
    EXPECT_TRUE(same_bits(single.outputs[p], batches.outputs[p])) << "output " << p;
  }
  EXPECT_EQ(one->rule().reads, batch->rule().reads);
  EXPECT_EQ(one->rule().writes, batch->rule().writes);
  EXPECT_EQ(one->rule().done, batch->rule().done);
}

TEST(SteadyFirings, LibraryUnitsKeepTheirPromisesAndBatchBitForBit) {
  const std::vector<Case> cases = {
      {"map", Params().set("op", "scale").set("factor", 0.37)},
      {"map", Params().set("op", "exp").set("width", 3)},
      {"map", Params().set("op", "div").set("width", 4).set("b_scalar", true)},
      {"map", Params().set("op", "max").set("width", 2)},
      {"dot", Params().set("width", 8)},
      {"dot", Params().set("width", 13)},
      {"dot", Params().set("width", 8), true},
      {"broadcast", Params().set("outputs", 2).set("width", 2)},
      {"broadcast", Params().set("outputs", 3).set("width", 9)},
      {"repeat", Params().set("count", 1)},
      {"repeat", Params().set("count", 37).set("width", 4)},
      {"repeat", Params().set("count", 37).set("width", 4), true},  // forwards references
      {"reduce", Params().set("op", "sum").set("group", 1).set("reset", 2)},
      {"reduce", Params().set("op", "max").set("group", 50)},
      {"reduce", Params().set("op", "sum").set("group", 50).set("reset", 3).set("width", 2)},
      {"zip", Params().set("width_a", 3).set("width_b", 1)},
      {"scan", Params().set("op", "max").set("group", 30).set("width", 2)},
      {"shift", Params().set("group", 25).set("width", 2)},
      {"pack", Params().set("width", 1)},
      {"pack", Params().set("width", 16)},
      {"flatmap", Params().set("op", "div_last").set("width", 9)},
      {"flatmap", Params().set("op", "unpack").set("width", 1)},
      {"source", Params().set("kind", "ramp").set("count", 700).set("repeat", 3)},
      {"source", Params().set("kind", "random").set("count", 500).set("width", 3)},
  };
  for (const Case& c : cases) check_batching(c, 3000);
}

TEST(SteadyFirings, SdpaUnitsKeepTheirPromisesAndBatchBitForBit) {
  Params source;
  source.set("N", 9).set("D", 8).set("heads", 2).set("seed", 3).set("score_scale", 1.0);
  const std::vector<Case> cases = {
      {"sdpa_source",
       Params(source).set("tensor", "k").set("order", "per_query").set("width", "vector")},
      {"sdpa_source",
       Params(source).set("tensor", "q").set("order", "once").set("width", "vector")},
      {"sdpa_source",
       Params(source).set("tensor", "v").set("order", "per_query").set("width", "scalar")},
      {"softmax_scan", Params().set("N", 40)},
      {"rescale_fold", Params().set("N", 60).set("D", 0)},
      {"rescale_fold", Params().set("N", 60).set("D", 8)},
      {"rescale_fold", Params().set("N", 60).set("D", 8), true},
      {"rescale_fold", Params().set("N", 1).set("D", 3)},
      {"rescale_fold", Params().set("N", 30).set("D", 5).set("corrected", false)},
  };
  for (const Case& c : cases) check_batching(c, 3000);
}

// A sink has no outputs to compare: its kept values, sum, count and end instead.
TEST(SteadyFirings, SinkKeepsItsPromiseAndBatchesBitForBit) {
  const Params p = Params().set("width", 2).set("count", 900).set("keep", 5000);
  std::unique_ptr<Unit> one = make_unit("sink", "one", p);
  std::unique_ptr<Unit> batch = make_unit("sink", "batch", p);
  const Record single = fire_one_by_one(*one, 2000, false);
  std::mt19937 rng(11);
  std::uint64_t batched = 0;
  fire_in_batches(*batch, 2000, false, single, rng, batched);
  const auto& a = dynamic_cast<const units::SinkUnit&>(*one);
  const auto& b = dynamic_cast<const units::SinkUnit&>(*batch);
  EXPECT_EQ(a.count(), 900u);
  EXPECT_EQ(b.count(), 900u);
  EXPECT_TRUE(b.rule().done);
  EXPECT_TRUE(same_bits(a.values(), b.values()));
  EXPECT_EQ(a.sum(), b.sum());
  EXPECT_GT(batched, 900u / 4);
}

// The contract's other side: a unit that promises nothing runs one firing at a time, and the
// default fire_batch is exactly fire() per firing.
TEST(SteadyFirings, TheDefaultFireBatchIsFirePerFiring) {
  // zip keeps the default fire_batch, which must equal fire() per firing.
  std::unique_ptr<Unit> one = make_unit("zip", "one", Params().set("width_a", 2).set("width_b", 1));
  std::unique_ptr<Unit> batch =
      make_unit("zip", "batch", Params().set("width_a", 2).set("width_b", 1));
  const Record single = fire_one_by_one(*one, 50, false);
  Record r;
  r.outputs.resize(1);
  Inputs inputs(*batch, false);
  std::vector<double> a(2 * 50), b(50), out(3 * 50);
  for (int i = 0; i < 50; ++i) {
    inputs.next(0, a.data() + 2 * i);
    inputs.next(1, b.data() + i);
  }
  BatchIO io;
  io.in_by_reference = 0;
  io.in[0] = a.data();
  io.in_stride[0] = 2;
  io.in[1] = b.data();
  io.in_stride[1] = 1;
  io.out[0] = out.data();
  io.out_stride[0] = 3;
  batch->fire_batch(io, 50);
  EXPECT_TRUE(same_bits(single.outputs[0], out));
}

}  // namespace
}  // namespace streamsim
