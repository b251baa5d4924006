//! The text of an experiment file: TOML or JSON parsed into JSON values, and a mistake
//! placed on the line where a person would point at it ([`SpecError`]).

use serde_json::Value;
use std::fmt;

/// A mistake in an experiment file: the file, the line if known, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    /// The file name.
    pub source: String,
    /// 1-based line, when the mistake can be placed.
    pub line: Option<usize>,
    /// 1-based column, when the parser gives one.
    pub column: Option<usize>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{} line {line}, column {column}: {}", self.source, self.message),
            (Some(line), None) => write!(f, "{} line {line}: {}", self.source, self.message),
            _ => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// Where the text is, to place a mistake on its line.
pub(super) struct Source<'a> {
    pub(super) name: &'a str,
    pub(super) text: &'a str,
    pub(super) toml: bool,
}

impl Source<'_> {
    pub(super) fn error(&self, path: &[&str], message: impl Into<String>) -> SpecError {
        SpecError {
            source: self.name.to_string(),
            line: line_of(self.text, self.toml, path),
            column: None,
            message: message.into(),
        }
    }
}

pub(super) fn parse_toml(text: &str, name: &str) -> Result<Value, SpecError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| SpecError {
        source: name.to_string(),
        line: e.span().map(|s| line_at(text, s.start)),
        column: None,
        message: format!("TOML syntax error: {}", e.message().trim().replace('\n', "; ")),
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        // Non-finite floats become null, which every field rejects as the wrong type.
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

pub(super) fn parse_json(text: &str, name: &str) -> Result<Value, SpecError> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the location goes in front instead.
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        SpecError {
            source: name.to_string(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: format!("JSON syntax error: {message}"),
        }
    })
}

/// The 1-based line of byte offset `at`.
fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The line where the field at `path` (table names, then the key) is written, found by
/// scanning the text: the parsers keep no positions for values, and a scan finds what a
/// person would point at.
fn line_of(text: &str, toml: bool, path: &[&str]) -> Option<usize> {
    if path.is_empty() {
        return None;
    }
    if toml {
        toml_line(text, path).or_else(|| line_of(text, toml, &path[..path.len() - 1]))
    } else {
        // Each key of the path is searched for after the previous one.
        let mut at = 0;
        for key in path {
            let quoted = format!("\"{key}\"");
            let found = text[at..]
                .match_indices(&quoted)
                .map(|(i, _)| at + i)
                .find(|&i| text[i + quoted.len()..].trim_start().starts_with(':'));
            match found {
                Some(i) => at = i + quoted.len(),
                None => return line_of(text, toml, &path[..path.len() - 1]),
            }
        }
        Some(line_at(text, at))
    }
}

fn toml_line(text: &str, path: &[&str]) -> Option<usize> {
    let (tables, key) = path.split_at(path.len() - 1);
    let key = key[0];
    let mut current = String::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(header) = line.strip_prefix('[') {
            current = header.split(']').next().unwrap_or("").trim().replace([' ', '"'], "");
            // A key can also be a table header of its own: [levers.gatekeeping].
            if current == path.join(".") {
                return Some(n + 1);
            }
            continue;
        }
        // `key = ...` in the key's table, or a dotted `table.key = ...` in an outer one.
        for depth in 0..=tables.len() {
            if current == tables[..depth].join(".") {
                let dotted: Vec<&str> = tables[depth..].iter().copied().chain([key]).collect();
                if assigns(line, &dotted) {
                    return Some(n + 1);
                }
            }
        }
        // A field of an inline table: `key = { ..., field = ... }`.
        if tables.len() >= 2
            && current == tables[..tables.len() - 1].join(".")
            && assigns(line, &tables[tables.len() - 1..])
        {
            let inline = line.split_once('{').map_or("", |(_, rest)| rest);
            if inline.split([',', '{']).any(|part| assigns(part.trim(), &[key])) {
                return Some(n + 1);
            }
        }
    }
    None
}

/// Whether `line` assigns the dotted key `keys` (bare or quoted parts).
fn assigns(line: &str, keys: &[&str]) -> bool {
    let Some((lhs, _)) = line.split_once('=') else { return false };
    let parts: Vec<String> = lhs.split('.').map(|p| p.trim().trim_matches('"').to_string()).collect();
    parts.len() == keys.len() && parts.iter().zip(keys).all(|(a, b)| a == b)
}
