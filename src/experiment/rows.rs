//! A sweep's results as they stream out, one run at a time: CSV rows after a `#` record
//! line and a header, or self-contained JSON lines.

use super::{Run, Spec};
use crate::MODEL_VERSION;
use crate::report::{params_json, scenario_json};
use serde_json::{Map, Value, json};
use std::io::Write;

/// The output of a sweep, written in run order. Each row is flushed as it is written, so a
/// long sweep can be watched and, after a stop, resumed from the last row.
pub struct Rows<'a, W: Write> {
    spec: &'a Spec,
    out: Format<W>,
}

enum Format<W: Write> {
    // Boxed: the CSV writer carries a 256-byte quoting table; the plain writer is small.
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<'a, W: Write> Rows<'a, W> {
    /// CSV on `out`: when `preamble`, first a `#` comment with the reproducibility record
    /// ([`Spec::record`]) and the header `run,replicate,seed,<varied keys>,<outputs>`.
    /// Fields are quoted where CSV needs it (a varied value written with a line break).
    pub fn csv(spec: &'a Spec, mut out: W, preamble: bool) -> csv::Result<Self> {
        if preamble {
            writeln!(out, "# consortium-sim {MODEL_VERSION} sweep {}", spec.record())?;
        }
        let mut csv = csv::Writer::from_writer(out);
        if preamble {
            let varied = spec.axes.iter().map(|a| a.key.as_str());
            csv.write_record(
                ["run", "replicate", "seed"].into_iter().chain(varied).chain(spec.outputs.iter().copied()),
            )?;
            csv.flush()?;
        }
        Ok(Rows { spec, out: Format::Csv(Box::new(csv)) })
    }

    /// JSON lines on `out`: one object per run with everything it takes to re-run it.
    pub fn jsonl(spec: &'a Spec, out: W) -> Self {
        Rows { spec, out: Format::Jsonl(out) }
    }

    /// Writes and flushes the row of one finished run.
    pub fn write(&mut self, run: &Run, summary: &[(&'static str, f64)]) -> csv::Result<()> {
        let spec = self.spec;
        match &mut self.out {
            Format::Csv(csv) => {
                for field in [run.index.to_string(), run.replicate.to_string(), run.scenario.seed.to_string()] {
                    csv.write_field(field)?;
                }
                for v in &run.varied {
                    match v {
                        Value::String(s) => csv.write_field(s)?,
                        other => csv.write_field(other.to_string())?,
                    }
                }
                for o in &spec.outputs {
                    csv.write_field(pick(summary, o).to_string())?;
                }
                csv.write_record(None::<&[u8]>)?;
                csv.flush()?;
            }
            Format::Jsonl(out) => {
                writeln!(out, "{}", json_line(spec, run, summary))?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

/// One self-contained JSON line for a finished run: model version, run index, seed, the
/// varied values, the whole resolved scenario and parameters, and the summary.
fn json_line(spec: &Spec, run: &Run, summary: &[(&'static str, f64)]) -> Value {
    let varied: Map<String, Value> =
        spec.axes.iter().zip(&run.varied).map(|(a, v)| (a.key.clone(), v.clone())).collect();
    let outputs: Map<String, Value> = spec.outputs.iter().map(|o| (o.to_string(), json!(pick(summary, o)))).collect();
    json!({
        "model_version": MODEL_VERSION,
        "source": spec.source,
        "run": run.index,
        "replicate": run.replicate,
        "seed": run.scenario.seed,
        "varied": varied,
        "scenario": scenario_json(&run.scenario),
        "params": params_json(&run.params).unwrap_or_else(|| json!({})),
        "summary": outputs,
    })
}

fn pick(summary: &[(&'static str, f64)], name: &str) -> f64 {
    summary.iter().find(|(n, _)| *n == name).map_or(f64::NAN, |(_, v)| *v)
}
