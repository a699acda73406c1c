//! Writes never leave the target folder, whatever links it holds.

#![cfg(unix)]

use std::os::unix::fs::symlink;

use letterpress_core::Pipeline;
use letterpress_export::{ExportError, Format, Target};

use crate::util;

fn plan_error(out: &std::path::Path, format: Format) -> ExportError {
    let project = util::load(&util::fixture());
    letterpress_export::plan(&project, &Pipeline::default(), &Target::new(format, out), |_| {}).unwrap_err()
}

#[test]
fn a_folder_link_leading_out_stops_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    symlink(&outside, out.join("welcome")).unwrap();
    let error = plan_error(&out, Format::Plain);
    assert!(matches!(&error, ExportError::OutsideTarget { path } if path == "welcome/subject.txt"), "{error}");
    assert_eq!(error.to_string(), "`welcome/subject.txt` leads outside the target folder through a symbolic link");
    assert_eq!(error.code().as_str(), "outside-target");
    assert!(util::read_tree(&outside).is_empty());
    assert!(util::read_tree(&out).is_empty(), "nothing is written when one file cannot be");
}

#[test]
fn a_dangling_link_counts_as_leading_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    symlink(dir.path().join("not-yet"), out.join("test-data")).unwrap();
    let error = plan_error(&out, Format::Ses);
    assert!(matches!(&error, ExportError::OutsideTarget { path } if path.starts_with("test-data/")), "{error}");
    assert!(!dir.path().join("not-yet").exists());
}

#[test]
fn a_link_where_a_file_belongs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "keep me\n").unwrap();
    symlink(&secret, out.join("welcome.json")).unwrap();
    let error = plan_error(&out, Format::Sendgrid);
    assert!(matches!(&error, ExportError::Link { path } if path == "welcome.json"), "{error}");
    assert_eq!(error.code().as_str(), "link");
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "keep me\n");
}

#[test]
fn links_that_stay_inside_and_a_linked_target_folder_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("shared-welcome")).unwrap();
    symlink(real.join("shared-welcome"), real.join("welcome")).unwrap();
    // The target folder is given through a link, as `--out` may be.
    let linked = dir.path().join("linked");
    symlink(&real, &linked).unwrap();
    let (plan, applied) = util::export(&util::load(&util::fixture()), Format::Postmark, &linked, false);
    assert_eq!(plan.root, real.canonicalize().unwrap());
    assert_eq!(applied.written.len(), 10);
    assert!(real.join("shared-welcome/meta.json").is_file());
    assert!(real.join("receipt/content.html").is_file());
}

#[test]
fn a_target_path_with_dot_dot_is_the_folder_it_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    let out = dir.path().join("a/../b");
    let (plan, _) = util::export(&util::load(&util::fixture()), Format::Mailgun, &out, false);
    assert_eq!(plan.root, dir.path().canonicalize().unwrap().join("b"));
    assert!(dir.path().join("b/welcome.json").is_file());
}

#[test]
fn a_link_placed_after_planning_stops_the_write() {
    let project = util::load(&util::fixture());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let plan = util::plan(&project, Format::Plain, &out, false);
    std::fs::create_dir_all(&out).unwrap();
    symlink(&outside, out.join("receipt")).unwrap();
    let error = letterpress_export::apply(&plan, |_| {}).unwrap_err();
    assert!(matches!(error, ExportError::OutsideTarget { .. }), "{error}");
    assert!(util::read_tree(&outside).is_empty());
}
