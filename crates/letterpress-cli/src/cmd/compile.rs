//! `letterpress compile`: MJML files to HTML, a drop-in for the `mjml` command.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use letterpress_core::compile::{self, DiskReader, Limits, SourceFile};
use letterpress_core::{Diagnostic, Severity};

use crate::report::{self, UsageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidationLevel {
    /// Warnings fail the file
    Strict,
    /// Warnings are printed; the file still compiles
    Soft,
    /// Warnings are not printed
    Skip,
}

#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// MJML files to compile (`-` reads standard input)
    #[arg(value_name = "FILE", required_unless_present = "stdin")]
    pub files: Vec<PathBuf>,
    /// Read MJML from standard input
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// Write to this file (one input) or folder (several inputs) instead of standard output
    #[arg(short = 'o', long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Write to standard output (the default without `--output`)
    #[arg(short = 's', long, conflicts_with = "output")]
    pub stdout: bool,
    /// The folder `mj-include` may read from [default: the nearest folder above the file holding
    /// `letterpress.toml`, else the current folder if the file is inside it, else the file's folder]
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// How warnings are treated
    #[arg(long = "config.validationLevel", value_enum, default_value = "soft", value_name = "LEVEL")]
    pub validation_level: ValidationLevel,
}

/// The folder includes of `file` may read from when `--root` is not given.
fn default_root(file: &Path) -> PathBuf {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let parent = file.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Some(project) = parent.ancestors().find(|dir| dir.join(letterpress_core::config::FILE_NAME).is_file()) {
        return project.to_path_buf();
    }
    match std::env::current_dir() {
        Ok(cwd) if file.starts_with(&cwd) => cwd,
        _ => parent,
    }
}

struct Input {
    display: String,
    path: PathBuf,
    stem: String,
    source: Option<String>,
}

pub fn run(args: &CompileArgs) -> anyhow::Result<ExitCode> {
    let mut inputs: Vec<Input> = Vec::new();
    let stdin_requested = args.stdin || args.files.iter().any(|f| f.as_os_str() == "-");
    if stdin_requested {
        let mut source = String::new();
        std::io::stdin().read_to_string(&mut source).context("cannot read standard input")?;
        let cwd = std::env::current_dir().context("cannot find the current folder")?;
        inputs.push(Input {
            display: "<stdin>".into(),
            path: cwd.join("stdin.mjml"),
            stem: "stdin".into(),
            source: Some(source),
        });
    }
    for file in args.files.iter().filter(|f| f.as_os_str() != "-") {
        let stem = file.file_stem().map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
        inputs.push(Input { display: file.display().to_string(), path: file.clone(), stem, source: None });
    }
    let destination = Destination::choose(args.output.as_deref(), inputs.len())?;
    if let Destination::Folder(folder) = &destination {
        refuse_collisions(&inputs, folder)?;
    }

    let mut failed = false;
    let mut stdout = std::io::stdout().lock();
    for input in &inputs {
        let root = match &args.root {
            Some(root) => root.clone(),
            None => default_root(&input.path),
        };
        let compiled = match &input.source {
            Some(source) => compile::compile_source(
                SourceFile::new(input.display.clone(), input.path.clone(), source),
                &root,
                &DiskReader,
                Limits::default(),
            ),
            None => compile::compile_file(&input.path, &input.display, &root, &DiskReader, Limits::default()),
        };
        let shown: Vec<Diagnostic> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error || args.validation_level != ValidationLevel::Skip)
            .cloned()
            .collect();
        report::diagnostics(&shown);
        // Like `mjml` in soft mode, what could be compiled is still written, but errors fail the run.
        if compiled.has_errors() {
            failed = true;
        }
        let strict_failure = args.validation_level == ValidationLevel::Strict && !compiled.diagnostics.is_empty();
        let html = match compiled.html {
            Some(html) if !strict_failure => html,
            _ => {
                failed = true;
                continue;
            }
        };
        match &destination {
            Destination::Stdout => {
                stdout.write_all(html.as_bytes()).context("cannot write to standard output")?;
                stdout.write_all(b"\n").context("cannot write to standard output")?;
            }
            Destination::File(path) => write_file(path, &html)?,
            Destination::Folder(folder) => write_file(&folder.join(format!("{}.html", input.stem)), &html)?,
        }
    }
    stdout.flush().context("cannot write to standard output")?;
    Ok(ExitCode::from(if failed { report::PROBLEMS } else { report::OK }))
}

enum Destination {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

impl Destination {
    /// Where the output goes. Nothing is created yet, so that a refusal writes nothing.
    fn choose(output: Option<&Path>, inputs: usize) -> anyhow::Result<Destination> {
        let Some(output) = output else { return Ok(Destination::Stdout) };
        let names_folder = output.is_dir() || output.as_os_str().to_string_lossy().ends_with(['/', '\\']);
        if inputs > 1 || names_folder {
            if output.exists() && !output.is_dir() {
                return Err(UsageError(format!(
                    "`{}` is a file, but several inputs need a folder to write into",
                    output.display()
                ))
                .into());
            }
            Ok(Destination::Folder(output.to_path_buf()))
        } else {
            Ok(Destination::File(output.to_path_buf()))
        }
    }
}

/// Refuses inputs that would be written to the same file in `folder`, such as
/// `a/template.mjml` and `b/template.mjml`: the second would silently replace the first. Names
/// differing only in case count as the same, as they are on the file systems of macOS and
/// Windows.
fn refuse_collisions(inputs: &[Input], folder: &Path) -> anyhow::Result<()> {
    let mut seen: std::collections::HashMap<String, &Input> = std::collections::HashMap::new();
    for input in inputs {
        if let Some(first) = seen.insert(input.stem.to_lowercase(), input) {
            return Err(UsageError(format!(
                "`{}` and `{}` would both be written to `{}`; compile them into separate folders",
                first.display,
                input.display,
                folder.join(format!("{}.html", input.stem)).display()
            ))
            .into());
        }
    }
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create folder `{}`", folder.display()))
}

fn write_file(path: &Path, html: &str) -> anyhow::Result<()> {
    std::fs::write(path, html).with_context(|| format!("cannot write `{}`", path.display()))
}
