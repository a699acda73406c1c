//! Shared helpers: the fixture project, exporting into a folder, and reading folders back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use letterpress_core::{Pipeline, Project};
use letterpress_export::{Applied, Format, Plan, Target};

/// The fixture project shipped with these tests.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project")
}

/// A copy of the fixture project in a temporary folder, for tests that change it.
pub fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixture(), &root);
    (dir, root)
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn load(root: &Path) -> Project {
    Project::load(root).unwrap()
}

pub fn plan(project: &Project, format: Format, out: &Path, minify: bool) -> Plan {
    let target = Target { minify, ..Target::new(format, out) };
    letterpress_export::plan(project, &Pipeline::default(), &target, |_| {}).unwrap()
}

/// Plans and applies an export of `project` to `out`.
pub fn export(project: &Project, format: Format, out: &Path, minify: bool) -> (Plan, Applied) {
    let plan = plan(project, format, out, minify);
    let applied = letterpress_export::apply(&plan, |_| {}).unwrap();
    (plan, applied)
}

/// Every file under `dir` by its path relative to `dir`, with `/` separators.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(relative, std::fs::read(&path).unwrap());
        }
    }
}

/// The modification time of every file under `dir`.
pub fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    read_tree(dir)
        .into_keys()
        .map(|p| {
            let time = std::fs::metadata(dir.join(&p)).unwrap().modified().unwrap();
            (p, time)
        })
        .collect()
}
