// docs/units.md documents every parameter of every unit type: each type has a section whose
// heading names it, and each of its parameters appears in that section as `name`.
#include <fstream>
#include <sstream>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

std::string read_doc() {
  std::ifstream in(std::string(STREAMSIM_SOURCE_DIR) + "/docs/units.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The text from the "## " heading that names `type` to the next "## " heading.
std::string section_of(const std::string& doc, const std::string& type) {
  std::size_t pos = 0;
  while ((pos = doc.find("\n## ", pos)) != std::string::npos) {
    std::size_t eol = doc.find('\n', pos + 1);
    if (doc.substr(pos, eol - pos).find("`" + type + "`") != std::string::npos) {
      std::size_t next = doc.find("\n## ", eol);
      return doc.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    }
    pos = eol;
  }
  return "";
}

TEST(UnitLibraryDocs, EveryParameterOfEveryTypeIsDocumented) {
  const std::string doc = read_doc();
  ASSERT_FALSE(doc.empty());
  for (const char* type : {"source", "sink", "map", "zip", "broadcast", "repeat", "pack", "flatmap",
                           "unpack", "reduce", "scan", "shift", "replay", "matmul", "dot"}) {
    SCOPED_TRACE(type);
    std::string section = section_of(doc, type);
    ASSERT_FALSE(section.empty());
    EXPECT_TRUE(test::mentions(section, "```yaml"));
    for (const auto& spec : UnitRegistry::instance().get(type).schema.specs())
      EXPECT_TRUE(test::mentions(section, "`" + spec.name + "`"));
  }
}

}  // namespace
}  // namespace streamsim::units
