//! Images that will not show as designed: local files that do not exist, images without a
//! width, and local images that together weigh more than the project's budget. (Alt text and
//! `http:` sources are checked on the MJML, in [`crate::compile::lint`].)

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::local::{self, LocalFileError};

pub fn check(context: &Context) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Each local image with its size and the first element that shows it.
    let mut weights: BTreeMap<PathBuf, (u64, ego_tree::NodeId)> = BTreeMap::new();
    for element in context.page.elements() {
        let value = element.value();
        let mut references: Vec<&str> = Vec::new();
        references.extend(value.attr("background"));
        if value.name() == "img" {
            references.extend(value.attr("src"));
            let styled_width = value.attr("style").is_some_and(|style| {
                style.split(';').any(|d| d.split_once(':').is_some_and(|(p, _)| p.trim().eq_ignore_ascii_case("width")))
            });
            if value.attr("width").is_none_or(|w| w.trim().is_empty()) && !styled_width {
                let src = value.attr("src").unwrap_or_default();
                found.push(context.finding(
                    Code::ImageWidth,
                    Some(element.id()),
                    format!(
                        "the image `{}` has no width; Outlook and other clients show it at its natural size",
                        super::short(src, 60)
                    ),
                ));
            }
        }
        for reference in references {
            let Ok(Some(relative)) = local::local_path(reference) else { continue };
            if relative.contains("{{") {
                continue;
            }
            match local::confine(context.template_dir, context.project_root, reference, &relative) {
                Ok(path) => {
                    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                    weights.entry(path).or_insert((size, element.id()));
                }
                Err(error @ (LocalFileError::NotFound { .. } | LocalFileError::NotAFile { .. })) => {
                    found.push(context.finding(Code::ImageNotFound, Some(element.id()), format!("the image {error}")))
                }
                // References that leave the project are refused where images are read (preview,
                // send, export), with their own messages.
                Err(_) => {}
            }
        }
    }
    let total: u64 = weights.values().map(|(size, _)| size).sum();
    let budget = context.budget.images_kb * 1024;
    if total > budget {
        let mut heaviest: Vec<(&PathBuf, &(u64, ego_tree::NodeId))> = weights.iter().collect();
        heaviest.sort_by_key(|(_, (size, _))| std::cmp::Reverse(*size));
        let names: Vec<String> = heaviest
            .iter()
            .take(3)
            .map(|(path, (size, _))| {
                let name = path.strip_prefix(context.project_root).unwrap_or(path);
                format!("`{}` {} KB", name.display(), size.div_ceil(1024))
            })
            .collect();
        // At the heaviest image, the first one to make lighter.
        found.push(context.finding(
            Code::ImageWeight,
            heaviest.first().map(|(_, (_, node))| *node),
            format!(
                "the local images weigh {} KB together, over the budget of {} KB (heaviest: {}); recipients on slow connections wait for them",
                total.div_ceil(1024),
                context.budget.images_kb,
                names.join(", ")
            ),
        ));
    }
    found
}
