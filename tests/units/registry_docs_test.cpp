// Every unit type of the library is registered and documented: doc string, port docs, and for
// every parameter a doc line; every type takes ii and latency.
#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

const std::vector<std::string> kLibrary = {"source", "sink",   "map",     "zip",    "broadcast",
                                           "repeat", "pack",   "flatmap", "unpack", "reduce",
                                           "scan",   "matmul", "dot"};

TEST(UnitLibrary, EveryTypeIsRegisteredAndDocumented) {
  for (const auto& type : kLibrary) {
    SCOPED_TRACE(type);
    const UnitTypeInfo* info = UnitRegistry::instance().find(type);
    ASSERT_NE(info, nullptr);
    EXPECT_GT(info->doc.size(), 40u);
    EXPECT_FALSE(info->inputs.empty() && info->outputs.empty());
    for (const auto& port : info->inputs) EXPECT_FALSE(port.doc.empty()) << port.name;
    for (const auto& port : info->outputs) EXPECT_FALSE(port.doc.empty()) << port.name;
    bool ii = false, latency = false;
    for (const auto& spec : info->schema.specs()) {
      EXPECT_FALSE(spec.doc.empty()) << spec.name;
      ii = ii || spec.name == "ii";
      latency = latency || spec.name == "latency";
    }
    EXPECT_TRUE(ii);
    EXPECT_TRUE(latency);
  }
}

TEST(UnitLibrary, UnknownParameterIsNamedWithASuggestion) {
  EXPECT_TRUE(test::mentions(test::build_error("reduce", Params().set("group", 2).set("grop", 3)),
                             "unknown parameter 'grop'; did you mean 'group'?"));
}

}  // namespace
}  // namespace streamsim::units
