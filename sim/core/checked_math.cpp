#include "sim/core/checked_math.h"

#include <limits>

#include "sim/core/error.h"

namespace streamsim {

namespace {

template <typename T>
[[noreturn]] void overflow(T a, T b, const char* op, const std::string& what) {
  throw Error(what + " overflows: " + std::to_string(a) + " " + op + " " + std::to_string(b) +
              " is above " + std::to_string(std::numeric_limits<T>::max()) +
              "; use smaller values");
}

}  // namespace

std::int64_t add_or_throw(std::int64_t a, std::int64_t b, const std::string& what) {
  if (auto r = checked_add(a, b)) return *r;
  overflow(a, b, "+", what);
}
std::int64_t mul_or_throw(std::int64_t a, std::int64_t b, const std::string& what) {
  if (auto r = checked_mul(a, b)) return *r;
  overflow(a, b, "x", what);
}
std::uint64_t add_or_throw(std::uint64_t a, std::uint64_t b, const std::string& what) {
  if (auto r = checked_add(a, b)) return *r;
  overflow(a, b, "+", what);
}
std::uint64_t mul_or_throw(std::uint64_t a, std::uint64_t b, const std::string& what) {
  if (auto r = checked_mul(a, b)) return *r;
  overflow(a, b, "x", what);
}

std::string describe_limit(std::uint64_t value) {
  if (value != 0 && (value & (value - 1)) == 0)
    return std::to_string(value) + " (2^" + std::to_string(__builtin_ctzll(value)) + ")";
  return std::to_string(value);
}

}  // namespace streamsim
