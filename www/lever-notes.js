// What the page adds to the model's lever metadata, apart from text: the stakeholder groups
// and their order, slider ranges, the population choices; and where each lever's texts live
// in the strings files (`levers.*` in www/strings/<lang>.json), so translators edit data.
//
// The model's own metadata (`levers()`: key, kind, allowed, unit, group, meaning, default)
// stays the source of truth for keys, types and validity; a lever or preset the strings
// files do not know still gets a working control, labelled from the model.

import { t, has } from './i18n.js';

/** Stakeholder groups, in display order (texts: `levers.group.<id>`). */
export const GROUP_ORDER = ['insurer', 'hospitals', 'doctors', 'patients'];

/** Slider ranges by lever kind; per-key entries below override them. */
export const KIND_RANGES = {
  share: { min: 0, max: 1, step: 0.01, digits: 2 },
  yuan: { min: 0, max: 500, step: 10, digits: 0 },
  multiplier: { min: 0.5, max: 2, step: 0.05, digits: 2 },
};

/** Slider ranges of levers whose usual values differ from their kind's. */
export const LEVER_RANGES = {
  referral_bonus: { min: 0, max: 500, step: 10, digits: 0 },
  primary_investment: { min: 0, max: 200, step: 5, digits: 0 },
  tertiary_capacity: { min: 0.5, max: 2, step: 0.05, digits: 2 },
};

/** The structural settings with a control of their own (their texts: `levers.setting.<key>`). */
export const SETTING_KEYS = ['population', 'years', 'seed', 'urban_share'];

/** Population choices offered in the select (a link may add another value). */
export const POPULATION_CHOICES = [10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];

/** The string at `key` when the strings files have it, else `fallback`. */
function textOr(key, fallback) {
  return has(key) ? t(key) : fallback;
}

/** A lever's name in the page's language (the key, spaced, for a lever the files lack). */
export function leverLabel(key) {
  return textOr(`levers.lever.${key}.label`, key.replaceAll('_', ' '));
}

/** The Chinese policy term shown beside the English label; empty in the Chinese page. */
export function leverTerm(key) {
  return textOr(`levers.lever.${key}.term`, '');
}

/** What a lever does, for its help and accessible description (else the model's meaning). */
export function leverHelp(spec) {
  return textOr(`levers.lever.${spec.key}.help`, spec.meaning);
}

/** A lever's unit in the page's language (else the model's unit, possibly empty). */
export function leverUnit(spec) {
  return textOr(`levers.lever.${spec.key}.unit`, spec.unit);
}

/** The label of choice `value` of lever `key` (the value itself when the files lack it). */
export function choiceLabel(key, value) {
  return textOr(`levers.choice.${key}.${value}`, value);
}

/**
 * A lever's allowed values in the page's language, worded as the model words them in
 * English: a choice lists its names, which are what a link holds.
 */
export function leverAllowed(spec) {
  if (spec.kind === 'choice') return spec.choices.join(', ');
  return textOr(`levers.allowed.${spec.kind}`, spec.allowed);
}

/** A setting's allowed values in the page's language (else `fallback`, the model's). */
export function settingAllowed(key, fallback) {
  return textOr(`levers.settingAllowed.${key}`, fallback);
}

/** A setting's help, for its tooltip and accessible description. */
export function settingHelp(key) {
  return textOr(`levers.setting.${key}.help`, '');
}

/** A group's heading, Chinese term and one-line blurb (the id as heading when unknown). */
export function groupTexts(id) {
  return {
    title: textOr(`levers.group.${id}.title`, id),
    term: textOr(`levers.group.${id}.term`, ''),
    blurb: textOr(`levers.group.${id}.blurb`, ''),
  };
}

/** A preset's short name in the page's language. */
export function presetLabel(name) {
  return textOr(`levers.preset.${name}.label`, name);
}

/** A preset's explanation: the strings file's, else the model's own (`meta.presets[]`). */
export function presetDescription(preset) {
  if (!preset) return '';
  return textOr(`levers.preset.${preset.name}.description`, preset.description || '');
}
