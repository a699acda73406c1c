//! `letterpress compile`: MJML files to HTML, a drop-in for the `mjml` 5 command. It reads the
//! same command lines (see [`args`]), writes the same files under the same names, frames standard
//! output the same way and exits with the same statuses; where Letterpress is stricter it says so
//! on stderr and still does what `mjml` does.

mod args;
mod includes;
mod output;
mod watch;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use letterpress_core::compile::{self, DiskReader, Limits, Reader, SourceFile};
use letterpress_core::{Diagnostic, Severity};

use crate::report;
use args::{CommandLineError, Input, Invocation, Parsed, ValidationLevel};

/// The `mjml` release whose command line this one follows.
pub const MJML_VERSION: &str = "5.4.1";

/// Exit status of `mjml` when some files failed to compile and others did not.
const SOME_FAILED: u8 = 2;

#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true, disable_version_flag = true)]
pub struct CompileArgs {
    /// The `mjml` command line: files or glob patterns, `-r`, `-w`, `-v`, `-i`, `-o`, `-s`,
    /// `--config.NAME VALUE`; `--help` lists them
    #[arg(value_name = "ARGS", trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub args: Vec<String>,
}

const HELP: &str = "\
Compile MJML files to HTML, like the `mjml` 5 command

Usage: letterpress compile [FILE|GLOB...] [OPTIONS]

Inputs (one kind at a time):
  FILE|GLOB...             Compile these files; quoted glob patterns are expanded
  -r, --read FILE...       The same
  -i, --stdin              Compile MJML read from standard input
  -v, --validate FILE...   Only validate; exit 1 if any file has a problem
  -w, --watch FILE...      Compile, then compile again whenever a file or an include changes

Outputs:
  -s, --stdout             Write to standard output (the default), each document after a
                           `<!-- FILE: name -->` line
      --noStdoutFileComment
                           Leave out the `<!-- FILE: name -->` lines
  -o, --output PATH        Write to this file, or into this existing folder as NAME.html

Options:
  --config.validationLevel strict|soft|skip
                           strict: a file with problems fails; soft (default): problems are
                           printed; skip: nothing is checked
  --config.minify [true]   Minify the HTML
  --config.beautify false  Do not lay the HTML out (on by default)
  --config.keepComments false
                           Leave out HTML comments (Outlook's conditional comments stay)
  --config.allowIncludes true
                           Expand `mj-include` (left out otherwise, as `mjml` 5 does)
  --config.filePath PATH   Resolve the file's includes from this file or folder
  --config.includePath DIR|[DIR...]
                           Further folders includes may read from
  --config.minifyOptions, --config.juicePreserveTags, --config.juiceOptions JSON
                           Accepted; the output renders the same without them
  -c.NAME VALUE            Short for --config.NAME VALUE
  --root DIR               The folder includes may read from (Letterpress's own option)
  -V, --version            Print the `mjml` version this command follows
  -h, --help               Print this help

Unknown options are skipped with a warning, as `mjml` skips them.
";

pub fn run(args: &CompileArgs) -> anyhow::Result<ExitCode> {
    let invocation = match args::parse(&args.args) {
        Ok(Parsed::Run(invocation)) => invocation,
        Ok(Parsed::Help) => {
            print!("{HELP}");
            return Ok(ExitCode::SUCCESS);
        }
        Ok(Parsed::Version) => {
            // Wrappers read the `mjml-core:` line to learn which MJML they drive.
            println!("mjml-core: {MJML_VERSION}\nmjml-cli: {MJML_VERSION}\nletterpress: {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Err(error) => return Ok(command_line_error(&error)),
    };
    for flag in &invocation.unknown {
        report::note(&format!(
            "warning: `mjml` does not know the option `{flag}`; it is ignored, as `mjml` ignores it"
        ));
    }
    for option in &invocation.config.ignored {
        report::note(&format!("warning: `--config.{option}` has no effect in Letterpress; it is ignored"));
    }
    match &invocation.input {
        Input::Watch(patterns) => watch::run(patterns, &invocation),
        Input::Validate(patterns) => validate(patterns, &invocation),
        Input::Read(patterns) => {
            let files = expand(patterns);
            if files.is_empty() {
                return Ok(command_line_error(&CommandLineError("no input files found".into())));
            }
            let sources = files.into_iter().map(Source::File).collect();
            compile_all(sources, &invocation)
        }
        Input::Stdin => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
            compile_all(vec![Source::Stdin(text)], &invocation)
        }
    }
}

/// Reports a command line `mjml` refuses too, with its status.
fn command_line_error(error: &CommandLineError) -> ExitCode {
    report::note(&format!("error: {error}"));
    ExitCode::from(report::PROBLEMS)
}

/// The files that file arguments and quoted glob patterns name, in order. `mjml` expands
/// patterns itself and quietly drops a name that matches nothing; Letterpress says so.
pub(crate) fn expand(patterns: &[String]) -> Vec<String> {
    let mut files = Vec::new();
    for pattern in patterns {
        if pattern == "-" {
            files.push(pattern.clone());
            continue;
        }
        let before = files.len();
        let has_magic = pattern.contains(['*', '?', '[']);
        if has_magic {
            if let Ok(paths) = glob::glob(pattern) {
                files.extend(paths.flatten().filter(|p| p.is_file()).map(|p| p.display().to_string()));
            }
        } else if Path::new(pattern).is_file() {
            files.push(pattern.clone());
        }
        if files.len() == before {
            report::note(&format!("warning: `{pattern}` names no file; it is skipped, as `mjml` skips it"));
        }
    }
    files
}

enum Source {
    File(String),
    Stdin(String),
}

/// One compiled input, as the `mjml` command keeps it.
struct Converted {
    /// The name `mjml` shows: the argument as given, or `undefined` for standard input.
    file: String,
    html: String,
}

/// One document compiled: its HTML, `None` when it failed, the files it was read from, and what
/// is to be said about it. Documents compile side by side; what they say is printed afterwards,
/// in the order of the inputs (see [`Outcome::report`]).
struct Outcome {
    html: Option<String>,
    files: Vec<PathBuf>,
    /// Why the file could not be read.
    unreadable: Option<String>,
    /// The compiler's diagnostics, and whether the validation level shows them.
    diagnostics: Vec<Diagnostic>,
    shown: bool,
    root_given: bool,
    /// Whether `mj-include` tags were left out because includes are off.
    includes_left_out: bool,
}

impl Outcome {
    /// Prints what compiling the document found on stderr.
    fn report(&self) {
        if let Some(message) = &self.unreadable {
            report::note(message);
        }
        if self.shown {
            report::diagnostics(&self.diagnostics);
        }
        includes::explain_refusals(&self.diagnostics, self.root_given);
    }
}

/// Compiles one document with the `--config.*` options applied.
fn compile_one(source: &Source, invocation: &Invocation) -> anyhow::Result<Outcome> {
    let config = &invocation.config;
    let (display, path, text) = match source {
        Source::Stdin(text) => {
            let cwd = std::env::current_dir().context("cannot find the current folder")?;
            ("<stdin>".to_owned(), cwd.join("stdin.mjml"), text.clone())
        }
        Source::File(name) if name == "-" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
            let cwd = std::env::current_dir().context("cannot find the current folder")?;
            ("<stdin>".to_owned(), cwd.join("stdin.mjml"), text)
        }
        Source::File(name) => match DiskReader.read_to_string(Path::new(name)) {
            Ok(text) => (name.clone(), PathBuf::from(name), text),
            Err(error) => {
                return Ok(Outcome {
                    html: None,
                    files: vec![PathBuf::from(name)],
                    unreadable: Some(format!("error: cannot read `{name}`: {error}")),
                    diagnostics: Vec::new(),
                    shown: false,
                    root_given: invocation.root.is_some(),
                    includes_left_out: false,
                });
            }
        },
    };
    let resolve_from = includes::resolution_path(&path, config);
    let has_includes = compile::include::may_include(&text);
    let includes_left_out = !config.allow_includes && has_includes;
    let text = if includes_left_out { includes::left_out(&text) } else { text };
    // The folder includes may read from is looked for only when there is an include to read.
    let root = if has_includes && config.allow_includes {
        includes::root(&resolve_from, invocation.root.as_deref(), config)
    } else {
        resolve_from.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let compiled =
        compile::compile_source(SourceFile::new(display, resolve_from, &text), &root, &DiskReader, Limits::default());
    let level = config.validation_level;
    // `mjml` does not validate in skip mode; only what stops the file is worth saying.
    let shown = !(level == ValidationLevel::Skip && compiled.html.is_some());
    let strict_failure = level == ValidationLevel::Strict
        && compiled.diagnostics.iter().any(|d| d.is_error() || d.severity == Severity::Warning);
    let files = compiled.files.iter().map(|file| file.path.clone()).collect();
    let html = match compiled.html {
        Some(html) if !strict_failure => Some(output::finish(html, config)),
        _ => None,
    };
    Ok(Outcome {
        html,
        files,
        unreadable: None,
        diagnostics: compiled.diagnostics,
        shown,
        root_given: invocation.root.is_some(),
        includes_left_out,
    })
}

fn compile_all(sources: Vec<Source>, invocation: &Invocation) -> anyhow::Result<ExitCode> {
    let mut converted = Vec::new();
    let mut failed = 0;
    let outcomes = letterpress_core::parallel::map(&sources, |source| compile_one(source, invocation));
    let outcomes = outcomes.into_iter().collect::<anyhow::Result<Vec<Outcome>>>()?;
    let left_out: Vec<&str> = sources
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| outcome.includes_left_out)
        .map(|(source, _)| match source {
            Source::File(name) if name != "-" => name.as_str(),
            _ => "<stdin>",
        })
        .collect();
    includes::warn_disabled(&left_out);
    for (source, outcome) in sources.iter().zip(outcomes) {
        outcome.report();
        match outcome.html {
            Some(html) => converted.push(Converted {
                file: match source {
                    Source::File(name) if name != "-" => name.clone(),
                    _ => "undefined".to_owned(),
                },
                html,
            }),
            None => failed += 1,
        }
    }
    if converted.is_empty() {
        return Ok(command_line_error(&CommandLineError("input file(s) failed to render".into())));
    }
    let status = if failed > 0 { SOME_FAILED } else { report::OK };
    match &invocation.output {
        args::Output::Stdout => output::to_stdout(&converted, !invocation.no_file_comment)?,
        args::Output::Path(path) => {
            if let Err(error) = output::to_path(&converted, sources.len(), path) {
                return Ok(command_line_error(&error));
            }
        }
    }
    Ok(ExitCode::from(status))
}

/// `-v`: validates each file and writes nothing; status 1 when any has a problem.
fn validate(patterns: &[String], invocation: &Invocation) -> anyhow::Result<ExitCode> {
    let files = expand(patterns);
    if files.is_empty() {
        return Ok(command_line_error(&CommandLineError("no input files found".into())));
    }
    let mut invalid = false;
    let found = letterpress_core::parallel::map(&files, |file| {
        let path = PathBuf::from(file);
        let root = includes::root(&path, invocation.root.as_deref(), &invocation.config);
        compile::compile_file(&path, file, &root, &DiskReader, Limits::default()).diagnostics
    });
    for diagnostics in found {
        report::diagnostics(&diagnostics);
        invalid |= !diagnostics.is_empty();
    }
    if invalid {
        return Ok(command_line_error(&CommandLineError("validation failed".into())));
    }
    Ok(ExitCode::SUCCESS)
}

/// What one compile in `--watch` did: whether it wrote the output, and the files it read.
pub(crate) struct WatchOutcome {
    pub written: bool,
    pub files: Vec<PathBuf>,
}

/// Compiles `file` for `--watch` and writes it where `-o` says; problems go to stderr.
pub(crate) fn compile_for_watch(file: &str, invocation: &Invocation) -> anyhow::Result<WatchOutcome> {
    let outcome = compile_one(&Source::File(file.to_owned()), invocation)?;
    outcome.report();
    let Outcome { html, files, .. } = outcome;
    let Some(html) = html else {
        return Ok(WatchOutcome { written: false, files });
    };
    let converted = [Converted { file: file.to_owned(), html }];
    match &invocation.output {
        // Watching without `-o`, `mjml` writes NAME.html into the current folder.
        args::Output::Stdout => output::to_path(&converted, 1, "")?,
        args::Output::Path(path) => output::to_path(&converted, 1, path)?,
    }
    Ok(WatchOutcome { written: true, files })
}
