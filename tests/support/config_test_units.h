#pragma once
// Registered unit types for loader and report tests that must not depend on the operator
// library: "t_source", "t_map", "t_join", "t_sink". Call register_config_test_units() first.
#include <memory>
#include <vector>

#include "sim/core/registry.h"

namespace streamsim::testing {

// Emits `count` tokens of `width` values: token k is (k, k, ...) or the `values` list in turn.
class TSource : public Unit {
 public:
  TSource(const std::string& name, const Params& p)
      : Unit(name, "t_source"), count_(p.get_int("count")), values_(p.get_list("values")) {
    width_ = static_cast<int>(p.get_int("width"));
    add_output("out", width_);
    rule_ = FiringRule{0, 1, count_ == 0};
  }
  void fire(FiringIO& io) override {
    double v = values_.empty() ? static_cast<double>(next_) : values_[next_ % values_.size()];
    for (int e = 0; e < width_; ++e) io.out[0][e] = v;
    rule_.done = ++next_ >= count_;
  }

 private:
  std::int64_t count_, next_ = 0;
  int width_ = 1;
  std::vector<double> values_;
};

// One input, one output: id or square, elementwise.
class TMap : public Unit {
 public:
  TMap(const std::string& name, const Params& p)
      : Unit(name, "t_map"), square_(p.get_string("op") == "square") {
    width_ = static_cast<int>(p.get_int("width"));
    add_input("in", width_);
    add_output("out", width_);
    set_timing(p.get_int("ii"), 1);
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override {
    for (int e = 0; e < width_; ++e)
      io.out[0][e] = square_ ? io.in[0][e] * io.in[0][e] : io.in[0][e];
  }

 private:
  bool square_;
  int width_ = 1;
};

// Two scalar inputs a and b, output a + b.
class TJoin : public Unit {
 public:
  TJoin(const std::string& name, const Params&) : Unit(name, "t_join") {
    add_input("a");
    add_input("b");
    add_output("out");
    rule_ = FiringRule{3, 1, false};
  }
  void fire(FiringIO& io) override { io.out[0][0] = io.in[0][0] + io.in[1][0]; }
};

// Collects the first value of every token.
class TSink : public Unit {
 public:
  TSink(const std::string& name, const Params& p) : Unit(name, "t_sink") {
    add_input("in", static_cast<int>(p.get_int("width")));
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override { values.push_back(io.in[0][0]); }
  std::vector<double> values;
};

inline ParamSpec test_int_param(const std::string& name, const char* def, double min,
                                double max = 1e300) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Int;
  if (def) s.default_value = def;
  s.min = min;
  s.max = max;
  s.doc = "test parameter " + name;
  return s;
}

inline void register_config_test_units() {
  static bool done = false;
  if (done) return;
  done = true;
  auto& r = UnitRegistry::instance();
  ParamSpec values;
  values.name = "values";
  values.type = ParamType::DoubleList;
  values.default_value = "";
  values.doc = "values to cycle through (empty: 0, 1, 2, ...)";
  r.add({"t_source",
         "test source",
         {},
         {{"out", "tokens"}},
         ParamSchema(
             {test_int_param("count", nullptr, 0), test_int_param("width", "1", 1, 64), values}),
         [](const std::string& n, const Params& p) { return std::make_unique<TSource>(n, p); }});
  ParamSpec op;
  op.name = "op";
  op.type = ParamType::String;
  op.default_value = "id";
  op.choices = {"id", "square"};
  op.doc = "operation";
  r.add({"t_map",
         "test map",
         {{"in", "tokens"}},
         {{"out", "tokens"}},
         ParamSchema({op, test_int_param("width", "1", 1, 64), test_int_param("ii", "1", 1)}),
         [](const std::string& n, const Params& p) { return std::make_unique<TMap>(n, p); }});
  r.add({"t_join",
         "test join",
         {{"a", ""}, {"b", ""}},
         {{"out", ""}},
         ParamSchema(),
         [](const std::string& n, const Params& p) { return std::make_unique<TJoin>(n, p); }});
  r.add({"t_sink",
         "test sink",
         {{"in", "tokens"}},
         {},
         ParamSchema({test_int_param("width", "1", 1, 64)}),
         [](const std::string& n, const Params& p) { return std::make_unique<TSink>(n, p); }});
}

}  // namespace streamsim::testing
