//! The `mjml` command line as the `mjml` 5 CLI reads it (yargs): the same flags and aliases,
//! `--config.NAME VALUE`, `--config.NAME=VALUE` and `-c.NAME VALUE`, and unknown flags skipped
//! with the value that follows them.

use std::path::PathBuf;

/// Where the MJML comes from, and what is done with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Files and glob patterns to compile (`-r` or bare arguments).
    Read(Vec<String>),
    /// Files and glob patterns to validate only (`-v`).
    Validate(Vec<String>),
    /// Files and glob patterns to watch and compile on every change (`-w`).
    Watch(Vec<String>),
    /// Standard input (`-i`).
    Stdin,
}

/// Where compiled HTML goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Standard output (`-s`, and the default).
    Stdout,
    /// A file, an existing folder, or the current folder when empty (`-o`).
    Path(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationLevel {
    Strict,
    Soft,
    Skip,
}

/// The `--config.*` options, with the meaning `mjml` 5.4.1 gives each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub validation_level: ValidationLevel,
    pub minify: bool,
    /// The `mjml` command beautifies by default; `--config.beautify false` turns it off.
    pub beautify: bool,
    pub keep_comments: bool,
    pub allow_includes: bool,
    /// The file or folder first-level includes resolve against, instead of the file's own.
    pub file_path: Option<PathBuf>,
    /// Further folders includes may read from, relative to the current folder.
    pub include_path: Vec<PathBuf>,
    /// Options accepted for compatibility whose effect Letterpress does not reproduce.
    pub ignored: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            validation_level: ValidationLevel::Soft,
            minify: false,
            beautify: true,
            keep_comments: true,
            allow_includes: false,
            file_path: None,
            include_path: Vec::new(),
            ignored: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub input: Input,
    pub output: Output,
    pub config: Config,
    /// `--noStdoutFileComment`: no `<!-- FILE: … -->` line before each document on stdout.
    pub no_file_comment: bool,
    /// `--root DIR`, Letterpress's own: the folder includes may read from.
    pub root: Option<PathBuf>,
    /// Flags `mjml` does not know, skipped as it skips them, for a warning.
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Run(Invocation),
    Help,
    Version,
}

/// A command line `mjml` refuses too; it exits with status 1 on these.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CommandLineError(pub String);

/// Which of the inputs was given, as `mjml` tells them apart.
#[derive(Default)]
struct Seen {
    read: Vec<String>,
    validate: Vec<String>,
    watch: Vec<String>,
    positional: Vec<String>,
    stdin: bool,
    stdout: bool,
    output: Option<String>,
}

fn truthy(value: &str) -> bool {
    !matches!(value, "false" | "0" | "")
}

pub fn parse(args: &[String]) -> Result<Parsed, CommandLineError> {
    let mut seen = Seen::default();
    let mut config = Config::default();
    let mut no_file_comment = false;
    let mut root = None;
    let mut unknown = Vec::new();
    let mut i = 0;
    // The value after a flag, unless it is the next flag.
    let next_value = |i: &mut usize| -> Option<String> {
        let value = args.get(*i + 1).filter(|v| !v.starts_with('-') || v.as_str() == "-")?;
        *i += 1;
        Some(value.clone())
    };
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            seen.positional.extend(args[i + 1..].iter().cloned());
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            seen.positional.push(arg.clone());
            i += 1;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let config_key = flag.strip_prefix("--config.").or_else(|| flag.strip_prefix("-c."));
        if let Some(key) = config_key {
            let value = inline.or_else(|| next_value(&mut i)).unwrap_or_else(|| "true".into());
            set_config(&mut config, key, &value)?;
            i += 1;
            continue;
        }
        let many = |i: &mut usize, list: &mut Vec<String>| {
            if let Some(value) = &inline {
                list.push(value.clone());
            }
            while let Some(value) = args.get(*i + 1).filter(|v| !v.starts_with('-')) {
                list.push(value.clone());
                *i += 1;
            }
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-V" | "--version" => return Ok(Parsed::Version),
            "-r" | "--read" => many(&mut i, &mut seen.read),
            "-v" | "--validate" => many(&mut i, &mut seen.validate),
            "-w" | "--watch" => many(&mut i, &mut seen.watch),
            "-i" | "--stdin" => seen.stdin = inline.as_deref().is_none_or(truthy),
            "-s" | "--stdout" => seen.stdout = inline.as_deref().is_none_or(truthy),
            "-o" | "--output" => {
                // A string option: with no value it is the empty string, which `mjml` reads as
                // the current folder.
                seen.output = Some(inline.or_else(|| next_value(&mut i)).unwrap_or_default());
            }
            "--noStdoutFileComment" | "--no-stdout-file-comment" => {
                no_file_comment = inline.as_deref().is_none_or(truthy);
            }
            "--sanitizeStyles" => config.ignored.push("sanitizeStyles".into()),
            "--root" => {
                let value = inline
                    .or_else(|| next_value(&mut i))
                    .ok_or_else(|| CommandLineError("`--root` needs a folder".into()))?;
                root = Some(PathBuf::from(value));
            }
            _ => {
                // yargs reads an unknown flag followed by a word as that flag's value.
                let mut shown = arg.clone();
                if inline.is_none()
                    && let Some(value) = next_value(&mut i)
                {
                    shown = format!("{shown} {value}");
                }
                unknown.push(shown);
            }
        }
        i += 1;
    }
    let Seen { read, validate, watch, positional, stdin, stdout, output } = seen;
    let given: Vec<Input> = [
        (!read.is_empty()).then_some(Input::Read(read)),
        (!watch.is_empty()).then_some(Input::Watch(watch)),
        stdin.then_some(Input::Stdin),
        (!positional.is_empty()).then_some(Input::Read(positional)),
        (!validate.is_empty()).then_some(Input::Validate(validate)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let input = match given.len() {
        0 => return Err(CommandLineError("no input argument received".into())),
        1 => given.into_iter().next().unwrap_or(Input::Stdin),
        _ => return Err(CommandLineError("too many input arguments received".into())),
    };
    let output = match (output, stdout) {
        (Some(_), true) => return Err(CommandLineError("too many output arguments received".into())),
        (Some(path), false) => Output::Path(path),
        (None, _) => Output::Stdout,
    };
    Ok(Parsed::Run(Invocation { input, output, config, no_file_comment, root, unknown }))
}

fn json(key: &str, value: &str) -> Result<(), CommandLineError> {
    serde_json::from_str::<serde_json::Value>(value)
        .map(drop)
        .map_err(|_| CommandLineError(format!("failed to decode JSON for `config.{key}` argument")))
}

fn set_config(config: &mut Config, key: &str, value: &str) -> Result<(), CommandLineError> {
    match key {
        "validationLevel" => {
            config.validation_level = match value {
                "strict" => ValidationLevel::Strict,
                "skip" => ValidationLevel::Skip,
                "soft" => ValidationLevel::Soft,
                other => {
                    // mjml-core validates only for `strict` and `soft`; anything else skips.
                    config.ignored.push(format!("validationLevel {other}"));
                    ValidationLevel::Skip
                }
            }
        }
        "minify" => config.minify = truthy(value),
        "beautify" => config.beautify = truthy(value),
        "keepComments" => config.keep_comments = value != "false",
        "allowIncludes" => config.allow_includes = value == "true",
        "filePath" => config.file_path = Some(PathBuf::from(value)),
        "includePath" => {
            // A JSON list of folders, or one folder.
            config.include_path = match serde_json::from_str::<serde_json::Value>(value) {
                Ok(serde_json::Value::Array(items)) => {
                    items.iter().filter_map(|item| item.as_str()).map(PathBuf::from).collect()
                }
                Ok(serde_json::Value::String(one)) => vec![PathBuf::from(one)],
                _ => vec![PathBuf::from(value)],
            }
        }
        // These only tune the minifier and the CSS inliner; the JSON is checked as `mjml` checks
        // it, and the output renders the same without them.
        "minifyOptions" | "juicePreserveTags" | "juiceOptions" => json(key, value)?,
        "fonts" | "templateSyntax" => {
            json(key, value)?;
            config.ignored.push(key.to_owned());
        }
        // Error stacks, mixed template syntax and `.mjmlconfig` options change nothing
        // Letterpress renders.
        "stack" | "allowMixedSyntax" | "useMjmlConfigOptions" => {}
        other => config.ignored.push(other.to_owned()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Invocation {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        match parse(&args) {
            Ok(Parsed::Run(invocation)) => invocation,
            other => panic!("unexpected parse of {line}: {other:?}"),
        }
    }

    #[test]
    fn config_options_in_every_spelling() {
        let a = run("a.mjml --config.minify -o out/");
        assert!(a.config.minify);
        assert_eq!(a.output, Output::Path("out/".into()));
        assert!(run("a.mjml --config.minify=y").config.minify);
        assert!(!run("a.mjml -c.beautify false").config.beautify);
        assert!(run("a.mjml -c.minify true").config.minify);
        let strict = run("--config.validationLevel=strict x.mjml");
        assert_eq!(strict.config.validation_level, ValidationLevel::Strict);
        assert_eq!(strict.input, Input::Read(vec!["x.mjml".into()]));
    }

    #[test]
    fn unknown_flags_take_their_value_and_are_skipped() {
        let a = run("-l strict t.mjml");
        assert_eq!(a.input, Input::Read(vec!["t.mjml".into()]));
        assert_eq!(a.unknown, ["-l strict"]);
    }

    #[test]
    fn inputs_and_outputs_are_exclusive() {
        assert_eq!(run("-r a.mjml b.mjml -o out").input, Input::Read(vec!["a.mjml".into(), "b.mjml".into()]));
        assert_eq!(run("-i -s").input, Input::Stdin);
        assert!(parse(&["-r".into(), "a".into(), "b".into(), "-w".into(), "c".into()]).is_err());
        assert!(parse(&["a".into(), "-s".into(), "-o".into(), "x".into()]).is_err());
        assert!(parse(&[]).is_err());
    }
}
