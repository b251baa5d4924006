//! A mistake on the command line as one line: what is wrong, the key, and the allowed values,
//! with clap's suggestion for a mistyped name in brackets. Clap's own message spans several
//! lines (a usage block and tips), and the contract is one line, so it is rebuilt here from
//! the parts clap records on the error.

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use consortium_sim::SimError;
use std::error::Error;
use std::ffi::OsString;

/// The line to print after `error: ` for `err`, raised by `root` parsing `argv`.
pub fn message(err: &clap::Error, root: &Command, argv: &[OsString]) -> String {
    // The command at fault: the subcommand named first, else the program itself.
    let cmd = argv.get(1).and_then(|name| root.find_subcommand(name)).unwrap_or(root);
    let text = |kind| text(err, kind).unwrap_or_default();
    let hint = hint(err);
    match err.kind() {
        ErrorKind::ValueValidation => match err.source() {
            Some(source) => source.to_string(),
            None => fallback(err),
        },
        ErrorKind::InvalidValue => {
            let option = flag(&text(ContextKind::InvalidArg));
            let allowed = allowed(err, cmd, &option);
            match text(ContextKind::InvalidValue) {
                value if value.is_empty() => format!("missing value for '{option}': allowed values are {allowed}"),
                value => {
                    let key = option.trim_start_matches('-').to_lowercase();
                    format!("invalid value '{value}' for '{key}'{hint}: allowed values are {allowed}")
                }
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let option = flag(&text(ContextKind::InvalidArg));
            format!("missing option '{option}': allowed values are {}", allowed(err, cmd, &option))
        }
        ErrorKind::UnknownArgument if std::ptr::eq(cmd, root) && !text(ContextKind::InvalidArg).starts_with('-') => {
            unknown_command(&text(ContextKind::InvalidArg), &hint, root)
        }
        ErrorKind::InvalidSubcommand => unknown_command(&text(ContextKind::InvalidSubcommand), &hint, root),
        ErrorKind::UnknownArgument => {
            let arg = text(ContextKind::InvalidArg);
            let options: Vec<String> = cmd
                .get_arguments()
                .filter(|a| !a.is_positional() && !a.is_hide_set())
                .filter_map(|a| a.get_long())
                .map(|long| format!("--{long}"))
                .collect();
            if std::ptr::eq(cmd, root) {
                let all = options.join(", ");
                format!("unknown option '{arg}'{hint}: allowed options are {all}, or a command and its options")
            } else if options.iter().all(|o| o == "--help") {
                format!("unexpected argument '{arg}': this command takes no options")
            } else {
                let what = if arg.starts_with('-') { "unknown option" } else { "unexpected argument" };
                format!("{what} '{arg}'{hint}: allowed options are {}", options.join(", "))
            }
        }
        ErrorKind::MissingSubcommand => {
            format!("missing command: allowed commands are {} (see --help)", commands(root))
        }
        _ => fallback(err),
    }
}

fn unknown_command(name: &str, hint: &str, root: &Command) -> String {
    format!("unknown command '{name}'{hint}: allowed commands are {}", commands(root))
}

fn commands(root: &Command) -> String {
    let names: Vec<&str> = root.get_subcommands().map(Command::get_name).filter(|n| *n != "help").collect();
    names.join(", ")
}

/// `--format` of `--format <FORMAT>`; `shell` of `<SHELL>`.
fn flag(arg: &str) -> String {
    let name = arg.split_whitespace().next().unwrap_or(arg);
    if name.starts_with('-') { name.to_string() } else { name.trim_matches(['<', '>']).to_lowercase() }
}

/// The allowed values of `option`: the choices clap lists, or else what the option's own
/// parser says when handed an empty value, so an option's values are stated in one place.
fn allowed(err: &clap::Error, cmd: &Command, option: &str) -> String {
    let choices = texts(err, ContextKind::ValidValue);
    if !choices.is_empty() {
        return choices.join(", ");
    }
    let empty = if option.starts_with('-') { format!("{option}=") } else { String::new() };
    let probe = cmd.clone().try_get_matches_from([cmd.get_name(), &empty]).err();
    match probe {
        Some(e) if e.kind() == ErrorKind::InvalidValue => texts(&e, ContextKind::ValidValue).join(", "),
        Some(e) => match e.source().and_then(|s| s.downcast_ref::<SimError>()) {
            Some(SimError::InvalidValue { allowed, .. } | SimError::UnknownKey { allowed, .. }) => allowed.clone(),
            Some(SimError::UnknownPreset { allowed, .. }) => allowed.clone(),
            None => "a value".to_string(),
        },
        None => "a value".to_string(),
    }
}

/// Clap's suggestions, as ` (did you mean '--seed'?)`, or nothing.
fn hint(err: &clap::Error) -> String {
    let mut hints: Vec<String> =
        [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
            .into_iter()
            .flat_map(|kind| texts(err, kind))
            .map(|s| format!("did you mean '{s}'?"))
            .collect();
    hints.extend(texts(err, ContextKind::Suggested));
    if hints.is_empty() { String::new() } else { format!(" ({})", hints.join("; ")) }
}

/// Clap's own message, less its usage block, with its tips on the same line.
fn fallback(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default().trim_start_matches("error: ").to_string();
    let tips: Vec<&str> = lines.filter_map(|l| l.strip_prefix("tip: ")).collect();
    if tips.is_empty() { first } else { format!("{first} ({})", tips.join("; ")) }
}

fn text(err: &clap::Error, kind: ContextKind) -> Option<String> {
    texts(err, kind).into_iter().next()
}

fn texts(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}
