// Sweep point records that are torn, forged or hostile: the checks return why a record cannot
// be reused, and never throw (a type_error or a stack overflow once escaped them).
#include <gtest/gtest.h>

#include <string>

#include "sim/cli/sweep_record.h"
#include "sim/cli/sweep_sha256.h"

namespace streamsim::sweep {
namespace {

StudyPoint point() {
  StudyPoint p;
  p.id = "p1";
  p.config = "/nonexistent/arch.yaml";
  return p;
}
PointContext context() {
  PointContext c;
  c.engine = "fast";
  c.max_cycles = 10;
  return c;
}

// A record of the right format with a valid checksum over whatever `edit` made of it.
std::string sealed(void (*edit)(Json&)) {
  Json r = record_failed(point(), context(), Outcome::Error, "why");
  edit(r);
  return seal_record(r);
}

TEST(SweepRecordRobustness, AnIntactRecordPasses) {
  Json out;
  EXPECT_EQ(check_record(sealed([](Json&) {}), point(), context(), &out), "");
}

TEST(SweepRecordRobustness, DeepNestingIsRefusedBeforeSerialising) {
  const std::string deep = std::string(500000, '[') + std::string(500000, ']');
  Json out;
  EXPECT_EQ(check_record_integrity(deep, &out),
            "nested more than 64 levels deep (not a streamsim record)");
  EXPECT_EQ(check_record(deep, point(), context(), &out),
            "nested more than 64 levels deep (not a streamsim record)");
  EXPECT_EQ(check_record_integrity("", &out), "empty file");
  EXPECT_EQ(check_record_integrity("{\"format\":", &out), "not valid JSON (truncated or corrupt)");
}

TEST(SweepRecordRobustness, FieldsOfTheWrongTypeAreReasonsNotExceptions) {
  Json out;
  EXPECT_EQ(check_record(sealed([](Json& r) { r["id"] = 7; }), point(), context(), &out),
            "field 'id' is not a string");
  EXPECT_EQ(check_record(sealed([](Json& r) { r["status"] = nullptr; }), point(), context(), &out),
            "field 'status' is not a string");
  EXPECT_EQ(check_record(sealed([](Json& r) { r["parameters"] = 1; }), point(), context(), &out),
            "field 'parameters' is not an object");
  EXPECT_NE(check_record(sealed([](Json& r) { r["max_cycles"] = "ten"; }), point(), context(), &out)
                .find("malformed record"),
            std::string::npos);
  EXPECT_NE(check_record(sealed([](Json& r) { r["config"] = "x"; }), point(), context(), &out)
                .find("malformed record"),
            std::string::npos);
  EXPECT_NE(check_record_integrity(sealed([](Json& r) { r["format_version"] = "1"; }), &out)
                .find("malformed record"),
            std::string::npos);
  EXPECT_EQ(check_record_integrity("[1, 2]", &out), "not a streamsim sweep point record");
}

}  // namespace
}  // namespace streamsim::sweep
