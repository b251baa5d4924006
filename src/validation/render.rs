//! A validation as JSON, a Markdown document (docs/VALIDATION.md) or a terminal table.

use super::{FactCheck, Measured, Validation};
use crate::MODEL_VERSION;
use crate::report::scenario_json;
use serde_json::{Value, json};

/// A number in a table: four decimals for shares and ratios, fewer for large magnitudes.
pub fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        format!("{v}")
    } else if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

fn bound(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

fn target_text(f: &FactCheck) -> String {
    let t = &f.target;
    if t.high.is_infinite() { format!(">= {}", t.low) } else { format!("{}-{}", t.low, t.high) }
}

fn direction_word(m: &Measured) -> &'static str {
    if m.effect.sign > 0.0 { "up" } else { "down" }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "pass" } else { "FAIL" }
}

impl Validation {
    /// How many facts pass and how many direction effects hold, out of how many.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let facts = self.facts.iter().filter(|f| f.pass()).count();
        let effects: Vec<&Measured> = self.directions.iter().flat_map(|(_, m)| m).collect();
        (facts, self.facts.len(), effects.iter().filter(|m| m.holds()).count(), effects.len())
    }

    /// Everything as one JSON object, with the model version, scenario and seeds.
    pub fn to_json(&self) -> Value {
        let (fp, fn_, dp, dn) = self.counts();
        json!({
            "model_version": MODEL_VERSION,
            "scenario": scenario_json(&self.scenario),
            "seeds": self.seeds,
            "facts": self.facts.iter().map(|f| {
                let (p5, p95) = f.interval();
                json!({
                    "fact": f.target.fact, "output": f.target.output,
                    "low": bound(f.target.low), "high": bound(f.target.high),
                    "mean": f.mean, "p5": p5, "p95": p95, "per_seed": f.per_seed,
                    "seeds_in_range": f.seeds_in_range(), "pass": f.pass(),
                })
            }).collect::<Vec<_>>(),
            "directions": self.directions.iter().map(|(d, ms)| json!({
                "number": d.number,
                "claim": d.claim,
                "changes": d.changes.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                "holds": ms.iter().all(Measured::holds),
                "effects": ms.iter().map(|m| {
                    let (p5, p95) = m.interval();
                    json!({
                        "output": m.effect.output, "expected": direction_word(m), "min_change": m.effect.min_change,
                        "baseline": m.baseline, "policy": m.policy, "mean_change": m.mean(), "p5": p5, "p95": p95,
                        "differences": m.differences, "seeds_in_direction": m.seeds_in_direction(), "holds": m.holds(),
                    })
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "passed": {"facts": fp, "facts_total": fn_, "effects": dp, "effects_total": dn},
        })
    }

    fn fact_rows(&self) -> Vec<Vec<String>> {
        self.facts
            .iter()
            .map(|f| {
                let (p5, p95) = f.interval();
                vec![
                    f.target.fact.to_string(),
                    format!("`{}`", f.target.output),
                    target_text(f),
                    fmt_num(f.mean),
                    format!("{} to {}", fmt_num(p5), fmt_num(p95)),
                    format!("{}/{}", f.seeds_in_range(), f.per_seed.len()),
                    verdict(f.pass()).to_string(),
                ]
            })
            .collect()
    }

    fn direction_rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for (d, ms) in &self.directions {
            let change = d.changes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
            for m in ms {
                let (p5, p95) = m.interval();
                rows.push(vec![
                    d.number.to_string(),
                    change.clone(),
                    format!("`{}`", m.effect.output),
                    format!("{} by >= {}", direction_word(m), m.effect.min_change),
                    format!("{} -> {}", fmt_num(m.baseline), fmt_num(m.policy)),
                    format!("{:+}", FmtSigned(m.mean())),
                    format!("{} to {}", fmt_num(p5), fmt_num(p95)),
                    format!("{}/{}", m.seeds_in_direction(), m.differences.len()),
                    verdict(m.holds()).to_string(),
                ]);
            }
        }
        rows
    }

    fn header(&self) -> String {
        let s = &self.scenario;
        let seeds = match (self.seeds.first(), self.seeds.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        format!(
            "Model version {MODEL_VERSION}; preset `{}`; population {}; {} years; {} seeds ({seeds}); outputs over the last simulated year.",
            s.preset,
            s.population,
            s.years,
            self.seeds.len()
        )
    }

    /// The Markdown document `docs/VALIDATION.md`.
    pub fn to_markdown(&self, command: &str) -> String {
        let (fp, fn_, dp, dn) = self.counts();
        let mut out = String::from("# Validation\n\n");
        out.push_str(&format!(
            "Generated by `{command}`; do not edit by hand: run `bash scripts/validation-doc.sh` to regenerate it.\n\n"
        ));
        out.push_str(&format!("{}\n\n", self.header()));
        out.push_str(&format!("## Stylized facts of the baseline ({fp} of {fn_} pass)\n\n"));
        out.push_str(
            "A fact passes when the mean over seeds lies in the target range of the brief (the calibration test, \
             `tests/behaviour.rs`, checks the same). The interval is the 5th to 95th percentile of the per-seed \
             values: how much one run of the model varies.\n\n",
        );
        out.push_str(&table(
            &["fact", "output", "target", "model mean", "90% interval over seeds", "seeds in range", "result"],
            &self.fact_rows(),
            true,
        ));
        out.push_str(&format!("\n## Policy-response directions ({dp} of {dn} effects hold)\n\n"));
        out.push_str(
            "Each policy changes the baseline as listed; effects are paired differences, policy minus baseline \
             with the same seed. An effect holds when the mean change goes the expected way by at least the \
             minimum plausible size and by at least two standard errors (`src/validation.rs`): facilities and \
             doctors learn from realised, noisy books, so single seeds can go their own way.\n\n",
        );
        out.push_str(&table(
            &[
                "#",
                "policy change",
                "output",
                "expected",
                "baseline -> policy",
                "effect (mean)",
                "90% interval",
                "seeds in direction",
                "result",
            ],
            &self.direction_rows(),
            true,
        ));
        out
    }

    /// Two aligned tables for a terminal.
    pub fn to_text(&self) -> String {
        let (fp, fn_, dp, dn) = self.counts();
        let strip = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.into_iter().map(|r| r.into_iter().map(|c| c.replace('`', "")).collect()).collect()
        };
        let mut out = format!("{}\n\nstylized facts: {fp} of {fn_} pass\n", self.header().replace('`', ""));
        out.push_str(&table(
            &["fact", "output", "target", "mean", "90% interval", "in range", "result"],
            &strip(self.fact_rows()),
            false,
        ));
        out.push_str(&format!("\npolicy directions (paired, same seeds): {dp} of {dn} effects hold\n"));
        out.push_str(&table(
            &["#", "change", "output", "expected", "baseline -> policy", "effect", "90% interval", "seeds", "result"],
            &strip(self.direction_rows()),
            false,
        ));
        out
    }
}

/// A signed number with `fmt_num`'s precision.
struct FmtSigned(f64);

impl std::fmt::Display for FmtSigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = fmt_num(self.0);
        if self.0 >= 0.0 && f.sign_plus() { write!(f, "+{s}") } else { write!(f, "{s}") }
    }
}

/// Rows as a Markdown table, or as columns aligned with two spaces.
pub fn table(headers: &[&str], rows: &[Vec<String>], markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str(&format!("| {} |\n", headers.join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
        for r in rows {
            out.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        return out;
    }
    let width =
        |c: usize| rows.iter().map(|r| r[c].chars().count()).chain([headers[c].chars().count()]).max().unwrap_or(0);
    let widths: Vec<usize> = (0..headers.len()).map(width).collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    out.push_str(&line(headers.to_vec()));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
