//! The error type returned by every fallible function of the core.
//!
//! Each message names the offending input and the values it may take, because the
//! CLI prints it as its one line of output and the browser shows it next to the control.

use std::fmt;

/// Everything that can go wrong when a scenario is built or changed.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// A lever or setting key that does not exist.
    UnknownKey {
        /// The key as given.
        key: String,
        /// What kind of key was expected ("lever", "setting", "output", ...).
        kind: &'static str,
        /// The keys that exist, comma-separated.
        allowed: String,
    },
    /// A value outside the allowed range or of the wrong type.
    InvalidValue {
        /// The key the value was given for.
        key: String,
        /// The value as given.
        value: String,
        /// A sentence fragment describing the allowed values.
        allowed: String,
    },
    /// A preset name that does not exist.
    UnknownPreset {
        /// The name as given.
        name: String,
        /// The preset names, comma-separated.
        allowed: String,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::UnknownKey { key, kind, allowed } => {
                write!(f, "unknown {kind} '{key}': allowed keys are {allowed}")
            }
            SimError::InvalidValue { key, value, allowed } => {
                write!(f, "invalid value '{value}' for '{key}': allowed values are {allowed}")
            }
            SimError::UnknownPreset { name, allowed } => {
                write!(f, "unknown preset '{name}': allowed presets are {allowed}")
            }
        }
    }
}

impl std::error::Error for SimError {}

impl SimError {
    /// Shorthand for [`SimError::InvalidValue`].
    pub fn invalid(key: &str, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        SimError::InvalidValue { key: key.to_string(), value: value.to_string(), allowed: allowed.into() }
    }

    /// The lever, setting or field the error is about: the key as given for an unknown key
    /// or a bad value, and `"preset"` for an unknown preset. The browser shows the message
    /// beside the control of that name.
    pub fn key(&self) -> &str {
        match self {
            SimError::UnknownKey { key, .. } | SimError::InvalidValue { key, .. } => key,
            SimError::UnknownPreset { .. } => "preset",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_what_the_message_is_about() {
        let unknown = SimError::UnknownKey { key: "speed".into(), kind: "lever", allowed: "a, b".into() };
        assert_eq!(unknown.key(), "speed");
        assert_eq!(SimError::invalid("years", 0, "1 to 50").key(), "years");
        let preset = SimError::UnknownPreset { name: "utopia".into(), allowed: "status_quo".into() };
        assert_eq!(preset.key(), "preset");
    }
}
