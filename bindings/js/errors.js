// The JS half of the error channel of bindings/common.hpp (issue 12), applied to every module that
// loader.js instantiates (page and Worker alike): wrapModule(M) wraps each Embind function, class
// constructor, static function and method so that
// - a C++ error, which guarded() reported and turned into an ordinary return, is thrown here, after the
//   call returned: no JS exception unwinds through wasm frames, so the stack pointer comes back and
//   Embind frees its argument buffers (std::string, value_object) on every path;
// - string and struct arguments are checked to fit in the wasm heap before Embind copies them in (it
//   writes through a null pointer when malloc fails): RangeError "<fn>: out of memory …" instead;
// - a JS exception that still escapes from inside wasm (a trap, an engine error raised by val code, a C++
//   exception outside guarded()) restores the stack pointer before it propagates;
// - a method of a deleted object, or a deleted object as an argument, is a TypeError naming the public
//   method, not Embind's BindingError; delete() twice is harmless.
// - every object a constructor or a static function (class_function) returns is registered with a
//   FinalizationRegistry that frees its C++ object if it is dropped without delete(): Embind 3.1.6
//   registers only smart-pointer handles, and our classes are raw pointers. delete() (what dispose() and
//   [Symbol.dispose] call) stays the fast path and unregisters it.
// No maths here.

const KIND = { 1: RangeError, 2: TypeError, 3: Error, 4: RangeError };
const OUT_OF_MEMORY = 4;
const HEAP_LIMIT = 2 ** 31; // -sMAXIMUM_MEMORY (CMakeLists.txt): what a wasm32 heap can hold at most
const oomMessage = (fn) => `${fn}: out of memory (the WebAssembly heap is limited to 2 GiB)`;

let lastWrapped = null;

/**
 * The public function that called `wrapper` (V8 stack frames; e.g. "jacobian", "JiebaSegmenter.cut"),
 * or `fallback` (the Embind name) where the engine gives no such frame. Used on error paths only.
 */
function callerName(wrapper, fallback) {
  if (typeof Error.captureStackTrace !== 'function') return fallback;
  const holder = {};
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(holder, wrapper);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frame = String(holder.stack ?? '').split('\n')[1] ?? '';
  const m = /^\s*at (?:new |async )?(.+?) (?:\[as [^\]]+\] )?\(/.exec(frame);
  if (!m) return fallback;
  const name = m[1].replace(/^Object\./, '').replace(/\.(?:get|set) /, '.').replace(/^(?:get|set) /, '');
  return /^[\w$#.]+$/.test(name) ? name : fallback;
}

const isHandle = (a) => a !== null && typeof a === 'object' && typeof a.$$ === 'object';

/** Bytes Embind will malloc to pass `a` (a string, or a plain object for a value_object); 0 if none. */
function argumentBytes(a) {
  if (typeof a === 'string') return stringBytes(a);
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.prototype && proto !== null) return 0;
  let n = 256; // the struct itself; its string fields are copied as strings
  for (const k in a) if (typeof a[k] === 'string') n += stringBytes(a[k]);
  return n;
}

// Embind's UTF-8 buffer (≤ 3 bytes per UTF-16 unit, its length, a NUL), then the std::string the C++
// signature copies it into: twice.
const stringBytes = (s) => 2 * (3 * s.length + 5);

/** Installs the wrappers on M (once) and returns it; loader.js calls it on every new instance. */
export function wrapModule(M) {
  if (M.__pwWrapped) return M;
  let pending = 0;
  let pendingMessage = '';
  // called by guarded() (bindings/common.cpp) inside the failing call
  M.__pwRaise = (kind, message) => {
    if (pending === 0) {
      pending = kind;
      pendingMessage = message;
    }
  };
  const stackSave = M.stackSave;
  const stackRestore = M.stackRestore;
  const BindingError = M.BindingError;

  // The safety net for objects dropped without delete(): frees the C++ object by its pointer. The held
  // value is Embind's record ($$: pointer, type, count), which does not reference the handle.
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(($$) => {
      if ($$.ptr && $$.count.value === 1) {
        $$.count.value = 0;
        $$.ptrType.registeredClass.rawDestructor($$.ptr);
        $$.ptr = undefined;
      }
    })
    : null;
  const own = (r) => {
    if (registry && isHandle(r) && r.$$.ptr && !r.$$.smartPtr) registry.register(r, r.$$, r);
    return r;
  };

  function takeError(wrapper, name) {
    const kind = pending;
    pending = 0;
    if (kind === OUT_OF_MEMORY) return new RangeError(oomMessage(callerName(wrapper, name)));
    return new (KIND[kind] ?? Error)(pendingMessage);
  }

  function disposedError(wrapper, name, what) {
    return new TypeError(`${callerName(wrapper, name)}: ${what} was disposed (dispose() was called on it)`);
  }

  /** What escaped from inside wasm, as the error the user should see. */
  function escaped(e, wrapper, name) {
    if (BindingError && e instanceof BindingError) return new TypeError(`${callerName(wrapper, name)}: ${e.message}`);
    if (e instanceof Error) return e;
    // a C++ exception outside guarded() (WebAssembly.Exception) or a bare pointer
    return new Error(`${callerName(wrapper, name)}: unexpected C++ exception (outside guarded())`);
  }

  /** Checks the arguments before Embind converts any of them. */
  function checkArguments(args, wrapper, name) {
    let bytes = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === 'string') bytes += stringBytes(a);
      else if (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) && !Array.isArray(a)) {
        if (isHandle(a)) {
          if (!a.$$.ptr) throw disposedError(wrapper, name, `argument ${i + 1}`);
        } else {
          bytes += argumentBytes(a);
        }
      }
    }
    if (bytes > 0) {
      // malloc's answer now is its answer when Embind asks for the same bytes right after
      const p = bytes < HEAP_LIMIT ? M._malloc(bytes) : 0;
      if (p === 0) throw new RangeError(oomMessage(callerName(wrapper, name)));
      M._free(p);
    }
  }

  function wrapCall(f, name, isMethod, owns = false) {
    const wrapper = function (...args) {
      if (isMethod && !(isHandle(this) && this.$$.ptr)) throw disposedError(wrapper, name, 'the object');
      checkArguments(args, wrapper, name);
      pending = 0;
      const sp = stackSave();
      let r;
      try {
        r = f.apply(this, args);
      } catch (e) {
        stackRestore(sp);
        pending = 0;
        throw escaped(e, wrapper, name);
      }
      if (pending !== 0) throw takeError(wrapper, name);
      return owns ? own(r) : r;
    };
    Object.defineProperty(wrapper, 'name', { value: f.name || name });
    if (f.argCount !== undefined) wrapper.argCount = f.argCount;
    return wrapper;
  }

  function wrapClass(Class, name) {
    const construct = function (...args) {
      if (new.target === undefined) throw new TypeError(`${name}: use new`);
      checkArguments(args, construct, name);
      pending = 0;
      const sp = stackSave();
      let r;
      try {
        r = Reflect.construct(Class, args, Class);
      } catch (e) {
        stackRestore(sp);
        pending = 0;
        throw escaped(e, construct, name);
      }
      if (pending !== 0) throw takeError(construct, name);
      return own(r);
    };
    Object.defineProperty(construct, 'name', { value: Class.name || name });
    construct.prototype = Class.prototype;
    for (const key of Object.getOwnPropertyNames(Class)) {
      const v = Class[key];
      if (typeof v === 'function' && isEmbind(v)) construct[key] = wrapCall(v, `${name}.${key}`, false, true);
    }
    const proto = Class.prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor') continue;
      const v = Object.getOwnPropertyDescriptor(proto, key).value;
      if (typeof v === 'function' && isEmbind(v)) proto[key] = wrapCall(v, `${name}.${key}`, true);
    }
    return construct;
  }

  const isEmbind = (v) => v.argCount !== undefined || v.overloadTable !== undefined || v.numArguments !== undefined;
  const isClass = (v) => typeof v === 'function' && v.prototype && typeof v.prototype.isAliasOf === 'function';

  let handleProto = null;
  for (const key of Object.keys(M)) {
    const v = M[key];
    if (key.startsWith('__pw') || typeof v !== 'function') continue;
    if (isClass(v)) {
      M[key] = wrapClass(v, key);
      handleProto ??= rootPrototype(v.prototype);
    } else if (isEmbind(v)) {
      M[key] = wrapCall(v, key, false);
    }
  }
  // delete() twice is harmless (Embind throws "already deleted"); delete() unregisters the safety net.
  if (handleProto && typeof handleProto.delete === 'function') {
    const del = handleProto.delete;
    handleProto.delete = function () {
      if (!(isHandle(this) && this.$$.ptr)) return;
      registry?.unregister(this);
      del.call(this);
    };
  }
  Object.defineProperty(M, '__pwWrapped', { value: true });
  lastWrapped = new WeakRef(M);
  return M;
}

/** Embind's ClassHandle.prototype: the last prototype before Object.prototype. */
function rootPrototype(p) {
  while (Object.getPrototypeOf(p) && Object.getPrototypeOf(p) !== Object.prototype) p = Object.getPrototypeOf(p);
  return p;
}

/**
 * For tests and diagnostics (not part of the public API): the module most recently wrapped, and its
 * probes. `stackPointer` is the wasm stack pointer inside a call (unchanged unless a call leaked stack),
 * `heapInUse` the bytes malloc has handed out and not had back.
 */
export const debug = {
  lastModule: () => lastWrapped?.deref(),
  stackPointer: (M) => M.__pwStackPointer(),
  heapInUse: (M) => M.__pwHeapInUse(),
};
