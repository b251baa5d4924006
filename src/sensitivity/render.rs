//! A sensitivity analysis as a ranked text table, JSON or CSV, each with what it takes to
//! re-run it (model version, scenario, parameters, seeds, design sizes).

use super::{Analysis, Method, swing};
use crate::MODEL_VERSION;
use crate::report::{params_json, scenario_json};
use serde_json::{Map, Value, json};

impl Analysis {
    fn method_name(&self) -> &'static str {
        match self.setup.method {
            Method::Morris => "morris",
            Method::Oat => "oat",
        }
    }

    fn seeds(&self) -> Vec<u64> {
        crate::report::seeds(self.setup.scenario.seed, self.setup.replications)
    }

    fn base(&self, output: &str) -> f64 {
        self.baseline.iter().find(|(n, _)| *n == output).map_or(f64::NAN, |(_, v)| *v)
    }

    /// The reproducibility record shared by every format.
    fn record(&self) -> Value {
        let s = &self.setup;
        json!({
            "model_version": MODEL_VERSION,
            "method": self.method_name(),
            "scenario": scenario_json(&s.scenario),
            "params": params_json(&s.params).unwrap_or_else(|| json!({})),
            "seeds": self.seeds(),
            "trajectories": if s.method == Method::Morris { json!(s.trajectories) } else { Value::Null },
            "levels": s.levels,
            "runs": self.runs,
            "factors": s.factors.iter().map(|f| json!({
                "key": f.key, "kind": f.kind_name(), "low": f.low, "high": f.high, "choices": f.choices,
            })).collect::<Vec<_>>(),
        })
    }

    /// The whole analysis as one JSON object: the record, the baseline of each output, and
    /// per output the factors ranked (Morris: mu*, mu, sigma; OAT: swing and every value).
    pub fn to_json(&self) -> Value {
        let mut v = self.record();
        let mut results = Map::new();
        for (i, &o) in self.setup.outputs.iter().enumerate() {
            let rows: Vec<Value> = match self.setup.method {
                Method::Morris => self.morris[i]
                    .iter()
                    .enumerate()
                    .map(|(rank, e)| {
                        let f = &self.setup.factors[e.factor];
                        json!({"rank": rank + 1, "factor": f.key, "kind": f.kind_name(), "mu_star": e.mu_star, "mu": e.mu, "sigma": e.sigma})
                    })
                    .collect(),
                Method::Oat => self.oat[i]
                    .iter()
                    .enumerate()
                    .map(|(rank, (fi, vals))| {
                        let f = &self.setup.factors[*fi];
                        json!({
                            "rank": rank + 1, "factor": f.key, "kind": f.kind_name(), "swing": swing(vals),
                            "values": vals.iter().map(|(x, y)| json!({"value": x, "output": y})).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
            };
            results.insert(o.to_string(), json!({"baseline": self.base(o), "ranking": rows}));
        }
        v.as_object_mut().expect("an object").insert("results".into(), Value::Object(results));
        v
    }

    /// Long-format CSV after a `#` comment line with the record. Morris:
    /// `output,rank,factor,kind,low,high,mu_star,mu,sigma`; OAT:
    /// `output,rank,factor,kind,value,output_value,swing`.
    pub fn to_csv(&self) -> String {
        let mut out = format!("# consortium-sim {MODEL_VERSION} sensitivity {}\n", self.record()).into_bytes();
        let mut csv = csv::Writer::from_writer(&mut out);
        let factors = &self.setup.factors;
        let row = |csv: &mut csv::Writer<&mut Vec<u8>>, fields: &[&dyn std::fmt::Display]| {
            csv.write_record(fields.iter().map(ToString::to_string)).expect("writing to memory cannot fail");
        };
        match self.setup.method {
            Method::Morris => {
                csv.write_record(["output", "rank", "factor", "kind", "low", "high", "mu_star", "mu", "sigma"])
                    .expect("writing to memory cannot fail");
                for (i, o) in self.setup.outputs.iter().enumerate() {
                    for (rank, e) in self.morris[i].iter().enumerate() {
                        let f = &factors[e.factor];
                        let (low, high) = ends(f);
                        row(
                            &mut csv,
                            &[o, &(rank + 1), &f.key, &f.kind_name(), &low, &high, &e.mu_star, &e.mu, &e.sigma],
                        );
                    }
                }
            }
            Method::Oat => {
                csv.write_record(["output", "rank", "factor", "kind", "value", "output_value", "swing"])
                    .expect("writing to memory cannot fail");
                for (i, o) in self.setup.outputs.iter().enumerate() {
                    for (rank, (fi, vals)) in self.oat[i].iter().enumerate() {
                        let f = &factors[*fi];
                        for (x, y) in vals {
                            let x = x.as_str().map_or_else(|| x.to_string(), str::to_string);
                            row(&mut csv, &[o, &(rank + 1), &f.key, &f.kind_name(), &x, y, &swing(vals)]);
                        }
                    }
                }
            }
        }
        drop(csv);
        String::from_utf8(out).expect("CSV of UTF-8 text is UTF-8")
    }

    /// A readable ranking per output, most influential factor first.
    pub fn to_text(&self) -> String {
        let s = &self.setup;
        let mut out = match s.method {
            Method::Morris => format!(
                "Morris screening: {} trajectories, {} levels, {} factors, {} runs ({} seed(s) per point)\n",
                s.trajectories,
                s.levels,
                s.factors.len(),
                self.runs,
                s.replications
            ),
            Method::Oat => format!(
                "One-at-a-time sweeps: {} values per numeric factor, {} factors, {} runs ({} seed(s) per point)\n",
                s.levels,
                s.factors.len(),
                self.runs,
                s.replications
            ),
        };
        out.push_str(&format!(
            "preset {}, population {}, {} years, seeds {:?}, model {MODEL_VERSION}\n",
            s.scenario.preset,
            s.scenario.population,
            s.scenario.years,
            self.seeds()
        ));
        if s.method == Method::Morris {
            out.push_str("effects are per full screened range of a factor, in the output's units\n");
        }
        for (i, o) in s.outputs.iter().enumerate() {
            out.push_str(&format!("\n{o} (baseline {:.4})\n", self.base(o)));
            match s.method {
                Method::Morris => {
                    // The range column is as wide as its longest entry (a choice lever lists
                    // every choice), so the figures after it stay aligned.
                    let width = s.factors.iter().map(|f| f.range_text().chars().count()).max().unwrap_or(0).max(36);
                    out.push_str(&format!(
                        "{:>4}  {:<32} {:<9} {:<width$} {:>11} {:>11} {:>11}\n",
                        "rank", "factor", "kind", "range", "mu*", "mu", "sigma"
                    ));
                    for (rank, e) in self.morris[i].iter().enumerate() {
                        let f = &s.factors[e.factor];
                        out.push_str(&format!(
                            "{:>4}  {:<32} {:<9} {:<width$} {:>11.4} {:>11.4} {:>11.4}\n",
                            rank + 1,
                            f.key,
                            f.kind_name(),
                            f.range_text(),
                            e.mu_star,
                            e.mu,
                            e.sigma
                        ));
                    }
                }
                Method::Oat => {
                    out.push_str(&format!("{:>4}  {:<32} {:<9} {:>11}  values\n", "rank", "factor", "kind", "swing"));
                    for (rank, (fi, vals)) in self.oat[i].iter().enumerate() {
                        let f = &s.factors[*fi];
                        let list: Vec<String> = vals
                            .iter()
                            .map(|(x, y)| {
                                let x = x
                                    .as_str()
                                    .map_or_else(|| format!("{:.4}", x.as_f64().unwrap_or(f64::NAN)), str::to_string);
                                format!("{}={y:.4}", x.trim_end_matches('0').trim_end_matches('.'))
                            })
                            .collect();
                        out.push_str(&format!(
                            "{:>4}  {:<32} {:<9} {:>11.4}  {}\n",
                            rank + 1,
                            f.key,
                            f.kind_name(),
                            swing(vals),
                            list.join(" ")
                        ));
                    }
                }
            }
        }
        out
    }
}

fn ends(f: &super::Factor) -> (String, String) {
    match (f.choices.first(), f.choices.last()) {
        (Some(a), Some(b)) => (a.to_string(), b.to_string()),
        _ => (f.low.to_string(), f.high.to_string()),
    }
}
