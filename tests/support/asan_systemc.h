#pragma once
// Under AddressSanitizer (scripts/test-asan), an exception thrown in a process where SystemC's
// kernel has switched stacks (its thread processes run on their own coroutine stacks, which
// ASan is not told about) makes GCC 12's ASan runtime report a bogus stack-use-after-scope or
// stack-buffer-overflow inside its own sigaltstack interceptor (__asan_handle_no_return ->
// PlatformUnpoisonStacks): stale shadow left by frames abandoned at a stack switch. The report
// is in ASan's own frame, not in streamsim code. Tests that throw after a systemc-engine run
// skip themselves there, with this reason; everything else runs under ASan.
#include <string>

namespace streamsim::testing {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsanWithSystemCStacks = true;
#else
constexpr bool kAsanWithSystemCStacks = false;
#endif

inline const char* asan_systemc_skip_reason() {
  return "ASan false positive: exception after SystemC coroutine stack switches (see "
         "tests/support/asan_systemc.h)";
}

}  // namespace streamsim::testing
