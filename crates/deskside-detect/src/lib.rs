//! The scanners that read every byte of a page: phone numbers, Chinese
//! identity codes, the common case of email addresses and sign-offs. A crate of their own, with no dependencies, so that the
//! release build can optimise them for speed (`opt-level = 3`, see the
//! workspace `Cargo.toml`) while everything else stays optimised for size;
//! `docs/BENCHMARKS.md` has both measurements. `deskside-core` re-exports
//! them as `deskside_core::phone` and `deskside_core::cnid`.
//!
//! Invariant (as for the core): no web-sys, no js-sys.

pub mod cnid;
pub mod email;
pub mod phone;
pub mod signoff;
