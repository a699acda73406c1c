//! Planning an export: compile every template, lay out the files of the format, and compare them
//! with what the target folder holds, without writing anything.

use std::path::PathBuf;
use std::sync::Arc;

use letterpress_core::config::ExportTarget;
use letterpress_core::{Code, Diagnostic, Pipeline, Project, diagnostic};
use serde::Serialize;

use crate::assets::{self, Asset, Publisher};
use crate::format::{self, Exported, Format, OutFile};
use crate::owned::{self, Record};
use crate::{ExportError, confine, minify};

/// Where and how to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub format: Format,
    /// The folder to write into. Relative paths are taken from the current folder.
    pub out: PathBuf,
    /// Whether to drop insignificant whitespace from the HTML.
    pub minify: bool,
    /// The URL the target's `assets/` folder is published under; `None` takes the project's
    /// `[assets] base_url`.
    pub base_url: Option<String>,
    /// Whether a `plain` export may keep local image paths without a warning, when no base URL
    /// applies. ESP exports never may.
    pub allow_local_images: bool,
    /// Whether the export may replace files that no earlier export wrote (see
    /// [`Plan::conflicts`]), taking them over.
    pub force: bool,
}

impl Target {
    pub fn new(format: Format, out: impl Into<PathBuf>) -> Self {
        Target { format, out: out.into(), minify: false, base_url: None, allow_local_images: false, force: false }
    }

    /// A target from `letterpress.toml`, its folder taken relative to the project root.
    pub fn from_config(project: &Project, target: &ExportTarget) -> Result<Target, ExportError> {
        let format = target.format.parse::<Format>()?;
        Ok(Target {
            minify: target.minify,
            base_url: target.base_url.clone(),
            ..Target::new(format, project.root.join(&target.out))
        })
    }

    /// The base URL for local images that applies to this target in `project`, checked and
    /// ending with `/`: the target's own, else the project's.
    pub fn effective_base_url(&self, project: &Project) -> Result<Option<String>, ExportError> {
        self.base_url.as_deref().or(project.config.assets.base_url.as_deref()).map(assets::base_url).transpose()
    }
}

/// The targets configured in the project's `letterpress.toml`, in the order written there.
pub fn configured_targets(project: &Project) -> Result<Vec<Target>, ExportError> {
    project.config.export.iter().map(|target| Target::from_config(project, target)).collect()
}

/// What exporting will do to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "FileChangeKind"))]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// The file does not exist yet.
    Created,
    /// The file exists with other contents.
    Updated,
    /// The file already holds exactly these bytes and will not be touched.
    Unchanged,
}

/// One file of an export and what writing it will change.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PlanFile"))]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    /// The path relative to the target folder, with `/` separators.
    pub path: String,
    pub change: Change,
    /// The size of the new contents.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// The template the file belongs to; `None` for files about the whole export and for images,
    /// which templates share.
    pub template: Option<String>,
    #[serde(skip)]
    contents: Arc<[u8]>,
}

impl FileChange {
    /// The bytes the file will hold.
    pub fn contents(&self) -> &[u8] {
        &self.contents
    }
}

/// How one template fared.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PlanTemplate"))]
#[serde(rename_all = "camelCase")]
pub struct TemplateReport {
    pub name: String,
    /// False when the template has errors; its files are then left as they are.
    pub exported: bool,
    /// The data set used as sample data, if the template has one.
    pub data_set: Option<String>,
    /// The template's diagnostics: errors, which stop its export, and warnings, among them those
    /// about its local images.
    pub diagnostics: Vec<Diagnostic>,
    /// Notes about the exported template: features the chosen ESP lacks.
    pub notes: Vec<String>,
}

/// Counts of file changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Everything an export would write, compared with the target folder as it is now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub target: Target,
    /// The target folder, absolute and with links resolved.
    pub root: PathBuf,
    /// Every file of the export, sorted by path, unchanged ones included; empty when the export
    /// is [`blocked`](Self::blocked).
    pub files: Vec<FileChange>,
    /// Every template of the project, sorted by name.
    pub templates: Vec<TemplateReport>,
    /// True when a template refers to a local image that cannot be published (missing, outside
    /// the project, or with no base URL for an ESP). Nothing is written to the target then, so a
    /// deploy never ships templates whose images do not load; the templates' diagnostics say why.
    pub blocked: bool,
    /// Files the export would replace that no earlier export wrote, or that were changed since:
    /// someone else's work. Applying the plan refuses to write anything while there are any,
    /// unless the target is [forced](Target::force).
    pub conflicts: Vec<String>,
    /// Temporary files that an export killed while writing left behind; applying the plan
    /// removes them.
    pub leftovers: Vec<String>,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for file in &self.files {
            match file.change {
                Change::Created => counts.created += 1,
                Change::Updated => counts.updated += 1,
                Change::Unchanged => counts.unchanged += 1,
            }
        }
        counts
    }

    /// The files that applying the plan will write.
    pub fn pending(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| f.change != Change::Unchanged)
    }

    /// Whether the target already holds every file of the export, and nothing else of it.
    pub fn is_up_to_date(&self) -> bool {
        self.pending().next().is_none() && self.leftovers.is_empty()
    }

    /// The templates left out because of errors.
    pub fn failed(&self) -> impl Iterator<Item = &TemplateReport> {
        self.templates.iter().filter(|t| !t.exported)
    }
}

/// Whether a diagnostic is about a local image that an export cannot publish.
pub fn is_image_problem(diagnostic: &Diagnostic) -> bool {
    matches!(diagnostic.code, Code::LocalImage | Code::ImageNotFound | Code::ImageOutsideProject)
}

/// A step of a long export, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum Progress<'a> {
    /// Template `done + 1` of `total` is being compiled.
    Compiling { done: usize, total: usize, template: &'a str },
    /// File `done + 1` of `total` is being written.
    Writing { done: usize, total: usize, path: &'a str },
}

/// Compiles every template of `project` and compares the files of `target`'s format with the
/// target folder. Nothing is written. Templates with errors are reported and left out; the
/// error result is kept for problems with the target folder itself.
pub fn plan(
    project: &Project,
    pipeline: &Pipeline,
    target: &Target,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Plan, ExportError> {
    let root = confine::root(&target.out)?;
    check_outside_sources(project, &root, &target.out)?;
    let base_url = target.effective_base_url(project)?;
    let mut publisher =
        Publisher::new(&project.root, base_url, target.format != Format::Plain, target.allow_local_images);
    let total = project.templates.len();
    let mut exported = Vec::new();
    let mut templates = Vec::new();
    let mut images: Vec<Asset> = Vec::new();
    // Templates compile and fill side by side; publishing their images, which names files by
    // what earlier templates published, follows one template after the other.
    let filled =
        letterpress_core::parallel::map(&project.templates, |template| fill(project, pipeline, template, target));
    for (done, (template, filled)) in project.templates.iter().zip(filled).enumerate() {
        progress(Progress::Compiling { done, total, template: &template.name });
        let (report, ready) = prepare(template, filled, target, &mut publisher);
        templates.push(report);
        if let Some((ready, used)) = ready {
            for asset in used {
                if !images.iter().any(|known| known.path == asset.path) {
                    images.push(asset);
                }
            }
            exported.push(ready);
        }
    }
    let blocked = templates.iter().flat_map(|t| &t.diagnostics).any(|d| d.is_error() && is_image_problem(d));
    if blocked {
        let (conflicts, leftovers) = (Vec::new(), Vec::new());
        return Ok(Plan { target: target.clone(), root, files: Vec::new(), templates, blocked, conflicts, leftovers });
    }
    let record = Record::read(&root)?;
    let mut outputs = format::files(target.format, &exported, &images);
    // The export's files as the record will list them, with those earlier exports wrote that
    // this one no longer produces, as long as they still hold what was written: they remain
    // the export's own, to be replaced should a template come back.
    let mut owned: std::collections::BTreeMap<String, String> =
        outputs.iter().map(|file| (file.path.clone(), owned::sha256_hex(&file.contents))).collect();
    let earlier: std::collections::BTreeSet<&String> = record.files.keys().chain(record.pending.keys()).collect();
    for path in earlier {
        if owned.contains_key(path.as_str()) || path == owned::RECORD {
            continue;
        }
        let Ok(at) = confine::resolve(&root, path) else { continue };
        if let Ok(existing) = std::fs::read(&at) {
            let existing = owned::sha256_hex(&existing);
            if record.owns(path, &existing) {
                owned.insert(path.clone(), existing);
            }
        }
    }
    let final_record = Record { files: owned, ..Record::default() };
    outputs.push(OutFile { path: owned::RECORD.to_owned(), contents: final_record.contents(), template: None });
    let mut files = Vec::new();
    let mut conflicts = Vec::new();
    for file in outputs {
        let path = confine::resolve(&root, &file.path)?;
        let change = match std::fs::read(&path) {
            Ok(existing) if existing == file.contents => Change::Unchanged,
            Ok(existing) => {
                if !record.owns(&file.path, &owned::sha256_hex(&existing)) {
                    conflicts.push(file.path.clone());
                }
                Change::Updated
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Change::Created,
            Err(source) => return Err(ExportError::Io { path, source }),
        };
        files.push(FileChange {
            bytes: file.contents.len() as u64,
            path: file.path,
            change,
            template: file.template,
            contents: file.contents.into(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    conflicts.sort();
    let folders = std::iter::once("").chain(files.iter().map(|f| owned::folder_of(&f.path)));
    let leftovers = owned::leftovers(&root, folders);
    Ok(Plan { target: target.clone(), root, files, templates, blocked, conflicts, leftovers })
}

/// Refuses a target folder inside the project's sources: the project root itself, a template
/// folder, the partials or the assets. Exported files there would mix with what the author
/// writes, and the next export would take the author's files for its own or the reverse.
fn check_outside_sources(project: &Project, root: &std::path::Path, out: &std::path::Path) -> Result<(), ExportError> {
    let real = |path: std::path::PathBuf| path.canonicalize().unwrap_or(path);
    let project_root = project.real_root();
    let inside = |what: String| ExportError::InsideSources { path: out.to_path_buf(), what };
    if root == project_root {
        return Err(inside("root folder".to_owned()));
    }
    let mut sources: Vec<(std::path::PathBuf, String)> = vec![
        (real(project.partials_dir()), format!("partials folder `{}`", project.config.partials)),
        (real(project.root.join("assets")), "assets folder `assets`".to_owned()),
    ];
    for template in &project.templates {
        sources.push((real(template.dir.clone()), format!("template folder `{}`", template.name)));
    }
    match sources.into_iter().find(|(dir, _)| root.starts_with(dir)) {
        Some((_, what)) => Err(inside(what)),
        None => Ok(()),
    }
}

/// A template compiled and filled with its default data set (see [`fill`]).
struct Filled {
    prepared: std::sync::Arc<letterpress_core::Prepared>,
    diagnostics: Vec<Diagnostic>,
    data: serde_json::Value,
    data_set: Option<String>,
}

/// Compiles one template and fills it with its default data set, which both finds the errors
/// that keep it from being exported and yields the sample data.
fn fill(
    project: &Project,
    pipeline: &Pipeline,
    template: &letterpress_core::project::Template,
    target: &Target,
) -> Filled {
    let prepared = pipeline.prepare(project, template);
    let prefix = format!("{}/", template.name);
    let mut diagnostics: Vec<Diagnostic> =
        project.diagnostics.iter().filter(|d| d.file.starts_with(&prefix)).cloned().collect();
    // Filled and checked as the target's engine will fill it, so a template that cannot work
    // there is stopped here, with its problems placed in the source.
    let settings = target.format.settings(&project.config);
    diagnostics.extend(format::provider_rules(target.format, template, &prepared));
    let (data, data_set) = match pipeline.render_as(project, &template.name, None, &settings) {
        Ok(rendered) => {
            // Local images are the publisher's to report below, with what publishing needs.
            diagnostics.extend(rendered.diagnostics.into_iter().filter(|d| d.code != Code::ImageNotFound));
            (rendered.data, rendered.data_set)
        }
        // The template comes from the project itself, so it cannot be unknown; should it be,
        // there is simply no sample data.
        Err(_) => (serde_json::Value::Object(Default::default()), None),
    };
    Filled { prepared, diagnostics, data, data_set }
}

/// Publishes the local images of a compiled and filled template. A template ready for export
/// comes with the images it uses.
fn prepare(
    template: &letterpress_core::project::Template,
    filled: Filled,
    target: &Target,
    publisher: &mut Publisher,
) -> (TemplateReport, Option<(Exported, Vec<Asset>)>) {
    let Filled { prepared, mut diagnostics, data, data_set } = filled;
    let published = prepared.html.as_deref().map(|html| publisher.publish(template, html, &prepared.files));
    let mut assets = Vec::new();
    let mut html = None;
    if let Some(published) = published {
        diagnostics.extend(published.diagnostics);
        assets = published.assets;
        html = Some(published.html);
    }
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    let errors = diagnostics.iter().any(Diagnostic::is_error);
    let ready = match (html, errors) {
        (Some(html), false) => {
            let html = if target.minify { minify::minify(&html) } else { html };
            let spelled = |part: String| format::respell(target.format, &part).unwrap_or(part);
            Some(Exported {
                name: template.name.clone(),
                html: spelled(html),
                text: spelled(prepared.text.clone()),
                subject: spelled(prepared.subject.clone()),
                data,
                assets: assets.iter().map(|asset| asset.path.clone()).collect(),
            })
        }
        _ => None,
    };
    let notes = Vec::new();
    let report =
        TemplateReport { name: template.name.clone(), exported: ready.is_some(), data_set, diagnostics, notes };
    (report, ready.map(|ready| (ready, assets)))
}
