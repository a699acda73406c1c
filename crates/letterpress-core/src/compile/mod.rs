//! Compiles MJML to HTML: expands includes, bounds the input, runs mrml where a panic cannot take
//! the process down, and reports every problem as a diagnostic in the file it came from.

pub mod compat;
mod depth;
pub mod include;
pub mod lint;
pub mod markers;
pub mod source;
pub mod validate;
pub mod walk;

use std::path::Path;
use std::sync::Once;
use std::thread::LocalKey;

use mrml::prelude::parser::{Error as ParseError, ParserOptions, Warning};
use mrml::prelude::render::RenderOptions;

pub use include::Limits;
pub use source::{DiskReader, Overlay, ReadError, Reader, SourceFile, read_confined};

use crate::diagnostic::{Code, Diagnostic, LineIndex};
use include::Expansion;

/// The result of compiling one MJML document: the HTML it could make, if any, and its problems.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub html: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files that took part: the document first, then the files it includes.
    pub files: Vec<SourceFile>,
    /// Warnings about accessibility and deliverability (see [`lint`]), kept apart from
    /// `diagnostics` because the `mjml`-compatible `compile` command does not report them; found
    /// only when the checks are asked for (see [`compile_with`]).
    pub lints: Vec<Diagnostic>,
    /// The HTML compiled from a copy of the document with source markers (see [`markers`]), when
    /// asked for; only checks and the preview read it.
    pub marked: Option<Marked>,
}

/// Compiled HTML whose elements say where they were written.
#[derive(Debug, Clone)]
pub struct Marked {
    pub html: String,
    /// Where the element of each marker starts: `places[N]` for the comment `<!--lp-src:N-->`.
    pub places: Vec<Place>,
}

/// The start tag of an element in a source file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Place {
    pub file: String,
    pub start: crate::diagnostic::Position,
    pub end: crate::diagnostic::Position,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compiles the MJML file at `path`. Includes may reach any file under `root`; `display` is the
/// name diagnostics use for the file itself.
pub fn compile_file(path: &Path, display: &str, root: &Path, reader: &dyn Reader, limits: Limits) -> Compiled {
    match reader.read_to_string(path) {
        Ok(raw) => compile_source(SourceFile::new(display.to_owned(), path.to_path_buf(), &raw), root, reader, limits),
        Err(error) => Compiled {
            html: None,
            diagnostics: vec![source::ReadError::from(error).diagnostic(display)],
            files: Vec::new(),
            lints: Vec::new(),
            marked: None,
        },
    }
}

/// Compiles an MJML document already in memory.
pub fn compile_source(file: SourceFile, root: &Path, reader: &dyn Reader, limits: Limits) -> Compiled {
    compile_with(file, root, reader, limits, false)
}

/// Compiles an MJML document, and when `markers` is set also what the inbox checks read: a copy
/// of it with source markers and the lints of its MJML. Without it, neither is made.
pub fn compile_with(file: SourceFile, root: &Path, reader: &dyn Reader, limits: Limits, markers: bool) -> Compiled {
    let expansion = include::expand(file, root, reader, limits);
    let Expansion { text, map, files, mut diagnostics } = expansion;
    let locate = Locator { text: &text, map: &map, files: &files };

    if diagnostics.iter().any(|d| d.code == Code::TooLarge) {
        return Compiled { html: None, diagnostics, files, lints: Vec::new(), marked: None };
    }
    // One walk over the document for the checks and the preparation for mrml.
    let mut depth = depth::Depth::new(limits.max_nesting);
    let mut validator = validate::Validator::default();
    let mut preparer = compat::Preparer::new(&text);
    let mut linter = markers.then(lint::Linter::default);
    match &mut linter {
        Some(linter) => walk::walk(&text, &mut [&mut depth, &mut validator, &mut preparer, linter]),
        None => walk::walk(&text, &mut [&mut depth, &mut validator, &mut preparer]),
    }
    if let Some(offset) = depth.too_deep() {
        diagnostics.push(locate.diagnostic(
            Code::NestingTooDeep,
            offset,
            offset,
            format!("elements are nested more than {} levels deep", limits.max_nesting),
        ));
        return Compiled { html: None, diagnostics, files, lints: Vec::new(), marked: None };
    }

    // The copy with source markers compiles on a second compile thread while this one compiles
    // the document itself; it is used only when the document compiles cleanly. When every core
    // already compiles a document of its own (`build`, `compile`), it waits for the first.
    let marking = markers.then(|| markers::mark(&text));
    let submit_marked = |marking: &markers::Marking| {
        let prepared = compat::prepare(&marking.text);
        Job::submit(&MARKED_WORKER, prepared.text.clone(), Some(Box::new(prepared)))
    };
    let side_by_side = crate::parallel::cores_to_spare();
    let marked_job = marking.as_ref().filter(|_| side_by_side).map(submit_marked);
    let lints = linter
        .map(|linter| linter.finish(&text))
        .unwrap_or_default()
        .into_iter()
        .map(|found| {
            let mut diagnostic =
                locate.diagnostic(found.code, found.problem.start, found.problem.end, found.problem.message);
            diagnostic.severity = found.problem.severity;
            diagnostic
        })
        .collect();
    for problem in validator.finish() {
        let mut diagnostic = locate.diagnostic(Code::MjmlInvalid, problem.start, problem.end, problem.message);
        diagnostic.severity = problem.severity;
        diagnostics.push(diagnostic);
    }

    let prepared = preparer.finish();
    for (start, end, message) in &prepared.warnings {
        let mut diagnostic = locate.diagnostic(Code::MjmlWarning, *start, *end, message.clone());
        diagnostic.severity = crate::diagnostic::Severity::Warning;
        diagnostics.push(diagnostic);
    }
    let opened = depth.opened();
    let mut outcome = run_here(prepared.text.clone(), opened);
    let mut reclosed = false;
    if let Ok(Err(Failure::Parse(ParseError::EndOfStream { .. }))) = &outcome
        && let Some(closing) = compat::missing_close_tags(&prepared.text)
    {
        // Like the reference compiler, close what the document leaves open and render the rest;
        // the unclosed element is still reported as an error.
        let unbalanced = diagnostics.iter().any(|d| d.code == Code::MjmlInvalid && d.is_error());
        if !unbalanced {
            let end = text.len();
            diagnostics.push(locate.diagnostic(
                Code::MjmlSyntax,
                end,
                end,
                "the document ends before every element is closed".to_owned(),
            ));
        }
        outcome = run_here(format!("{}{closing}", prepared.text), opened);
        reclosed = true;
    }
    let back = |offset: usize| prepared.original_offset(offset);
    let html = match outcome {
        Ok(Ok((html, warnings))) => {
            for warning in warnings {
                if is_legacy_version_attribute(&prepared.text, &warning) {
                    continue;
                }
                diagnostics.push(locate.warning(&warning, back(warning.span.start), back(warning.span.end)));
            }
            Some(prepared.repair(html))
        }
        Ok(Err(Failure::Parse(error))) => {
            // When validation already found the unbalanced element, mrml's "unexpected end" only
            // repeats it less precisely, and so does whatever it trips over in the document
            // closed for it (the closing tags land after text the element swallowed).
            let unbalanced = diagnostics.iter().any(|d| d.code == Code::MjmlInvalid && d.is_error());
            if !(unbalanced && (reclosed || matches!(error, ParseError::EndOfStream { .. }))) {
                diagnostics.push(locate.parse_error(&error, &prepared.text, &back));
            }
            None
        }
        Ok(Err(Failure::Render(message))) => {
            let file = files.first().map_or(String::new(), |f| f.display.clone());
            diagnostics.push(Diagnostic::error(
                Code::CompilerFailure,
                file,
                format!("mrml could not render this document: {message}"),
            ));
            None
        }
        Err(panic) => {
            let file = files.first().map_or(String::new(), |f| f.display.clone());
            diagnostics.push(Diagnostic::error(
                Code::CompilerFailure,
                file,
                format!("the MJML compiler failed on this document ({panic})"),
            ));
            None
        }
    };
    let marked_job = marked_job.or_else(|| marking.as_ref().map(submit_marked));
    let marked = marking.zip(marked_job).and_then(|(marking, job)| {
        // Always waited for, so that the thread's next answer is the next document's.
        let outcome = job.wait();
        (html.is_some() && !reclosed).then(|| marked_places(marking, outcome, &locate)).flatten()
    });
    Compiled { html, diagnostics, files, lints, marked }
}

/// The document compiled again with source markers, and the places they stand for. The real
/// compile succeeded, so a failure here only means there are no places to show.
fn marked_places(marking: markers::Marking, outcome: Outcome, locate: &Locator) -> Option<Marked> {
    let (html, _) = outcome.ok()?.ok()?;
    let places = marking
        .elements
        .iter()
        .map(|&(start, end)| {
            let d = locate.diagnostic(Code::MjmlWarning, start, end, String::new());
            Place { file: d.file, start: d.start, end: d.end }
        })
        .collect();
    Some(Marked { html, places })
}

/// Whether a warning is about `version` on the `<mjml>` root. Templates written for MJML 3 carry
/// it, the reference compiler ignores it silently, and warning about it would only be noise.
fn is_legacy_version_attribute(text: &str, warning: &Warning) -> bool {
    let in_root_tag = text.find("<mjml").is_some_and(|root| {
        let end = text[root..].find('>').map_or(text.len(), |e| root + e);
        (root..end).contains(&warning.span.start)
    });
    in_root_tag && text.get(warning.span.start..).is_some_and(|rest| rest.starts_with("version"))
}

enum Failure {
    Parse(ParseError),
    Render(String),
}

const COMPILE_THREAD: &str = "letterpress-compile";
/// mrml parses and renders recursively; the nesting limit keeps recursion bounded, and this stack
/// leaves a wide margin above what that bound needs. Only touched pages are committed.
const COMPILE_STACK: usize = 256 * 1024 * 1024;
/// The stack mrml needs besides its recursion, and for each level of it, with a margin of about
/// half over what `bench/stack-probe.sh` measures for the elements mrml lets nest (at most about
/// 5.7 KiB a level in a release build, 17 KiB in a debug one, `mj-hero` the deepest).
const STACK_BASE: usize = 512 * 1024;
const STACK_PER_LEVEL: usize = if cfg!(debug_assertions) { 24 * 1024 } else { 8 * 1024 };

/// What one run of mrml gives: its HTML and warnings, its failure, or the message of a panic.
type Outcome = Result<Result<(String, Vec<Warning>), Failure>, String>;

thread_local! {
    /// Set while mrml runs on this thread, whose panics become diagnostics.
    static IN_MRML: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps panics of mrml from being printed: they become diagnostics. mrml 6.0.1 panics on some
/// valid input (a multi-byte character right before `>`, for one), and a panic must never take
/// the app or the CLI down.
fn quiet_compiler_panics() {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_MRML.get() && std::thread::current().name() != Some(COMPILE_THREAD) {
                previous(info);
            }
        }));
    });
}

/// mrml's parse and render of `text`, with the repairs when `repair` is given.
fn mrml_compile(text: &str, repair: Option<&compat::Prepared>) -> Result<(String, Vec<Warning>), Failure> {
    let parsed = mrml::parse_with_options(text, &ParserOptions::default()).map_err(Failure::Parse)?;
    let html = parsed.element.render(&RenderOptions::default()).map_err(|e| Failure::Render(e.to_string()))?;
    let html = match repair {
        Some(prepared) => prepared.repair(html),
        None => html,
    };
    Ok((html, parsed.warnings))
}

/// Runs mrml on the calling thread, catching panics. A document that opens `opened` elements
/// nests at most that deep, which bounds mrml's recursion; when the thread's stack has less room
/// left than that needs, the run moves to a stack of its own, so any thread can compile any
/// document the nesting limit lets through.
fn run_here(text: String, opened: usize) -> Outcome {
    quiet_compiler_panics();
    let needed = STACK_BASE + STACK_PER_LEVEL * opened;
    let was = IN_MRML.replace(true);
    let outcome = stacker::maybe_grow(needed, needed * 2, || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mrml_compile(&text, None)))
    });
    IN_MRML.set(was);
    outcome.map_err(|payload| panic_message(payload.as_ref()))
}

type Slot = std::cell::RefCell<Option<Worker>>;

thread_local! {
    /// The calling thread's compile thread for copies with source markers, which compile beside
    /// the document itself.
    static MARKED_WORKER: Slot = const { std::cell::RefCell::new(None) };
}

const STOPPED: &str = "internal error: the compiler thread stopped";

/// A document handed to one of the calling thread's compile threads, whose outcome is still to
/// be taken. A job dropped without [`Job::wait`] still takes it, so that the thread's next answer
/// belongs to the next document.
struct Job {
    slot: &'static LocalKey<Slot>,
    sent: Option<Result<(), String>>,
}

impl Job {
    /// Hands `text` to the compile thread; with `repair`, that thread also repairs the HTML.
    fn submit(slot: &'static LocalKey<Slot>, text: String, repair: Option<Box<compat::Prepared>>) -> Job {
        quiet_compiler_panics();
        let sent = slot.with_borrow_mut(|held| {
            if held.is_none() {
                *held = Some(Worker::start()?);
            }
            match held.as_ref().map(|worker| worker.jobs.send((text, repair)).is_ok()) {
                Some(true) => Ok(()),
                _ => {
                    // The thread is gone (panics are caught, so it should not be); the next
                    // document gets a new one.
                    *held = None;
                    Err(STOPPED.to_owned())
                }
            }
        });
        Job { slot, sent: Some(sent) }
    }

    /// The outcome, once the compile thread has it.
    fn wait(mut self) -> Outcome {
        self.take()
    }

    fn take(&mut self) -> Outcome {
        match self.sent.take() {
            Some(Ok(())) => {
                self.slot.with_borrow_mut(|held| match held.as_ref().and_then(|worker| worker.outcomes.recv().ok()) {
                    Some(outcome) => outcome,
                    None => {
                        *held = None;
                        Err(STOPPED.to_owned())
                    }
                })
            }
            Some(Err(error)) => Err(error),
            None => Err(STOPPED.to_owned()),
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        if self.sent.is_some() {
            let _ = self.take();
        }
    }
}

/// A compile thread and the channels to it.
struct Worker {
    jobs: std::sync::mpsc::Sender<(String, Option<Box<compat::Prepared>>)>,
    outcomes: std::sync::mpsc::Receiver<Outcome>,
}

impl Worker {
    fn start() -> Result<Worker, String> {
        let (jobs, inbox) = std::sync::mpsc::channel::<(String, Option<Box<compat::Prepared>>)>();
        let (outbox, outcomes) = std::sync::mpsc::channel::<Outcome>();
        let spawned =
            std::thread::Builder::new().name(COMPILE_THREAD.into()).stack_size(COMPILE_STACK).spawn(move || {
                for (text, repair) in inbox {
                    let outcome = std::panic::catch_unwind(move || mrml_compile(&text, repair.as_deref()))
                        .map_err(|payload| panic_message(payload.as_ref()));
                    if outbox.send(outcome).is_err() {
                        break;
                    }
                }
            });
        match spawned {
            Ok(_) => Ok(Worker { jobs, outcomes }),
            Err(error) => Err(format!("cannot start the compiler thread: {error}")),
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        format!("internal error: {message}")
    } else if let Some(message) = payload.downcast_ref::<String>() {
        format!("internal error: {message}")
    } else {
        "internal error".to_owned()
    }
}

/// Turns offsets in the expanded document into diagnostics in the right file.
struct Locator<'a> {
    text: &'a str,
    map: &'a source::SourceMap,
    files: &'a [SourceFile],
}

impl Locator<'_> {
    fn diagnostic(&self, code: Code, start: usize, end: usize, message: String) -> Diagnostic {
        let Some((file, from)) = self.map.lookup(start) else {
            let display = self.files.first().map_or(String::new(), |f| f.display.clone());
            return Diagnostic::error(code, display, message);
        };
        let source = &self.files[file];
        let to = match self.map.lookup(end) {
            Some((end_file, to)) if end_file == file && to >= from => to,
            _ => from,
        };
        Diagnostic::error(code, source.display.clone(), message).span(source.position(from), source.position(to))
    }

    fn snippet(&self, text: &str, start: usize, end: usize) -> String {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.min(text.len()).max(start));
        let snippet: String = text[start..end].chars().take(60).collect();
        snippet.trim().to_owned()
    }

    fn warning(&self, warning: &Warning, start: usize, end: usize) -> Diagnostic {
        let snippet = self.snippet(self.text, start, end);
        let message = match warning.kind {
            mrml::prelude::parser::WarningKind::UnexpectedAttribute => {
                format!("attribute `{snippet}` is not known here and is ignored")
            }
            other => format!("{other}: `{snippet}`"),
        };
        let mut diagnostic = self.diagnostic(Code::MjmlWarning, start, end, message);
        diagnostic.severity = crate::diagnostic::Severity::Warning;
        diagnostic
    }

    fn parse_error(&self, error: &ParseError, prepared: &str, back: &dyn Fn(usize) -> usize) -> Diagnostic {
        let at = |span: &mrml::prelude::parser::Span| (back(span.start), back(span.end));
        let snippet_of = |span: &mrml::prelude::parser::Span| self.snippet(prepared, span.start, span.end);
        let (start, end, message) = match error {
            ParseError::UnexpectedElement { position, .. } => {
                let (s, e) = at(position);
                (s, e, format!("element `<{}>` is not allowed here", snippet_of(position).trim_start_matches('<')))
            }
            ParseError::UnexpectedToken { position, .. } => {
                let (s, e) = at(position);
                (s, e, format!("unexpected `{}`", snippet_of(position)))
            }
            ParseError::MissingAttribute { name, position, .. } => {
                let (s, e) = at(position);
                (s, e, format!("`<{}>` needs the attribute `{name}`", snippet_of(position).trim_start_matches('<')))
            }
            ParseError::InvalidAttribute { position, .. } => {
                let (s, e) = at(position);
                (s, e, format!("attribute `{}` is not valid here", snippet_of(position)))
            }
            ParseError::InvalidFormat { position, .. } => {
                let (s, e) = at(position);
                (s, e, format!("value `{}` has an invalid format", snippet_of(position)))
            }
            ParseError::EndOfStream { .. } => {
                let end = self.text.len();
                (end, end, "the document ends before every element is closed".to_owned())
            }
            ParseError::SizeLimit { .. } => (0, 0, "the document is too large for the compiler".to_owned()),
            ParseError::ParserError { source, .. } => {
                let pos = source.pos();
                let prepared_index = LineIndex::new(prepared);
                let offset = prepared_index.offset(prepared, crate::diagnostic::Position::new(pos.row, pos.col));
                let offset = back(offset);
                {
                    // The parser's message ends with its own position in the expanded document,
                    // which would contradict the position of the diagnostic; it is dropped.
                    let message = without_positions(&source.to_string());
                    (offset, offset, format!("malformed markup: {}", lowercase_first(&message)))
                }
            }
            ParseError::NoRootNode => (0, 0, "no `<mjml>` root element was found".to_owned()),
            ParseError::IncludeLoaderError { position, source, .. } => {
                let (s, e) = at(position);
                (s, e, format!("cannot include `{}`", source.path))
            }
        };
        self.diagnostic(Code::MjmlSyntax, start, end, message)
    }
}

/// Removes ` at LINE:COLUMN` from a parser message: that position is in the expanded document and
/// would contradict the diagnostic's own.
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at ") {
        let after = &rest[at + 4..];
        let len = after.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(after.len());
        let position = &after[..len];
        let is_position = position.split(':').count() == 2 && position.split(':').all(|n| !n.is_empty());
        out.push_str(&rest[..at]);
        if is_position {
            rest = &after[len..];
        } else {
            out.push_str(" at ");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles `text` on a thread with a stack of `stack` bytes.
    fn compile_on(stack: usize, text: String) -> Compiled {
        std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let file = SourceFile::new("deep.mjml".into(), std::path::PathBuf::from("deep.mjml"), &text);
                compile_source(file, Path::new("."), &DiskReader, Limits::default())
            })
            .unwrap()
            .join()
            .expect("the compile finished")
    }

    #[test]
    fn the_deepest_document_allowed_compiles_on_any_thread() {
        // `mj-hero` takes the most stack per level of the elements mrml lets nest.
        for element in ["mj-hero", "mj-wrapper", "mj-column"] {
            let levels = Limits::default().max_nesting - 2;
            let body = format!("{}{}", format!("<{element}>").repeat(levels), format!("</{element}>").repeat(levels));
            let text = format!("<mjml><mj-body>{body}</mj-body></mjml>");
            for stack in [128 * 1024, 8 * 1024 * 1024] {
                let compiled = compile_on(stack, text.clone());
                assert!(compiled.html.is_some(), "{element} on {stack} bytes: {:?}", compiled.diagnostics.first());
            }
        }
        // Content kept as written is set aside before mrml runs, however deeply it nests.
        let levels = Limits::default().max_nesting - 5;
        let text = format!(
            "<mjml><mj-body><mj-section><mj-column><mj-text>{}{}</mj-text></mj-column></mj-section></mj-body></mjml>",
            "<div>".repeat(levels),
            "</div>".repeat(levels)
        );
        assert!(compile_on(128 * 1024, text).html.is_some());
    }

    #[test]
    fn a_panic_in_mrml_becomes_a_diagnostic_on_the_calling_thread() {
        // mrml 6.0.1 slices inside a multi-byte character right before `>` in a title.
        let compiled = compile_on(
            8 * 1024 * 1024,
            "<mjml><mj-head><mj-title>’></mj-title></mj-head><mj-body></mj-body></mjml>".into(),
        );
        assert!(compiled.html.is_none());
        let failure = compiled.diagnostics.iter().find(|d| d.code == Code::CompilerFailure).expect("a diagnostic");
        assert!(
            failure.message.starts_with("the MJML compiler failed on this document (internal error:"),
            "{failure:?}"
        );
    }

    #[test]
    fn parser_positions_are_dropped_from_messages() {
        assert_eq!(
            without_positions("invalid attribute at 21:17 cause invalid name token"),
            "invalid attribute cause invalid name token"
        );
        assert_eq!(without_positions("unexpected end at 3:1"), "unexpected end");
        assert_eq!(without_positions("look at this"), "look at this");
    }
}
