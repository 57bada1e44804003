//! Sixteen bytes at a time with WebAssembly `simd128` (Chrome 91+, Firefox
//! 89+; the wasm build enables it, see `.cargo/config.toml`). Only compiled
//! where it is enabled; elsewhere (and natively) the scanners keep their
//! eight-byte words (`cnid::next_stop`). No `unsafe` (the workspace forbids
//! it): the sixteen bytes go into the vector as two words, and the wasm
//! intrinsics used are safe functions. (x86-64's SSE2 intrinsics are not
//! callable without `unsafe` from code that does not name the feature, so
//! the native build has no vector path.)

use crate::cnid::Stops;

/// Bit `i` set when byte `i` of `sixteen` (exactly 16 bytes) is one that
/// `stops` names. Exact for every byte (unlike the eight-byte words, whose
/// masks are exact up to the first hit only).
#[inline(always)]
pub(crate) fn stops16(sixteen: &[u8], stops: Stops) -> u32 {
    use core::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, u8x16_sub, v128_or};
    let lo = crate::load_u64(&sixteen[..8]);
    let hi = crate::load_u64(&sixteen[8..16]);
    let x = u64x2(lo, hi);
    let eq = |b: u8| u8x16_eq(x, u8x16_splat(b));
    let digits = || u8x16_lt(u8x16_sub(x, u8x16_splat(b'0')), u8x16_splat(10));
    let m = match stops {
        Stops::AtSign => eq(b'@'),
        Stops::Newline => eq(b'\n'),
        Stops::Digits => v128_or(digits(), eq(0xEF)),
        Stops::DigitsOrAt => v128_or(v128_or(v128_or(digits(), eq(0xEF)), v128_or(eq(b'@'), eq(b')'))), v128_or(eq(b']'), eq(b'}'))),
    };
    u32::from(u8x16_bitmask(m))
}
