//! The scanners that read every byte of a page: phone numbers, Chinese
//! identity codes, the common case of email addresses and sign-offs. A crate of their own, with no dependencies, so that the
//! release build can optimise them for speed (`opt-level = 3`, see the
//! workspace `Cargo.toml`) while everything else stays optimised for size;
//! `docs/BENCHMARKS.md` has both measurements. `deskside-core` re-exports
//! them as `deskside_core::phone` and `deskside_core::cnid`.
//! The entry points the core calls for every text or identifier
//! (`phone::scan_text`, `signoff::signoff_names`, `email::ascii_email_at`,
//! the `lines` readers) are `#[inline(never)]`: inlined into a size-built
//! caller (link-time optimisation does that), their loops were compiled for
//! size with it and ran slower (measured in `docs/BENCHMARKS.md`, issue 17).
//!
//! Invariant (as for the core): no web-sys, no js-sys.

pub mod cnid;
pub mod decoy;
pub mod email;
pub mod lines;
pub mod phone;
pub mod brand;
pub mod service;
pub mod signoff;
pub mod words;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;

/// Eight bytes as a little-endian word (zero if `eight` is not eight bytes
/// long). One load: `copy_from_slice` into a buffer was a call per word in
/// the size-built module, where these loops get inlined.
#[inline(always)]
pub fn load_u64(eight: &[u8]) -> u64 {
    <[u8; 8]>::try_from(eight).map_or(0, u64::from_le_bytes)
}
