// The module-wide half of bindings/common.hpp, linked once into every module: the error channel to
// bindings/js/errors.js, and two probes its tests read (stack pointer, heap in use). No maths here.
#include "common.hpp"

#include <emscripten/stack.h>
#include <malloc.h>

namespace {
// Module.__pwRaise(kind, message) is installed by errors.js; it records the error that the wrapper of
// the Embind function throws once the call has returned. Returns 0 when it is missing (a raw module).
EM_JS(int, pw_report_error_js, (int kind, const char* message), {
  const raise = Module['__pwRaise'];
  if (typeof raise !== 'function') return 0;
  raise(kind, UTF8ToString(message));
  return 1;
});
EM_JS(void, pw_throw_error_js, (int kind, const char* message), {
  const Kind = kind === 2 ? TypeError : kind === 1 || kind === 4 ? RangeError : Error;
  throw new Kind(UTF8ToString(message));
});

// Where the stack pointer is inside a binding called from JS: unchanged across calls unless a call
// leaked stack (errors.test.mjs compares it before and after 1e5 failing calls).
double stack_pointer() { return static_cast<double>(emscripten_stack_get_current()); }
// Bytes the allocator has handed out and not had back (dlmalloc's mallinfo().uordblks).
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }
}  // namespace

namespace probwasm::bind {
bool report_error(ErrorKind kind, const char* message) noexcept {
  return pw_report_error_js(static_cast<int>(kind), message) != 0;
}
void throw_js(ErrorKind kind, const char* message) {
  pw_throw_error_js(static_cast<int>(kind), message);
  __builtin_unreachable();
}
}  // namespace probwasm::bind

EMSCRIPTEN_BINDINGS(probwasm_common) {
  emscripten::function("__pwStackPointer", &stack_pointer);
  emscripten::function("__pwHeapInUse", &heap_in_use);
}
