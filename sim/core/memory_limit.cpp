#include "sim/core/memory_limit.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "sim/core/error.h"

namespace streamsim {

namespace {

struct Limit {
  std::uint64_t bytes = 0;
  std::string source;
};

std::uint64_t half_of_physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::uint64_t{8} << 30;  // unknown: 8 GiB
  return static_cast<std::uint64_t>(pages) / 2 * static_cast<std::uint64_t>(page);
}

// Set by set_memory_limit (--memory-limit); wins over the environment, which is then not read.
std::optional<Limit>& given() {
  static std::optional<Limit> limit;
  return limit;
}

const Limit& current() {
  if (given()) return *given();
  static const Limit limit = [] {
    Limit l;
    if (const char* env = std::getenv("STREAMSIM_MEMORY_LIMIT"); env && *env) {
      l.bytes = parse_byte_size(env, "STREAMSIM_MEMORY_LIMIT");
      l.source = "STREAMSIM_MEMORY_LIMIT";
    } else {
      l.bytes = half_of_physical_memory();
      l.source = "50% of physical memory";
    }
    return l;
  }();
  return limit;
}

}  // namespace

std::uint64_t memory_limit() {
  return current().bytes;
}
std::string memory_limit_source() {
  return current().source;
}

void set_memory_limit(std::uint64_t bytes, const std::string& source) {
  given() = Limit{bytes, source};
}

std::uint64_t parse_byte_size(const std::string& text, const std::string& what) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  std::string suffix(end);
  if (!suffix.empty() && (suffix.back() == 'B' || suffix.back() == 'b')) suffix.pop_back();
  if (suffix.size() == 2 && (suffix[1] == 'i' || suffix[1] == 'I')) suffix.pop_back();
  double scale = -1;
  if (suffix.empty())
    scale = 1;
  else if (suffix == "k" || suffix == "K")
    scale = 1024.0;
  else if (suffix == "m" || suffix == "M")
    scale = 1024.0 * 1024;
  else if (suffix == "g" || suffix == "G")
    scale = 1024.0 * 1024 * 1024;
  else if (suffix == "t" || suffix == "T")
    scale = 1024.0 * 1024 * 1024 * 1024;
  const double bytes = number * scale;
  if (end == begin || scale < 0 || !std::isfinite(bytes) || bytes < 1 || bytes >= 1.8e19)
    throw Error(what + ": '" + text +
                "' is not a memory size; write bytes or a number with K, M, G or T (powers of "
                "1024), e.g. 8G");
  return static_cast<std::uint64_t>(bytes);
}

std::string describe_bytes(std::uint64_t bytes) {
  static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 6) {
    v /= 1024;
    ++u;
  }
  if (u == 0) return std::to_string(bytes) + " bytes";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %s (%llu bytes)", v, units[u],
                static_cast<unsigned long long>(bytes));
  return buf;
}

void check_allocation(std::uint64_t bytes, const std::string& what) {
  const std::uint64_t limit = memory_limit();
  if (bytes <= limit) return;
  throw Error(what + " needs " + describe_bytes(bytes) + ", above the memory limit of " +
              describe_bytes(limit) + " (" + memory_limit_source() +
              "); make it smaller, or raise the limit with --memory-limit SIZE or "
              "STREAMSIM_MEMORY_LIMIT=SIZE (e.g. 64G)");
}

}  // namespace streamsim
