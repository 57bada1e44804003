//! Deskside's business logic, free of any browser API.
//!
//! Everything that decides something lives here and is tested natively with
//! `cargo test`: which identifiers a page holds and which one wins, what the
//! admin's settings mean and whether they are valid, how a connector request is
//! built and how its answer maps onto [`model::Customer`], which messages a
//! sender may send, and what the panel shows. The `deskside-wasm` crate only
//! moves bytes between these functions and the browser.
//!
//! Invariant: this crate depends on neither `web-sys` nor `js-sys`.

pub mod config;
pub mod configfile;
pub mod adapters;
pub mod audit;
pub mod monitor;
pub mod noticed;
pub mod client;
pub mod connector;
pub mod flow;
pub mod forward;
pub mod html;
pub mod i18n;
pub mod identify;
pub mod idpattern;
pub mod layout;
pub mod mask;
pub mod merge;
pub mod messages;
pub mod model;
pub mod panel;
/// Phone numbers and Chinese ID codes: the hot scanners, in their own crate (built for speed).
pub use deskside_detect::{cnid, phone};
pub mod secret;
pub mod vip;
pub mod weburl;
pub mod write;
pub mod jsontext;
pub mod kept;
pub mod sort;
