// BigNat (src/sector/bigint.hpp, the integers of the exact sector fraction) against Boost's cpp_int as
// the reference: a fuzzed program of +=, -=, *= u64, * (Karatsuba above its cutoff), divmod, pow,
// compare and str() on two registers, each result compared with the reference's.
#include <boost/multiprecision/cpp_int.hpp>
#include <stdexcept>
#include <vector>

#include "common.hpp"
#include "sector/bigint.hpp"

namespace sc = probwasm::sector;
using boost::multiprecision::cpp_int;

namespace {
cpp_int ref_of(const sc::BigNat& a) {
  cpp_int r = 0;
  const auto& l = a.limbs();
  for (std::size_t i = l.size(); i-- > 0;) r = (r << 64) | cpp_int(l[i]);
  return r;
}
void same(const sc::BigNat& a, const cpp_int& r) {
  FUZZ_CHECK(ref_of(a) == r);
  FUZZ_CHECK(a.limbs().empty() || a.limbs().back() != 0);  // no leading zero limb
}
sc::BigNat random_big(Bytes& in) {
  std::vector<std::uint64_t> limbs(in.u(1) % 48);  // up to 47 limbs: past the Karatsuba cutoff
  const std::uint64_t fill = in.u(8);
  for (std::size_t i = 0; i < limbs.size(); ++i) limbs[i] = (i % 3 == 0) ? in.u(8) : fill * (i + 1);
  return sc::BigNat::from_limbs(limbs);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  sc::BigNat a = random_big(in), b = random_big(in);
  cpp_int ra = ref_of(a), rb = ref_of(b);
  for (int step = 0; step < 16 && in.n > 0; ++step) {
    switch (in.u(1) % 9) {
      case 0: a += b; ra += rb; break;
      case 1: {
        if (compare(a, b) >= 0) {
          a -= b;
          ra -= rb;
        } else {
          bool threw = false;
          try { sc::BigNat c = a; c -= b; } catch (const std::logic_error&) { threw = true; }
          FUZZ_CHECK(threw);
        }
        break;
      }
      case 2: { const std::uint64_t m = in.u(8); a *= m; ra *= m; break; }
      case 3: { a = a * b; ra *= rb; break; }
      case 4: {
        const std::uint64_t d = in.u(8);
        if (d == 0) break;
        const std::uint64_t r = a.divmod(d);
        FUZZ_CHECK(cpp_int(r) == ra % d);
        ra /= d;
        break;
      }
      case 5: {
        const std::uint64_t base = in.u(8), e = in.u(1) % 40;
        a = sc::pow(base, e);
        ra = boost::multiprecision::pow(cpp_int(base), static_cast<unsigned>(e));
        break;
      }
      case 6: { const int c = compare(a, b); FUZZ_CHECK(c == (ra < rb ? -1 : ra > rb ? 1 : 0)); break; }
      case 7: FUZZ_CHECK(a.str() == ra.str()); break;
      case 8: std::swap(a, b); std::swap(ra, rb); break;
    }
    same(a, ra);
    same(b, rb);
    if (a.limbs().size() > 400) break;  // keep each input fast
  }
  FUZZ_CHECK(b.str() == rb.str());
  return 0;
}
