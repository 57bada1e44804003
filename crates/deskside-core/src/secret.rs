//! API keys and other secrets.
//!
//! A [`Secret`] never prints itself: `Debug` and `Display` are redacted, so a
//! key cannot leak through a log line or an error message. It serialises to
//! its value only because the background must persist it in
//! `storage.local`; the message types sent to pages and content scripts never
//! contain a `Secret` (they carry a [`SecretState`] instead).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that needs it: the request header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// What the options page may show about a stored secret.
    pub fn state(&self) -> SecretState {
        if self.is_empty() {
            return SecretState { set: false, hint: String::new() };
        }
        // Show the last four characters only when the key is long enough that
        // four characters reveal little of it.
        let chars: Vec<char> = self.0.chars().collect();
        let hint = if chars.len() >= 16 {
            let tail: String = chars[chars.len() - 4..].iter().collect();
            format!("…{tail}")
        } else {
            "set".to_string()
        };
        SecretState { set: true, hint }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Whether a secret is stored, and a short hint to recognise it by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretState {
    pub set: bool,
    pub hint: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Secret::new("sk-live-canary-1234567890");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{s}"), "<redacted>");
        assert!(!format!("{:?}", Some(&s)).contains("canary"));
    }

    #[test]
    fn state_hints_only_long_keys() {
        assert_eq!(Secret::new("").state(), SecretState { set: false, hint: String::new() });
        assert_eq!(Secret::new("short").state().hint, "set");
        assert_eq!(Secret::new("0123456789abcdefWXYZ").state().hint, "…WXYZ");
    }
}
