// A catalogue of broken architecture files: every one must fail with a one-line error that
// starts with file:line:column and names the key, with a "did you mean" where one fits.
#include <gtest/gtest.h>

#include "sim/config/loader.h"
#include "sim/core/error.h"
#include "tests/support/config_test_units.h"

namespace streamsim {
namespace {

struct BrokenInput {
  const char* name;
  const char* yaml;
  std::vector<ParamOverride> sets;
  const char* where;                  // expected "t.yaml:LINE:COL" prefix
  std::vector<const char*> mentions;  // substrings the message must contain
};

// A valid base: line numbers below count from the first line of each text.
const std::vector<BrokenInput> kCatalogue = {
    {"misspelt top-level key",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "chanels:\n  - {from: s, to: o}\n",
     {},
     "t.yaml:4:1",
     {"unknown key 'chanels'", "did you mean 'channels'?", "valid keys:"}},
    {"misspelt unit key",
     "units:\n  - {name: s, tpye: t_source}\n",
     {},
     "t.yaml:2:15",
     {"unknown key 'tpye'", "did you mean 'type'?"}},
    {"misspelt channel key",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "channels:\n  - {from: s, to: o, dpeth: 4}\n",
     {},
     "t.yaml:5:22",
     {"channel: unknown key 'dpeth'", "did you mean 'depth'?"}},
    {"misspelt defaults key",
     "defaults: {latnecy: 2}\nunits:\n  - {name: s, type: t_source, params: {count: 1}}\n",
     {},
     "t.yaml:1:12",
     {"unknown key 'latnecy'", "did you mean 'latency'?"}},
    {"unknown unit type",
     "units:\n  - name: s\n    type: t_sorce\n",
     {},
     "t.yaml:3:11",
     {"unknown unit type 't_sorce'", "did you mean 't_source'?"}},
    {"misspelt parameter name",
     "units:\n  - name: s\n    type: t_source\n    params:\n      cuont: 5\n",
     {},
     "t.yaml:5:7",
     {"unit 's' (type t_source)", "unknown parameter 'cuont'", "did you mean 'count'?"}},
    {"missing required parameter",
     "units:\n  - {name: s, type: t_source}\n",
     {},
     "t.yaml:2:5",
     {"unit 's' (type t_source)", "missing required parameter 'count'"}},
    {"parameter out of range",
     "units:\n  - {name: s, type: t_source, params: {count: -3}}\n",
     {},
     "t.yaml:2:40",
     {"parameter 'count'", "out of range", ">= 0"}},
    {"bad choice",
     "units:\n  - {name: m, type: t_map, params: {op: sqare}}\n",
     {},
     "t.yaml:2:37",
     {"unknown value 'sqare'", "did you mean 'square'?"}},
    {"unknown unit in a channel",
     "units:\n  - {name: src, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "channels:\n  - from: srcc.out\n    to: o\n",
     {},
     "t.yaml:5:11",
     {"no unit named 'srcc'", "did you mean 'src'?"}},
    {"unknown port",
     "units:\n  - {name: src, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "channels:\n  - from: src\n    to: o.inn\n",
     {},
     "t.yaml:6:9",
     {"has no input port 'inn'", "did you mean 'in'?"}},
    {"dangling port",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: m, type: t_map}\n"
     "  - {name: o, type: t_sink}\nchannels:\n  - {from: s, to: m}\n",
     {},
     "t.yaml:3:5",
     {"output port 'm.out' is not connected"}},
    {"depth 0",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "channels:\n  - {from: s, to: o, depth: 0}\n",
     {},
     "t.yaml:5:29",
     {"depth is 0", "must be >= 1"}},
    {"negative latency",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "channels:\n  - {from: s, to: o, latency: -1}\n",
     {},
     "t.yaml:5:31",
     {"latency is -1", "must be >= 1"}},
    {"fractional depth",
     "params: {n: 3}\nunits:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: o, "
     "type: t_sink}\n"
     "channels:\n  - {from: s, to: o, depth: \"${n / 2}\"}\n",
     {},
     "t.yaml:6:29",
     {"depth must be an integer, got '1.5'"}},
    {"width mismatch",
     "units:\n  - {name: s, type: t_source, params: {count: 1, width: 4}}\n  - {name: o, type: "
     "t_sink}\n"
     "channels:\n  - {from: s, to: o}\n",
     {},
     "t.yaml:5:5",
     {"token width mismatch", "sends width 4", "takes width 1"}},
    {"cycle without initial tokens",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: j, type: t_join}\n"
     "  - {name: m, type: t_map}\n  - {name: b, type: t_map}\n"
     "channels:\n  - {from: s, to: j.a}\n  - {from: j, to: m}\n  - {from: m, to: b}\n  - {from: b, "
     "to: j.b}\n",
     {},
     "t.yaml:10:5",
     {"cycle without initial tokens", "j -> m -> b -> j", "initial:"}},
    {"duplicate unit name",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: s, type: t_sink}\n",
     {},
     "t.yaml:3:5",
     {"duplicate unit name 's'"}},
    {"duplicate key",
     "units:\n  - {name: s, type: t_source, name: t}\n",
     {},
     "t.yaml:2:31",
     {"key 'name' is given twice"}},
    {"unknown --set name",
     "params:\n  seq_len: 4\nunits:\n  - {name: s, type: t_source, params: {count: "
     "\"${seq_len}\"}}\n",
     {{"seqlen", "8"}},
     "t.yaml:1:1",
     {"--set seqlen=8", "no parameter 'seqlen'", "did you mean 'seq_len'?"}},
    {"unknown name in an expression",
     "params:\n  seq_len: 4\nunits:\n  - name: s\n    type: t_source\n    params: {count: "
     "\"${seqlen * 2}\"}\n",
     {},
     "t.yaml:6:24",
     {"unknown parameter 'seqlen'", "did you mean 'seq_len'?", "${seqlen * 2}"}},
    {"param refers to a later param",
     "params:\n  a: ${b + 1}\n  b: 2\nunits:\n  - {name: s, type: t_source, params: {count: 1}}\n",
     {},
     "t.yaml:2:8",
     {"parameter 'a'", "unknown parameter 'b'", "no parameters are declared before this point"}},
    {"malformed YAML",
     "units:\n  - {name: s, type: t_source\n  - {name: o}\n",
     {},
     "t.yaml:3:5",
     {"malformed YAML"}},
    {"bad indentation",
     "units:\n  - name: s\n   type: t_source\n",
     {},
     "t.yaml:3:",
     {"malformed YAML"}},
    {"empty file", "", {}, "t.yaml:1:1", {"the file is empty", "units:"}},
    {"bytes that are not UTF-8",
     "units:\n  - {name: s\x93, type: t_source}\n",
     {},
     "t.yaml:2:13",
     {"byte 0x93 is not UTF-8 text"}},
    {"overlong UTF-8 encoding",
     "units: []\n# \xC0\xAF\n",
     {},
     "t.yaml:2:3",
     {"byte 0xC0 is not UTF-8 text"}},
    {"comments only", "# nothing here\n", {}, "t.yaml:1:1", {"the file is empty"}},
    {"top level is a list",
     "- a\n- b\n",
     {},
     "t.yaml:1:1",
     {"top level", "must be a map", "a list"}},
    {"units is a map",
     "units:\n  s: {type: t_source}\n",
     {},
     "t.yaml:2:3",
     {"`units` must be a list, but it is a map"}},
    {"channels is a scalar",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\nchannels: none\n",
     {},
     "t.yaml:3:11",
     {"`channels` must be a list, but it is a scalar"}},
    {"unit params is a list",
     "units:\n  - {name: s, type: t_source, params: [1, 2]}\n",
     {},
     "t.yaml:2:39",
     {"unit 's': `params` must be a map, but it is a list"}},
    {"no units", "params: {a: 1}\n", {}, "t.yaml:1:1", {"no `units:`"}},
    {"unit without a name",
     "units:\n  - {type: t_sink}\n",
     {},
     "t.yaml:2:5",
     {"unit has no `name:`"}},
    {"unit name with a dot",
     "units:\n  - {name: a.b, type: t_sink}\n",
     {},
     "t.yaml:2:12",
     {"unit name 'a.b' is not valid"}},
    {"channel without to",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\nchannels:\n  - {from: s}\n",
     {},
     "t.yaml:4:5",
     {"channel has no `to:`"}},
    {"list given for a scalar parameter",
     "units:\n  - {name: s, type: t_source, params: {count: [1, 2]}}\n",
     {},
     "t.yaml:2:40",
     {"parameter 'count'", "not a list"}},
    {"initial value not a number",
     "units:\n  - {name: s, type: t_source, params: {count: 1}}\n  - {name: o, type: t_sink}\n"
     "channels:\n  - {from: s, to: o, initial: [x]}\n",
     {},
     "t.yaml:5:32",
     {"initial value 'x' is not a number"}},
};

std::string load_error(const BrokenInput& input) {
  testing::register_config_test_units();
  LoadOptions options;
  options.overrides = input.sets;
  try {
    load_config_string(input.yaml, "t.yaml", options);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigErrors, EveryBrokenInputIsNamedWithItsLocation) {
  for (const BrokenInput& input : kCatalogue) {
    SCOPED_TRACE(input.name);
    std::string msg = load_error(input);
    EXPECT_EQ(msg.rfind(input.where, 0), 0u) << "message: " << msg;
    for (const char* m : input.mentions)
      EXPECT_NE(msg.find(m), std::string::npos) << "message: " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
  }
}

TEST(ConfigErrors, MissingFileNamesThePath) {
  try {
    load_config_file("/nonexistent/dir/arch.yaml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/dir/arch.yaml: cannot read the architecture file: no such file (check "
              "the path)");
  }
}

}  // namespace
}  // namespace streamsim
