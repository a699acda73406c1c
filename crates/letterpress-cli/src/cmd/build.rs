//! `letterpress build`: exports compiled templates to folders, in plain files or in the layout of
//! an ESP, or checks that such folders are up to date.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use letterpress_core::{Pipeline, Project};
use letterpress_export::{Change, Format, Plan, Progress, Target};

use super::ProjectArg;
use crate::report::{self, UsageError};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub project: ProjectArg,
    /// Export to this folder instead of the targets in `letterpress.toml` [default format: plain]
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The layout to write; without `--out`, builds only the configured targets of this format
    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = formats())]
    pub format: Option<Format>,
    /// Write nothing; exit 1 if any exported file is missing or stale
    #[arg(long)]
    pub check: bool,
    /// Remove insignificant whitespace between tags in the HTML
    #[arg(long)]
    pub minify: bool,
    /// Accept local image paths in `plain` exports when no `[assets] base_url` applies
    #[arg(long)]
    pub allow_local_images: bool,
    /// Also list the files that are already up to date
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Replace files in the target folder that no export wrote, taking them over
    #[arg(long)]
    pub force: bool,
    /// Build, then build again whenever a file of the project changes, until interrupted
    #[arg(long, short = 'w', conflicts_with = "check")]
    pub watch: bool,
}

/// Above this many templates, progress is printed even when standard error is not a terminal,
/// so a long build in CI shows signs of life.
const LARGE_PROJECT: usize = 20;

pub fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let project = args.project.load()?;
    let targets = targets(args, &project)?;
    let pipeline = Pipeline::default();
    let status = build(args, &project, &pipeline, &targets);
    if !args.watch {
        return Ok(status);
    }
    watch(args, project.root.clone(), &pipeline, &targets)
}

/// `--watch`: builds again after each change to the project, reloading it first so that new,
/// renamed and deleted templates and a changed `letterpress.toml` count. Only changed files are
/// rewritten, as in any build; writes into a target inside the project are not changes to it.
fn watch(args: &BuildArgs, root: PathBuf, pipeline: &Pipeline, targets: &[Target]) -> anyhow::Result<ExitCode> {
    use letterpress_watch::{DEFAULT_DEBOUNCE, ProjectWatcher, WatchEvent};
    let (sender, receiver) = std::sync::mpsc::channel();
    let _watcher = ProjectWatcher::start(&root, DEFAULT_DEBOUNCE, move |event| {
        let _ = sender.send(event);
    })
    .with_context(|| format!("cannot watch `{}`", root.display()))?;
    let outs: Vec<PathBuf> =
        targets.iter().map(|t| std::path::absolute(&t.out).unwrap_or_else(|_| t.out.clone())).collect();
    report::note(&format!("watching `{}` for changes; press Ctrl+C to stop", root.display()));
    for event in receiver {
        let relevant = match &event {
            WatchEvent::Changes(changes) => changes.iter().any(|c| !outs.iter().any(|out| c.path.starts_with(out))),
            WatchEvent::Rescan => true,
            WatchEvent::Error(message) => {
                report::note(&format!("warning: watching failed: {message}"));
                false
            }
        };
        if !relevant {
            continue;
        }
        match Project::load(&root) {
            Ok(project) => {
                let targets = match targets_again(args, &project, targets) {
                    Some(targets) => targets,
                    None => continue,
                };
                build(args, &project, pipeline, &targets);
            }
            Err(error) => {
                report::failure(&anyhow::Error::new(error));
            }
        }
    }
    Ok(ExitCode::from(report::OK))
}

/// The targets for a rebuild: the same folder when one was named, else those configured now.
fn targets_again(args: &BuildArgs, project: &Project, before: &[Target]) -> Option<Vec<Target>> {
    if args.out.is_some() {
        return Some(before.to_vec());
    }
    match targets(args, project) {
        Ok(targets) => Some(targets),
        Err(error) => {
            report::failure(&error);
            None
        }
    }
}

/// Builds (or checks) every target once; the exit status says how it went.
fn build(args: &BuildArgs, project: &Project, pipeline: &Pipeline, targets: &[Target]) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut failed = false;
    let mut usage = false;
    for target in targets {
        let shown = display(&target.out, &cwd);
        let mut progress = ProgressLine::new(project.templates.len());
        let plan = letterpress_export::plan(project, pipeline, target, |step| progress.show(step));
        progress.finish();
        let plan = match plan {
            Ok(plan) => plan,
            Err(error) => {
                // A target that is a file or lies among the project's sources is a mistake in the
                // command or the configuration, not a problem in the templates.
                let error = anyhow::Error::new(error).context(format!("cannot export to `{shown}`"));
                report::failure(&error);
                if report::is_usage(&error) {
                    usage = true;
                } else {
                    failed = true;
                }
                continue;
            }
        };
        failed |= report_templates(&plan);
        if plan.blocked {
            let what = if args.check { "cannot check" } else { "nothing was written to" };
            report::note(&format!("{what} `{shown}`: templates refer to local images that cannot be published"));
            failed = true;
            continue;
        }
        if args.check {
            failed |= !check(&plan, &shown);
        } else {
            if !plan.conflicts.is_empty() && !args.force {
                report::note(&format!(
                    "nothing was written to `{shown}`: it holds {} that no export wrote, or that changed since:",
                    report::plural(plan.conflicts.len(), "file")
                ));
                for path in &plan.conflicts {
                    report::note(&format!("  {}", report::escape(path)));
                }
                report::note("move them away, or pass `--force` to replace them and take them over");
                failed = true;
                continue;
            }
            summarize(&plan, &shown, args.verbose);
            if plan.is_up_to_date() {
                continue;
            }
            let mut progress = ProgressLine::new(plan.pending().count());
            let applied = letterpress_export::apply(&plan, |step| progress.show(step));
            progress.finish();
            match applied {
                Ok(applied) => {
                    report::note(&format!("wrote {} to `{shown}`", report::plural(applied.written.len(), "file")))
                }
                Err(error) => {
                    report::failure(&anyhow::Error::new(error).context(format!("cannot export to `{shown}`")));
                    failed = true;
                }
            }
        }
    }
    ExitCode::from(if usage {
        report::USAGE
    } else if failed {
        report::PROBLEMS
    } else {
        report::OK
    })
}

/// The targets to build: the one named on the command line, or those configured in
/// `letterpress.toml`, optionally only those of one format.
fn targets(args: &BuildArgs, project: &Project) -> anyhow::Result<Vec<Target>> {
    if let Some(out) = &args.out {
        let format = args.format.unwrap_or(Format::Plain);
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let mut target = Target::in_folder(format, out, &cwd)?;
        target.minify = args.minify;
        target.allow_local_images = args.allow_local_images;
        target.force = args.force;
        return Ok(vec![target]);
    }
    let config_errors: Vec<_> = project
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.file == letterpress_core::config::FILE_NAME)
        .cloned()
        .collect();
    if !config_errors.is_empty() {
        report::diagnostics(&config_errors);
        anyhow::bail!("cannot read the export targets from `{}`", letterpress_core::config::FILE_NAME);
    }
    let configured = letterpress_export::configured(project).map_err(|error| UsageError(error.to_string()))?;
    let mut targets = Vec::new();
    for mut target in configured {
        target.minify |= args.minify;
        target.allow_local_images = args.allow_local_images;
        target.force = args.force;
        if args.format.is_none_or(|f| f == target.format) {
            targets.push(target);
        }
    }
    if targets.is_empty() {
        let message = match args.format {
            Some(format) => format!(
                "`{}` configures no `{format}` export; pass `--out DIR` to choose a folder",
                letterpress_core::config::FILE_NAME
            ),
            None => format!(
                "nothing to build: `{}` configures no export targets; pass `--out DIR`, or add one such as\n\n[[export]]\nformat = \"plain\"\nout = \"dist\"",
                letterpress_core::config::FILE_NAME
            ),
        };
        return Err(UsageError(message).into());
    }
    Ok(targets)
}

/// Prints the diagnostics of templates left out, and of those exported the warnings about local
/// images and the notes. Returns whether any template was left out.
fn report_templates(plan: &Plan) -> bool {
    let mut failed = false;
    for template in &plan.templates {
        if !template.exported {
            report::diagnostics(&template.diagnostics);
            report::note(&format!("template `{}` has errors and was not exported", template.name));
            failed = true;
        } else {
            // Other warnings (lints) belong to `letterpress check`; these concern the export itself.
            let images: Vec<_> =
                template.diagnostics.iter().filter(|d| letterpress_export::is_image_problem(d)).cloned().collect();
            if !images.is_empty() {
                report::diagnostics(&images);
                report::note(&format!("template `{}` was exported with local image paths", template.name));
            }
        }
        for note in &template.notes {
            report::note(&format!("note: template `{}` {note}", template.name));
        }
    }
    failed
}

/// Prints what building will change, before anything is written.
fn summarize(plan: &Plan, shown: &str, verbose: bool) {
    let counts = plan.counts();
    if plan.is_up_to_date() && !verbose {
        report::note(&format!(
            "`{shown}` ({}) is up to date: {}",
            plan.target.format,
            report::plural(plan.files.len(), "file")
        ));
        return;
    }
    report::note(&format!(
        "`{shown}` ({}): {} to create, {} to update, {} unchanged",
        plan.target.format, counts.created, counts.updated, counts.unchanged
    ));
    for file in &plan.files {
        let verb = match file.change {
            Change::Created => "create",
            Change::Updated => "update",
            Change::Unchanged if verbose => "unchanged",
            Change::Unchanged => continue,
        };
        report::note(&format!("  {verb:<9} {} ({})", report::escape(&file.path), size(file.bytes)));
    }
    for leftover in &plan.leftovers {
        report::note(&format!("  remove    {} (left by an interrupted export)", report::escape(leftover)));
    }
    if let Some(note) = plan.target.format.upload_note() {
        report::note(&format!("note: {note}"));
    }
}

/// Lists missing and stale files on standard output. Returns whether the target is up to date.
fn check(plan: &Plan, shown: &str) -> bool {
    let mut out = std::io::stdout().lock();
    let (mut missing, mut stale) = (0, 0);
    for file in plan.pending() {
        let label = if file.change == Change::Created {
            missing += 1;
            "missing"
        } else {
            stale += 1;
            "stale"
        };
        let _ = writeln!(out, "{label}: {shown}/{}", report::escape(&file.path));
    }
    for leftover in &plan.leftovers {
        stale += 1;
        let _ = writeln!(out, "leftover: {shown}/{}", report::escape(leftover));
    }
    let _ = out.flush();
    if missing + stale == 0 {
        report::note(&format!(
            "`{shown}` ({}) is up to date: {}",
            plan.target.format,
            report::plural(plan.files.len(), "file")
        ));
        true
    } else {
        report::note(&format!(
            "`{shown}` ({}) is out of date: {missing} missing, {stale} stale; run `letterpress build` to update it",
            plan.target.format
        ));
        false
    }
}

/// Shows progress on one rewritten line when standard error is a terminal, and as occasional
/// lines while compiling large projects when it is not; writing is quick and needs none.
struct ProgressLine {
    terminal: bool,
    large: bool,
    drawn: bool,
}

impl ProgressLine {
    fn new(total: usize) -> Self {
        ProgressLine { terminal: std::io::stderr().is_terminal(), large: total >= LARGE_PROJECT, drawn: false }
    }

    fn show(&mut self, step: Progress<'_>) {
        let (verb, done, total, name) = match step {
            Progress::Compiling { done, total, template } => ("compiling", done, total, template),
            Progress::Writing { done, total, path } => ("writing", done, total, path),
        };
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K[{}/{total}] {verb} {name}", done + 1);
            let _ = err.flush();
            self.drawn = true;
        } else if self.large && verb == "compiling" && done % 10 == 0 {
            let _ = writeln!(err, "[{}/{total}] {verb} {name}", done + 1);
        }
    }

    fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

/// A folder for messages: relative to the current folder when inside it.
fn display(path: &Path, cwd: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let shown = match absolute.strip_prefix(cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        Ok(_) => PathBuf::from("."),
        Err(_) => path.to_path_buf(),
    };
    report::escape(&shown.to_string_lossy().replace('\\', "/"))
}

fn size(bytes: u64) -> String {
    if bytes < 1024 { format!("{bytes} B") } else { format!("{:.1} KB", bytes as f64 / 1024.0) }
}

/// The `--format` values, each with what it is for, from the table of formats.
fn formats() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(|f| PossibleValue::new(f.as_str()).help(f.info().description)))
        .map(|name| name.parse::<Format>().unwrap_or(Format::Plain))
}
