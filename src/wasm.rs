//! The WebAssembly boundary: the only file that knows about JavaScript.
//!
//! It wraps [`Simulation`] in an opaque handle, `Simulation` in JS, and adds free functions
//! that describe the levers, presets and outputs, so a page can build its controls from the
//! same tables the core validates against, and the model's months (`monthStart`, `monthOf`),
//! so a page groups days into the same months as the model's month ends and `seriesMonthly`.
//!
//! Rules at this boundary:
//! - Bad input from JS is a thrown `Error` whose message names the field and its allowed
//!   values (the core's [`SimError`] text) and whose `key` property is that field
//!   ([`SimError::key`]), so a page can show the message beside its control without reading
//!   the text; nothing here panics on user input.
//! - The scenario object is read once, in the constructor, through serde-wasm-bindgen.
//!   Results go out as plain objects (never `Map`s) or as typed arrays.
//! - Bulk data (series, flows) is *copied* into fresh typed arrays, so JS never holds a view
//!   into wasm memory that a later call could detach by growing it.
//! - Numbers cross as `f64`/`u32`; the 64-bit seed crosses as a safe-integer number or as a
//!   decimal string.

use crate::levers::LeverKind;
use crate::scenario::SETTINGS;
use crate::sim::{month_of, month_start};
use crate::{LEVERS, Levers, MODEL_VERSION, OUTPUTS, PRESETS, Scenario, SimError, Simulation};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

mod input;

use input::{MAX_SAFE_INTEGER, lever_value_from_js, scenario_from_js, whole_days, whole_number};

/// The last month `monthStart` accepts: the month of the last day a `u32` counts, so
/// `monthStart(monthOf(day))` is defined for every day `monthOf` accepts and never overflows.
const MAX_MONTH: u32 = month_of(u32::MAX);

// Types for the generated `.d.ts`, so TypeScript users see the shapes of the plain objects
// that cross this boundary instead of `any`.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A lever value: a number, a choice name, or a switch. Numbers may also be given as text. */
export type LeverValue = number | string | boolean;
/** Lever values keyed by lever key, e.g. `{ payment_method: "drg", referral_bonus: 100 }`. */
export type LeverValues = Record<string, LeverValue>;
/** The scenario for `new Simulation(scenario)`; every field is optional. */
export interface ScenarioInput {
    preset?: string | null;
    levers?: LeverValues | null;
    population?: number | string | null;
    urban_share?: number | string | null;
    years?: number | string | null;
    /** A whole number up to 2^53 - 1, or a decimal string up to 2^64 - 1. */
    seed?: number | string | null;
}
/** A resolved scenario; `seed` is a string when above 2^53 - 1. */
export interface ScenarioResolved {
    preset: string;
    levers: LeverValues;
    population: number;
    urban_share: number;
    years: number;
    seed: number | string;
}
/** Output values keyed by output name (see `outputs()`). */
export type Summary = Record<string, number>;
/** One facility as seen from outside. */
export interface FacilityState {
    /** 0 primary, 1 secondary, 2 tertiary. */
    tier: number;
    /** km from the region's west edge. */
    x: number;
    /** km from the region's south edge. */
    y: number;
    doctors: number;
    beds: number;
    occupied: number;
    bed_queue: number;
    /** Expected outpatient wait, days. */
    visit_wait: number;
    cooperation: number;
    capability: number;
    margin: number;
}
/** A strategy as a facility chose it. */
export interface StrategyView { cooperation: number; case: number; day: number; invest: boolean; }
/** One facility's months (books in yuan), strategies and learning events (`facilityHistory`). */
export interface FacilityHistory {
    id: number;
    tier: number;
    closed_months: number;
    insurer: number[]; oop: number[]; government: number[]; pooled: number[];
    cost: number[]; margin: number[];
    cooperation: number[]; case_stance: number[]; day_stance: number[]; on_trial: boolean[];
    events: {
        month: number;
        kind: "started" | "kept" | "dropped" | "copied";
        part: "cooperation" | "case" | "day" | "invest" | null;
        from: StrategyView; to: StrategyView;
        before: number; after: number | null;
    }[];
}
/** Counts over the last simulated year behind the referral diagram's flows (`flowReasons`). */
export interface FlowReasons {
    days: number;
    population: number;
    visits: number[];
    tertiary_self_referred: number;
    referrals: number[][];
    tertiary_inpatient_transfers: number;
    downward_proposed: number;
    downward_refused: number;
}
/** A lever's description, for building a control. */
export interface LeverSpec {
    key: string;
    kind: "share" | "yuan" | "multiplier" | "choice" | "switch";
    allowed: string;
    /** The names a "choice" lever takes; empty otherwise. */
    choices: string[];
    unit: string;
    group: string;
    meaning: string;
    /** The status_quo value. */
    default: LeverValue;
}
/** A preset with every lever's value after it is applied. */
export interface PresetInfo {
    name: string;
    description: string;
    urban_share: number;
    levers: LeverValues;
}
/** What every function and method here throws on bad input. */
export interface SimError extends Error {
    /** The lever, setting or field the message is about ("preset" for an unknown preset), or null. */
    key: string | null;
}
/** A name and what it means (outputs), or a setting and its allowed values (settings). */
export interface NamedText {
    name: string;
    description: string;
}
"#;

/// What every export throws: a JS `Error` with the core's message and a `key` property
/// naming the lever, setting or field the message is about (`"preset"` for an unknown
/// preset), or `null` for the rare error about no one field (a result that could not be
/// converted for JavaScript).
#[derive(Debug)]
pub struct JsSimError(js_sys::Error);

impl JsSimError {
    fn new(message: &str, key: Option<&str>) -> Self {
        let error = js_sys::Error::new(message);
        let key = key.map_or(JsValue::NULL, JsValue::from_str);
        // Setting a property on a fresh, ordinary object cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("key"), &key);
        JsSimError(error)
    }
}

impl From<SimError> for JsSimError {
    fn from(e: SimError) -> Self {
        JsSimError::new(&e.to_string(), Some(e.key()))
    }
}

impl From<JsSimError> for JsValue {
    fn from(e: JsSimError) -> Self {
        e.0.into()
    }
}

/// Installs the panic hook, so a bug in the core shows its message in the console instead
/// of an opaque `unreachable` trap.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A running simulation of one scenario.
///
/// ```js
/// const sim = new Simulation({ preset: "close_consortium", population: 20000, years: 2, seed: 7 });
/// sim.step(365);
/// sim.setLever("referral_bonus", 200);   // takes effect from the next day
/// sim.step(365);
/// sim.summary().primary_visit_share;     // over the last simulated year
/// sim.series("upward_referrals_per_1000"); // Float64Array, one value per day
/// sim.free();
/// ```
#[wasm_bindgen(js_name = Simulation)]
pub struct JsSimulation {
    sim: Simulation,
}

#[wasm_bindgen(js_class = Simulation)]
impl JsSimulation {
    /// Builds the region for a scenario object
    /// `{ preset, levers: { key: value, ... }, population, urban_share, years, seed }`.
    /// Every field is optional (the preset defaults to `status_quo`); `null` or `undefined`
    /// means "not given". Lever values may be numbers, strings or booleans; `seed` is a
    /// whole number up to 2^53 - 1 or a decimal string up to 2^64 - 1.
    /// Throws an `Error` naming the field and its allowed values on bad input.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ScenarioInput | null")] scenario: Option<JsValue>,
    ) -> Result<JsSimulation, JsSimError> {
        let scenario = scenario_from_js(scenario)?;
        Ok(JsSimulation { sim: Simulation::new(scenario)? })
    }

    /// Advances `days` days: a whole number from 0 to the days left before the horizon
    /// (`totalDays - day`). A run never goes past its horizon: more days throw an `Error`
    /// with `key` `"days"` and leave the run where it was (a run stepped on without end
    /// would grow its series until memory ran out).
    pub fn step(&mut self, days: f64) -> Result<(), JsSimError> {
        let left = self.sim.total_days() - self.sim.day();
        let days = whole_number("days", days, 0, left).map_err(|_| {
            SimError::invalid(
                "days",
                days,
                format!(
                    "a whole number from 0 to {left}, the days left before the horizon (day {} of {})",
                    self.sim.day(),
                    self.sim.total_days()
                ),
            )
        })?;
        self.sim.step(days);
        Ok(())
    }

    /// Runs to the end of the scenario's horizon (`totalDays`).
    pub fn run(&mut self) {
        self.sim.run();
    }

    /// Sets lever `key` to `value` (a number, string or boolean). It takes effect from the
    /// next simulated day. Throws an `Error` naming the key and allowed values on bad input,
    /// and then leaves every lever unchanged.
    #[wasm_bindgen(js_name = setLever)]
    pub fn set_lever(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LeverValue")] value: JsValue,
    ) -> Result<(), JsSimError> {
        let key = text_arg("key", &key, "a lever key (levers() lists them)")?;
        let value = lever_value_from_js(&key, &value)?;
        self.sim.set_lever(&key, &value)?;
        Ok(())
    }

    /// Every output over the last simulated year (or all days if fewer), as a plain object
    /// keyed by output name, in the order of `outputs()`.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> Result<JsValue, JsSimError> {
        let out = js_sys::Object::new();
        for (name, value) in self.sim.summary() {
            js_sys::Reflect::set(&out, &JsValue::from_str(name), &JsValue::from_f64(value))
                .map_err(|_| JsSimError::new("could not build the summary object", None))?;
        }
        Ok(out.into())
    }

    /// The daily series of output `name`: one value per simulated day (length `day`).
    pub fn series(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<Vec<f64>, JsSimError> {
        Ok(self.sim.series(&output_name(&name)?)?)
    }

    /// The series of output `name` by the model's months (`monthStart`, `monthOf`): one value
    /// for each month begun, the last over the days simulated so far. A fresh copy; O(day).
    #[wasm_bindgen(js_name = seriesMonthly)]
    pub fn series_monthly(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<Vec<f64>, JsSimError> {
        Ok(self.sim.series_monthly(&output_name(&name)?)?)
    }

    /// The series of output `name` over consecutive windows of `days` days (a whole number
    /// from 1 to 18250); a final partial window is included. For months, use `seriesMonthly`:
    /// the model's months are 30 or 31 days long.
    #[wasm_bindgen(js_name = seriesBy)]
    pub fn series_by(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        days: f64,
    ) -> Result<Vec<f64>, JsSimError> {
        let days = whole_days("days", days, 1)?;
        Ok(self.sim.series_by(&output_name(&name)?, days as usize)?)
    }

    /// Days simulated so far.
    #[wasm_bindgen(getter)]
    pub fn day(&self) -> u32 {
        self.sim.day()
    }

    /// Days in the scenario's horizon (`years * 365`).
    #[wasm_bindgen(getter = totalDays)]
    pub fn total_days(&self) -> u32 {
        self.sim.total_days()
    }

    /// Whether the horizon has been reached.
    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> bool {
        self.sim.finished()
    }

    /// Starts the same scenario again from day 0; lever changes made mid-run are dropped.
    pub fn reset(&mut self) {
        self.sim.reset();
    }

    /// The levers in force (including changes due to take effect tomorrow), as a plain
    /// object `{ key: value }` with numbers, strings and booleans.
    #[wasm_bindgen(unchecked_return_type = "LeverValues")]
    pub fn levers(&self) -> Result<JsValue, JsSimError> {
        to_js(self.sim.levers())
    }

    /// The scenario the run started from: `{ preset, levers, population, urban_share, years,
    /// seed }`. `seed` is a number, or a decimal string when above 2^53 - 1.
    #[wasm_bindgen(unchecked_return_type = "ScenarioResolved")]
    pub fn scenario(&self) -> Result<JsValue, JsSimError> {
        to_js(&ScenarioOut::from(self.sim.scenario()))
    }

    /// A snapshot of every facility in id order: `{ tier (0 primary, 1 secondary,
    /// 2 tertiary), x, y (km), doctors, beds, occupied, bed_queue, visit_wait (days),
    /// cooperation, capability, margin }`.
    #[wasm_bindgen(unchecked_return_type = "FacilityState[]")]
    pub fn facilities(&self) -> Result<JsValue, JsSimError> {
        to_js(&self.sim.facility_states())
    }

    /// Cumulative contacts by home primary centre (row) and facility (column), row-major,
    /// `n * n` for `n = facilities().length`. A fresh copy on every call.
    pub fn flows(&self) -> Vec<u32> {
        self.sim.flows().to_vec()
    }

    /// Side of the square region in km.
    #[wasm_bindgen(getter = regionSide)]
    pub fn region_side(&self) -> f64 {
        self.sim.region_side()
    }

    /// Facility `id`'s history (a whole number below `facilities().length`): one entry per
    /// model month begun of its books in yuan (`insurer`, `oop`, `government`, `pooled`,
    /// `cost`, `margin`), the strategy it chose at each closed month's end (`cooperation`,
    /// `case_stance`, `day_stance`, `on_trial`, `closed_months` long) and what it learned
    /// (`events`: `{ month, kind, part, from, to, before, after }`). A fresh plain object.
    #[wasm_bindgen(js_name = facilityHistory, unchecked_return_type = "FacilityHistory")]
    pub fn facility_history(&self, id: f64) -> Result<JsValue, JsSimError> {
        let n = u32::try_from(self.sim.facilities().len()).expect("fewer than 65,535 facilities");
        let id = whole_number("facility", id, 0, n.saturating_sub(1))?;
        let history = self.sim.facility_history(id as usize).expect("an id below the facility count");
        to_js(&history)
    }

    /// What the model knows about why the referral diagram's flows went where, over the
    /// last simulated year: `{ days, population, visits, tertiary_self_referred, referrals
    /// (tier of origin by tier of destination), tertiary_inpatient_transfers,
    /// downward_proposed, downward_refused }`, counts.
    #[wasm_bindgen(js_name = flowReasons, unchecked_return_type = "FlowReasons")]
    pub fn flow_reasons(&self) -> Result<JsValue, JsSimError> {
        to_js(&self.sim.flow_reasons())
    }
}

/// Every lever: `{ key, kind ("share", "yuan", "multiplier", "choice" or "switch"), allowed,
/// choices (names, for "choice"), unit, group, meaning, default (the status_quo value) }`.
#[wasm_bindgen(unchecked_return_type = "LeverSpec[]")]
pub fn levers() -> Result<JsValue, JsSimError> {
    let defaults = serde_json::to_value(Levers::default()).map_err(|e| JsSimError::new(&e.to_string(), None))?;
    let specs: Vec<_> = LEVERS
        .iter()
        .map(|spec| {
            let (kind, choices): (&str, &[&str]) = match spec.kind {
                LeverKind::Share => ("share", &[]),
                LeverKind::Yuan => ("yuan", &[]),
                LeverKind::Multiplier => ("multiplier", &[]),
                LeverKind::Choice(names) => ("choice", names),
                LeverKind::Switch => ("switch", &[]),
            };
            LeverOut {
                key: spec.key,
                kind,
                allowed: spec.kind.allowed(),
                choices,
                unit: spec.unit,
                group: spec.group,
                meaning: spec.meaning,
                default: defaults.get(spec.key).cloned().unwrap_or(Value::Null),
            }
        })
        .collect();
    to_js(&specs)
}

/// The structural settings a scenario accepts besides levers: `{ key, allowed }`.
#[wasm_bindgen(unchecked_return_type = "NamedText[]")]
pub fn settings() -> Result<JsValue, JsSimError> {
    let out: Vec<_> = SETTINGS.iter().map(|(key, allowed)| NamedText { name: key, text: allowed }).collect();
    to_js(&out)
}

/// Every preset: `{ name, description, urban_share, levers }`, where `levers` holds every
/// lever's value after the preset is applied.
#[wasm_bindgen(unchecked_return_type = "PresetInfo[]")]
pub fn presets() -> Result<JsValue, JsSimError> {
    let out = PRESETS
        .iter()
        .map(|p| {
            let scenario = Scenario::from_preset(p.name)?;
            Ok(PresetOut {
                name: p.name,
                description: p.description,
                urban_share: p.urban_share,
                levers: scenario.levers,
            })
        })
        .collect::<Result<Vec<_>, SimError>>()?;
    to_js(&out)
}

/// Every output the summary and series know: `{ name, description }`, in summary order.
#[wasm_bindgen(unchecked_return_type = "NamedText[]")]
pub fn outputs() -> Result<JsValue, JsSimError> {
    let out: Vec<_> = OUTPUTS.iter().map(|o| NamedText { name: o.name, text: o.description }).collect();
    to_js(&out)
}

/// The first day of model month `month` (counted from 0 across years; a whole number from 0
/// to 141204404). Months are twelfths of the 365-day year, 30 or 31 days long, so month
/// `12 * y` starts on day `365 * y`; a month ends, with budgets settled and strategies
/// reviewed, just before the next one starts. Throws an `Error` with `key` `"month"` on other
/// input.
#[wasm_bindgen(js_name = monthStart)]
pub fn month_start_js(month: f64) -> Result<u32, JsSimError> {
    Ok(month_start(whole_number("month", month, 0, MAX_MONTH)?))
}

/// The model month that day `day` falls in (days and months counted from 0; `day` a whole
/// number from 0 to 4294967295). Throws an `Error` with `key` `"day"` on other input.
#[wasm_bindgen(js_name = monthOf)]
pub fn month_of_js(day: f64) -> Result<u32, JsSimError> {
    Ok(month_of(whole_number("day", day, 0, u32::MAX)?))
}

/// The model version; the same version and seed give the same numbers natively and here.
#[wasm_bindgen(js_name = modelVersion)]
pub fn model_version() -> String {
    MODEL_VERSION.to_string()
}

/// A lever's description as the page sees it.
#[derive(Serialize)]
struct LeverOut {
    key: &'static str,
    kind: &'static str,
    allowed: String,
    choices: &'static [&'static str],
    unit: &'static str,
    group: &'static str,
    meaning: &'static str,
    default: Value,
}

#[derive(Serialize)]
struct PresetOut {
    name: &'static str,
    description: &'static str,
    urban_share: f64,
    levers: Levers,
}

/// `{ name, description }` pairs; for settings the text is the allowed values.
#[derive(Serialize)]
struct NamedText<'a> {
    name: &'a str,
    #[serde(rename = "description")]
    text: &'a str,
}

/// The resolved scenario; the seed is text when a JS number cannot hold it exactly.
#[derive(Serialize)]
struct ScenarioOut<'a> {
    preset: &'a str,
    levers: &'a Levers,
    population: u32,
    urban_share: f64,
    years: u32,
    seed: Value,
}

impl<'a> From<&'a Scenario> for ScenarioOut<'a> {
    fn from(s: &'a Scenario) -> Self {
        let seed = if s.seed <= MAX_SAFE_INTEGER { Value::from(s.seed) } else { Value::from(s.seed.to_string()) };
        ScenarioOut {
            preset: &s.preset,
            levers: &s.levers,
            population: s.population,
            urban_share: s.urban_share,
            years: s.years,
            seed,
        }
    }
}

/// A string argument, or an error naming `field`. Strings are taken as `JsValue` and
/// checked here: a `&str` parameter makes the generated glue read a number or an object as
/// garbage memory, and the module traps.
fn text_arg(field: &str, value: &JsValue, allowed: &str) -> Result<String, SimError> {
    value.as_string().ok_or_else(|| SimError::invalid(field, input::describe(value), allowed))
}

/// An output name argument (`series`, `seriesMonthly`, `seriesBy`).
fn output_name(name: &JsValue) -> Result<String, SimError> {
    let allowed = OUTPUTS.iter().map(|o| o.name).collect::<Vec<_>>().join(", ");
    text_arg("output", name, &allowed)
}

/// Serialises to plain JS objects and arrays (not `Map`s), as JSON would.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsSimError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsSimError::new(&format!("could not convert a result for JavaScript: {e}"), None))
}
