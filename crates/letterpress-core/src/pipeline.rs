//! The pipeline: template → compiled HTML with placeholders (cached) → filled with a data set →
//! final HTML, subject and plain text, with every diagnostic found on the way.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::checks::{self, page::Page};
use crate::compile::{self, Compiled, DiskReader, Limits, Place, ReadError, Reader, SourceFile};
use crate::diagnostic::{self, Code, Diagnostic, Position};
use crate::error_code::ErrorCode;
use crate::fill::{self, Checked, Filler, Part, Settings};
use crate::project::{Project, Template};

/// Asking for something the project does not have. Problems in the project are diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("template `{name}` does not exist in this project")]
    UnknownTemplate { name: String },
    #[error("template `{template}` has no data set `{name}`")]
    UnknownDataSet { template: String, name: String },
}

impl PipelineError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            PipelineError::UnknownTemplate { .. } => ErrorCode::UnknownTemplate,
            PipelineError::UnknownDataSet { .. } => ErrorCode::UnknownDataSet,
        }
    }
}

/// A template compiled once, ready to be filled with any data set.
pub struct Prepared {
    pub template: String,
    /// The compiled HTML with its Handlebars placeholders, if compilation succeeded.
    pub html: Option<String>,
    /// The subject template as written in `subject.hbs`, on one line.
    pub subject: String,
    /// The plain-text template: `text.hbs`, or text generated from the compiled HTML.
    pub text: String,
    /// Whether `text` was generated from the HTML rather than written in `text.hbs`.
    pub generated_text: bool,
    /// Problems with the template itself, independent of any data set.
    pub diagnostics: Vec<Diagnostic>,
    /// The MJML files that took part: the template first, then its includes.
    pub files: Vec<SourceFile>,
    /// The copy compiled with source markers, for the checks of each filled message.
    pub marked: Option<MarkedTemplate>,
    checked: Vec<Checked>,
    filler: Option<Filler>,
    fingerprint: Vec<(PathBuf, u64)>,
}

/// The template compiled with source markers: what the checks of a filled message need.
pub struct MarkedTemplate {
    /// The marked HTML with its placeholders, ready to fill.
    filler: fill::Template,
    /// Where the element of each marker was written.
    pub places: Vec<Place>,
    /// The template's `<mjml>` element.
    pub root: Place,
    links: checks::links::LinkTemplates,
    /// How the popular mail clients support what the template uses.
    pub clients: checks::clients::ClientSupport,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("template", &self.template)
            .field("diagnostics", &self.diagnostics)
            .finish_non_exhaustive()
    }
}

/// A message filled with one data set.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub template: String,
    /// The data set used; `None` when the template has none and empty data was used.
    pub data_set: Option<String>,
    pub html: String,
    pub text: String,
    pub subject: String,
    /// The data the message was filled with.
    pub data: Value,
    /// Problems with the template and with this data set, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How the popular mail clients support what the template uses, when it compiled.
    pub clients: Option<checks::clients::ClientSupport>,
    /// Every link of the filled HTML (`href` of `<a>` and `<area>`, entities decoded), with
    /// where it is written.
    pub links: Vec<(String, Place)>,
    /// The filled HTML of the marked copy, for a preview that links what it shows to the
    /// source: the comment `<!--lp-src:N-->` before an element means `places[N]` wrote it.
    /// Never to be sent or exported.
    pub marked_html: Option<String>,
    /// Where the element of each marker was written.
    pub places: Vec<Place>,
    /// The files the template was compiled from (the MJML first, then its partials), as shown
    /// to people.
    pub files: Vec<String>,
}

impl Rendered {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The size of one data set's final HTML, which is what Gmail's clipping looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlSize {
    /// `None` for a template without data sets.
    pub data_set: Option<String>,
    /// `None` when the HTML is empty because the template does not compile.
    pub bytes: Option<usize>,
}

/// How many compiled versions of one template are kept: the files on disk and a few states of
/// the unsaved buffers layered over them, so that a preview with buffers and a render from disk
/// (a send, the list of templates using a partial) do not throw each other's work away.
const VERSIONS_KEPT: usize = 4;
/// The stack of the thread that makes a text part: the HTML parser and the text renderer recurse
/// as deep as the document nests, which the nesting limit bounds well below this. Only touched
/// pages are committed.
const TEXT_STACK: usize = 32 * 1024 * 1024;

/// The text part from its thread, or made here when no thread could be started.
fn finish_text(started: Result<std::thread::ScopedJoinHandle<'_, String>, &str>) -> String {
    match started {
        Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(html) => crate::text::template_to_text(html),
    }
}

/// Compiles and fills templates, keeping compiled templates until their files change.
///
/// Every call reads through a [`Reader`]: the pipeline's own for `render`, `prepare` and
/// `html_sizes`, or one given for that call to the `_with` forms, which is how a front end lays
/// its unsaved buffers over the disk without sharing them with any other call. The cache is keyed
/// by template and each version is checked against the files as the calling reader sees them,
/// so calls with different readers may run at the same time and each gets its own files' result.
pub struct Pipeline {
    reader: Arc<dyn Reader>,
    limits: Limits,
    cache: Mutex<HashMap<PathBuf, Vec<Arc<Prepared>>>>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new(Arc::new(DiskReader))
    }
}

impl Pipeline {
    /// A pipeline reading files through `reader`.
    pub fn new(reader: Arc<dyn Reader>) -> Self {
        Pipeline { reader, limits: Limits::default(), cache: Mutex::new(HashMap::new()) }
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Compiles a template, or returns the compiled template from the cache if none of its files
    /// changed since.
    pub fn prepare(&self, project: &Project, template: &Template) -> Arc<Prepared> {
        self.prepare_with(self.reader.as_ref(), project, template)
    }

    /// [`Pipeline::prepare`] reading through `reader`.
    pub fn prepare_with(&self, reader: &dyn Reader, project: &Project, template: &Template) -> Arc<Prepared> {
        let key = template.dir.clone();
        let root = project.real_root();
        let versions = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned().unwrap_or_default();
        // Files shared by several versions are read once.
        let mut seen: HashMap<&Path, u64> = HashMap::new();
        for version in &versions {
            let fresh = version.fingerprint.iter().all(|(path, hash)| {
                *seen.entry(path).or_insert_with(|| fingerprint_of(read(reader, &root, path).ok().as_deref())) == *hash
            });
            if fresh {
                self.keep(key, version);
                return version.clone();
            }
        }
        let prepared = Arc::new(self.compile(reader, project, template));
        // A result with errors may depend on files that do not exist yet (a missing include), which
        // the fingerprint cannot see; only clean results are kept.
        if !prepared.diagnostics.iter().any(Diagnostic::is_error) {
            self.keep(key, &prepared);
        }
        prepared
    }

    /// Puts `prepared` first among the kept versions of its template, dropping the least recently
    /// used beyond [`VERSIONS_KEPT`] and any older version made from the same files.
    fn keep(&self, key: PathBuf, prepared: &Arc<Prepared>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let versions = cache.entry(key).or_default();
        versions.retain(|kept| !Arc::ptr_eq(kept, prepared) && kept.fingerprint != prepared.fingerprint);
        versions.insert(0, prepared.clone());
        versions.truncate(VERSIONS_KEPT);
    }

    fn compile(&self, reader: &dyn Reader, project: &Project, template: &Template) -> Prepared {
        let root = project.real_root();
        let mjml_path = template.mjml_path();
        let display = project.display(&mjml_path);
        let compiled: Compiled = match read(reader, &root, &mjml_path) {
            Ok(raw) => compile::compile_with(
                SourceFile::new(display.clone(), mjml_path.clone(), &raw),
                &project.root,
                reader,
                self.limits,
                true,
            ),
            Err(error) => Compiled {
                html: None,
                diagnostics: vec![error.diagnostic(&display)],
                files: Vec::new(),
                lints: Vec::new(),
                marked: None,
            },
        };
        let Compiled { html, mut diagnostics, files, lints, marked } = compiled;

        let subject_path = template.subject_path();
        let subject_display = project.display(&subject_path);
        let subject_source = read_optional(reader, &root, &subject_path, &subject_display, &mut diagnostics).text();
        let subject_file =
            SourceFile::new(subject_display, subject_path.clone(), subject_source.as_deref().unwrap_or(""));
        let text_path = template.text_path();
        let text_display = project.display(&text_path);
        let text_read = read_optional(reader, &root, &text_path, &text_display, &mut diagnostics);
        // A text part that exists but cannot be read is an error already; generating one in its
        // place would hide that the author's own text is missing.
        let text_failed = matches!(text_read, Read::Failed);
        let text_source = text_read.text();
        let text_file = text_source.as_deref().map(|raw| SourceFile::new(text_display.clone(), text_path.clone(), raw));

        // Without a text part of its own, one is made from the HTML while the copy with source
        // markers is checked: two independent passes of about the same length. When every core
        // already prepares a template of its own, they run one after the other.
        let generate = if text_file.is_none() && !text_failed { html.as_deref() } else { None };
        let side_by_side = crate::parallel::cores_to_spare();
        let (marked, generated) = std::thread::scope(|scope| {
            let mut generating = generate.map(|html| {
                std::thread::Builder::new()
                    .stack_size(TEXT_STACK)
                    .spawn_scoped(scope, move || crate::text::template_to_text(html))
                    .map_err(|_| html)
            });
            // Its own thread all the same, for the deep stack; waited for at once.
            let mut generated = if side_by_side { None } else { generating.take().map(finish_text) };
            let marked = marked.zip(files.first()).and_then(|(marked, file)| {
                let filler = fill::Template::parse(&marked.html).ok()?;
                let at = file.text.find("<mjml").unwrap_or(0);
                let root = Place {
                    file: file.display.clone(),
                    start: file.position(at),
                    end: file.position(at + if at < file.text.len() { 5 } else { 0 }),
                };
                let page = Page::parse(&marked.html);
                let links = checks::links::LinkTemplates::of(&page);
                let (clients, findings) = checks::clients::check(&page, &marked.places, &root, &files);
                Some((MarkedTemplate { filler, places: marked.places, root, links, clients }, findings))
            });
            if generated.is_none() {
                generated = generating.map(finish_text);
            }
            (marked, generated)
        });
        let marked = marked.map(|(marked, findings)| {
            diagnostics.extend(findings);
            marked
        });
        diagnostics.extend(lints);

        let mut sources: Vec<(&SourceFile, Part)> = files.iter().map(|f| (f, Part::Html)).collect();
        sources.push((&subject_file, Part::Subject));
        sources.extend(text_file.as_ref().map(|f| (f, Part::Text)));
        let syntax_before = diagnostics.len();
        let checked = fill::parse_sources(sources, &mut diagnostics);
        let sources_parse = diagnostics.len() == syntax_before;

        let subject = subject_file.text.trim().to_owned();
        let text = match &text_file {
            Some(file) => file.text.clone(),
            None => generated.unwrap_or_default(),
        };
        let filler = match (&html, sources_parse) {
            (Some(html), true) => match Filler::new(html, &subject, &text) {
                Ok(filler) => Some(filler),
                Err((part, error)) => {
                    let file = match part {
                        Part::Html => display.clone(),
                        Part::Subject => subject_file.display.clone(),
                        Part::Text => text_file.as_ref().map_or(display.clone(), |f| f.display.clone()),
                    };
                    diagnostics.push(Diagnostic::error(
                        Code::HandlebarsSyntax,
                        file,
                        format!("the compiled template is not valid Handlebars: {}; check that block helpers open and close within the same `mj-raw` or section", error.message),
                    ));
                    None
                }
            },
            _ => None,
        };

        let mut fingerprint: Vec<(PathBuf, u64)> = files
            .iter()
            .map(|f| (f.path.clone(), fingerprint_of(read(reader, &root, &f.path).ok().as_deref())))
            .collect();
        fingerprint.push((subject_path, fingerprint_of(subject_source.as_deref())));
        fingerprint.push((text_path, fingerprint_of(text_source.as_deref())));
        diagnostic::sort(&mut diagnostics);
        Prepared {
            template: template.name.clone(),
            html,
            subject,
            text,
            generated_text: text_file.is_none() && !text_failed,
            diagnostics,
            files,
            marked,
            checked,
            filler,
            fingerprint,
        }
    }

    /// Renders `template` with the data set `data_set`, or with its first data set when `None`,
    /// as the project's production engine will.
    pub fn render(&self, project: &Project, template: &str, data_set: Option<&str>) -> Result<Rendered, PipelineError> {
        self.render_with(self.reader.as_ref(), project, template, data_set)
    }

    /// [`Pipeline::render`] reading through `reader`: a front end passes its unsaved buffers
    /// layered over the disk ([`Overlay`](compile::Overlay)), for this call only.
    pub fn render_with(
        &self,
        reader: &dyn Reader,
        project: &Project,
        template: &str,
        data_set: Option<&str>,
    ) -> Result<Rendered, PipelineError> {
        self.render_as_with(reader, project, template, data_set, &Settings::of_project(&project.config))
    }

    /// Renders as `settings` say the production engine fills, with that engine's checks: what an
    /// export to a provider runs before writing anything.
    pub fn render_as(
        &self,
        project: &Project,
        template: &str,
        data_set: Option<&str>,
        settings: &Settings,
    ) -> Result<Rendered, PipelineError> {
        self.render_as_with(self.reader.as_ref(), project, template, data_set, settings)
    }

    fn render_as_with(
        &self,
        reader: &dyn Reader,
        project: &Project,
        template: &str,
        data_set: Option<&str>,
        settings: &Settings,
    ) -> Result<Rendered, PipelineError> {
        let template =
            project.template(template).ok_or_else(|| PipelineError::UnknownTemplate { name: template.to_owned() })?;
        let set = match data_set {
            Some(name) => Some(template.data_set(name).ok_or_else(|| PipelineError::UnknownDataSet {
                template: template.name.clone(),
                name: name.to_owned(),
            })?),
            None => template.data_sets.first(),
        };
        let prepared = self.prepare_with(reader, project, template);
        let mut diagnostics = prepared.diagnostics.clone();
        diagnostics.extend(engine_checks(&prepared, settings));
        let data = match set {
            Some(set) => {
                let display = project.display(&set.path);
                match read(reader, &project.real_root(), &set.path) {
                    Ok(text) => match fill::parse_data(&text, &display) {
                        Ok(data) => {
                            diagnostics.extend(check_data(&prepared, settings, &data, &text, &display, &set.name));
                            data
                        }
                        Err(diagnostic) => {
                            diagnostics.push(diagnostic);
                            Value::Object(Default::default())
                        }
                    },
                    Err(error) => {
                        diagnostics.push(error.diagnostic(&display));
                        Value::Object(Default::default())
                    }
                }
            }
            None => Value::Object(Default::default()),
        };
        let (html, subject, text) = fill_all(&prepared, settings, &data, &mut diagnostics);
        let data_set = set.map(|s| s.name.as_str());
        let mut links = Vec::new();
        let mut marked_filled = None;
        if let Some(marked) = &prepared.marked
            && let Ok(marked_html) = marked.filler.fill(&data, settings, Part::Html)
        {
            let page = Page::parse(&marked_html);
            let context = checks::Context {
                page: &page,
                places: &marked.places,
                root: &marked.root,
                data_set,
                template_dir: &template.dir,
                project_root: &project.real_root(),
                budget: &project.config.checks.budget,
                levels: &project.config.checks.levels,
            };
            diagnostics.extend(checks::run(&context, &marked.links));
            links = checks::links::hrefs(&context);
            marked_filled = Some(marked_html);
        }
        if let Some((severity, message)) = checks::message_size(html.len()) {
            let file =
                prepared.files.first().map_or_else(|| project.display(&template.mjml_path()), |f| f.display.clone());
            let mut diagnostic = Diagnostic::warning(Code::MessageSize, file, message);
            diagnostic.severity = severity;
            if let Some(marked) = &prepared.marked {
                diagnostic = diagnostic.span(marked.root.start, marked.root.end);
            }
            if let Some(name) = data_set {
                diagnostic.message.push_str(&format!(" (data set `{name}`)"));
            }
            diagnostics.push(diagnostic);
        }
        project.config.checks.apply(&mut diagnostics);
        diagnostic::sort(&mut diagnostics);
        Ok(Rendered {
            template: template.name.clone(),
            data_set: set.map(|s| s.name.clone()),
            html,
            text,
            subject,
            data,
            diagnostics,
            clients: prepared.marked.as_ref().map(|m| m.clients.clone()),
            links,
            marked_html: marked_filled,
            places: prepared.marked.as_ref().map(|m| m.places.clone()).unwrap_or_default(),
            files: prepared.files.iter().map(|f| f.display.clone()).collect(),
        })
    }

    /// The size of the final HTML of each data set of `template`, in the template's order; one
    /// entry without a name when it has no data set.
    pub fn html_sizes(&self, project: &Project, template: &str) -> Result<Vec<HtmlSize>, PipelineError> {
        self.html_sizes_with(self.reader.as_ref(), project, template)
    }

    /// [`Pipeline::html_sizes`] reading through `reader`.
    pub fn html_sizes_with(
        &self,
        reader: &dyn Reader,
        project: &Project,
        template: &str,
    ) -> Result<Vec<HtmlSize>, PipelineError> {
        let found =
            project.template(template).ok_or_else(|| PipelineError::UnknownTemplate { name: template.to_owned() })?;
        let names: Vec<Option<&str>> = if found.data_sets.is_empty() {
            vec![None]
        } else {
            found.data_sets.iter().map(|d| Some(d.name.as_str())).collect()
        };
        names
            .into_iter()
            .map(|name| {
                let rendered = self.render_with(reader, project, template, name)?;
                let bytes = (!rendered.html.is_empty()).then_some(rendered.html.len());
                Ok(HtmlSize { data_set: rendered.data_set, bytes })
            })
            .collect()
    }

    /// Forgets every compiled template.
    pub fn clear(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Reads a file of the project through `reader`, refusing links that lead out of it.
fn read(reader: &dyn Reader, root: &Path, path: &Path) -> Result<String, ReadError> {
    compile::read_confined(reader, root, path)
}

/// Reads a file the template may do without: `None` when it does not exist, and a diagnostic
/// when it exists but cannot be used, because an unreadable subject or text part must not
/// quietly become an empty or generated one.
fn read_optional(
    reader: &dyn Reader,
    root: &Path,
    path: &Path,
    display: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Read {
    match read(reader, root, path) {
        Ok(text) => Read::Text(text),
        Err(ReadError::NotFound) => Read::Absent,
        Err(error) => {
            diagnostics.push(error.diagnostic(display));
            Read::Failed
        }
    }
}

/// What reading a file a template may do without gave.
enum Read {
    Text(String),
    Absent,
    /// The file exists but cannot be used; a diagnostic says why.
    Failed,
}

impl Read {
    fn text(self) -> Option<String> {
        match self {
            Read::Text(text) => Some(text),
            Read::Absent | Read::Failed => None,
        }
    }
}

/// What the production engine says about the template whatever the data: constructs and helpers
/// it lacks, values it will not escape, and its size limits.
fn engine_checks(prepared: &Prepared, settings: &Settings) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> =
        prepared.checked.iter().flat_map(|source| fill::check::dialect(source, settings)).collect();
    let file = prepared.files.first().map_or(String::new(), |f| f.display.clone());
    let subject_file =
        prepared.checked.iter().find(|c| c.part == Part::Subject).map_or(file.clone(), |c| c.file.clone());
    found.extend(provider_limits(
        settings,
        &file,
        prepared.html.as_deref(),
        &prepared.text,
        &subject_file,
        &prepared.subject,
    ));
    found
}

/// Missing variables and unused keys of one data set, over every source file and the generated
/// text part.
fn check_data(
    prepared: &Prepared,
    settings: &Settings,
    data: &Value,
    data_text: &str,
    data_file: &str,
    data_set: &str,
) -> Vec<Diagnostic> {
    let Some(filler) = &prepared.filler else { return Vec::new() };
    let (mut diagnostics, mut used) = fill::check_data(&prepared.checked, settings, data, data_set);
    if prepared.generated_text {
        // The generated text part has no file of its own; what it lacks and the HTML does not
        // means text generation lost a loop or a condition, which the user must hear about.
        let in_html: std::collections::BTreeSet<String> =
            diagnostics.iter().filter_map(|d| d.message.split('`').nth(1).map(str::to_owned)).collect();
        let mut usage = filler.trace_text(data, settings);
        used.append(&mut usage.used);
        let file = prepared.files.first().map_or(String::new(), |f| f.display.clone());
        for missing in usage.missing.iter().filter(|m| !in_html.contains(&m.expression)) {
            let mut diagnostic = fill::missing_diagnostic(settings, &file, &missing.expression, data_set);
            diagnostic.message.push_str(" (in the plain-text part generated from the HTML)");
            diagnostics.push(diagnostic);
        }
    }
    diagnostics.extend(fill::report_unused(data, &used, data_text, data_file));
    diagnostics
}

/// The provider's documented size limits, checked on the template as it will be uploaded.
fn provider_limits(
    settings: &Settings,
    file: &str,
    html: Option<&str>,
    text: &str,
    subject_file: &str,
    subject: &str,
) -> Vec<Diagnostic> {
    let dialect = settings.dialect;
    let mut found = Vec::new();
    let html_len = html.map_or(0, str::len);
    if let Some(max) = dialect.max_part_bytes {
        for (part, len) in [("HTML", html_len), ("plain-text part", text.len())] {
            if len > max {
                found.push(Diagnostic::error(
                    Code::ProviderLimit,
                    file,
                    format!("the compiled {part} is {len} bytes; {} takes at most {max} bytes", dialect.engine),
                ));
            }
        }
    }
    if let Some(max) = dialect.max_template_bytes {
        let total = html_len + text.len() + subject.len();
        if total > max {
            found.push(Diagnostic::error(
                Code::ProviderLimit,
                file,
                format!(
                    "the template is {} KB with its text part and subject; {} takes at most {} KB",
                    total.div_ceil(1024),
                    dialect.engine,
                    max / 1024
                ),
            ));
        }
    }
    if let Some(max) = dialect.max_subject_chars
        && subject.chars().count() > max
    {
        found.push(Diagnostic::error(
            Code::ProviderLimit,
            subject_file,
            format!("the subject is {} characters; {} takes at most {max}", subject.chars().count(), dialect.engine),
        ));
    }
    found
}

/// Fills the three parts, turning render failures into diagnostics placed in the source that
/// fails the same way, where one does.
fn fill_all(
    prepared: &Prepared,
    settings: &Settings,
    data: &Value,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, String, String) {
    let Some(filler) = &prepared.filler else {
        return (prepared.html.clone().unwrap_or_default(), prepared.subject.clone(), prepared.text.clone());
    };
    let file = prepared.files.first().map_or(String::new(), |f| f.display.clone());
    // A failure where the engine check already put an error says nothing new.
    let known: Vec<(String, Position)> =
        diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.file.clone(), d.start)).collect();
    let mut html_failed = false;
    let mut report = |part: Part, error: fill::RenderError| {
        if part == Part::Text && html_failed && prepared.generated_text {
            // The generated text part fails where the HTML it came from failed.
            return;
        }
        html_failed |= part == Part::Html;
        let placed = prepared.checked.iter().filter(|c| c.part == part).find_map(|source| {
            let failure = source.template.fill(data, settings, part).err()?;
            let span = failure.span?;
            Some(
                Diagnostic::error(
                    Code::RenderFailure,
                    source.file.clone(),
                    format!("cannot fill the {}: {}", part.describe(), failure.message),
                )
                .span(source.position(span.start), source.position(span.end)),
            )
        });
        if let Some(placed) = &placed
            && known.contains(&(placed.file.clone(), placed.start))
        {
            return;
        }
        diagnostics.push(placed.unwrap_or_else(|| {
            Diagnostic::error(
                Code::RenderFailure,
                file.clone(),
                format!("cannot fill the {}: {}", part.describe(), error.message),
            )
            .at(Position::WHOLE_FILE)
        }));
    };
    let html = filler.html(data, settings).unwrap_or_else(|e| {
        report(Part::Html, e);
        String::new()
    });
    let subject = filler.subject(data, settings).unwrap_or_else(|e| {
        report(Part::Subject, e);
        String::new()
    });
    let text = filler.text(data, settings).unwrap_or_else(|e| {
        report(Part::Text, e);
        String::new()
    });
    (html, subject, text)
}

fn fingerprint_of(content: Option<&str>) -> u64 {
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    hasher.finish()
}
