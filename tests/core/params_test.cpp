#include "sim/core/params.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"

namespace streamsim {
namespace {

ParamSchema schema() {
  ParamSpec depth{"depth", ParamType::Int, "2", "FIFO depth"};
  depth.min = 1;
  ParamSpec op{"op", ParamType::String, std::nullopt, "operation"};
  op.choices = {"add", "mul", "exp"};
  ParamSpec scale{"scale", ParamType::Double, "1.5", "factor"};
  ParamSpec values{"values", ParamType::DoubleList, "", "list"};
  return ParamSchema({depth, op, scale, values});
}

RawParam text(const std::string& t, int line = 3) { return RawParam{t, {}, false, SourceLoc{"f.yaml", line, 5}}; }

std::string error_of(const RawParams& raw) {
  try {
    schema().validate(raw, "unit 'u' (type t)", SourceLoc{"f.yaml", 1, 1});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ParamSchema, FillsDefaultsAndParsesTypes) {
  Params p = schema().validate({{"op", text("mul")}, {"depth", text("8")}}, "u", {});
  EXPECT_EQ(p.get_int("depth"), 8);
  EXPECT_EQ(p.get_string("op"), "mul");
  EXPECT_DOUBLE_EQ(p.get_double("scale"), 1.5);
  EXPECT_TRUE(p.get_list("values").empty());
}

TEST(ParamSchema, UnknownKeySuggestsNearestName) {
  std::string e = error_of({{"op", text("add")}, {"dpeth", text("4", 7)}});
  EXPECT_NE(e.find("f.yaml:7:5"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown parameter 'dpeth'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'depth'"), std::string::npos) << e;
}

TEST(ParamSchema, MissingRequiredNamesIt) {
  EXPECT_NE(error_of({}).find("missing required parameter 'op'"), std::string::npos);
}

TEST(ParamSchema, RangeTypeAndChoiceErrors) {
  EXPECT_NE(error_of({{"op", text("add")}, {"depth", text("0")}}).find("out of range"), std::string::npos);
  EXPECT_NE(error_of({{"op", text("add")}, {"depth", text("2.5")}}).find("must be an integer"), std::string::npos);
  std::string e = error_of({{"op", text("ad")}});
  EXPECT_NE(e.find("did you mean 'add'"), std::string::npos) << e;
}

TEST(ParamSchema, CompleteRevalidatesTypedParams) {
  Params given;
  given.set("op", "exp").set("depth", 3);
  Params p = schema().complete(given, "u");
  EXPECT_EQ(p.get_int("depth"), 3);
  given.set("depth", 0);
  EXPECT_THROW(schema().complete(given, "u"), Error);
}

}  // namespace
}  // namespace streamsim
