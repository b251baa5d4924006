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
        // JSON has no NaN or infinity: they become the words TOML writes them with, which
        // every numeric field refuses by name ("invalid value 'nan' for ...").
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(f).map_or_else(|| Value::String(non_finite(f).into()), Value::Number)
        }
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// How TOML writes a float that JSON cannot hold.
fn non_finite(f: f64) -> &'static str {
    if f.is_nan() {
        "nan"
    } else if f > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

/// Parses JSON, refusing a key written twice in one object, as TOML does (serde_json would
/// keep the last one silently).
pub(super) fn parse_json(text: &str, name: &str) -> Result<Value, SpecError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserialize::deserialize(&mut de).and_then(|Unique(v)| de.end().map(|()| v)).map_err(|e| {
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

/// A JSON value read with a check that no object repeats a key.
struct Unique(Value);

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Unique(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!("duplicate key '{key}'")));
            }
            let Unique(v) = map.next_value()?;
            object.insert(key, v);
        }
        Ok(Value::Object(object))
    }
}
