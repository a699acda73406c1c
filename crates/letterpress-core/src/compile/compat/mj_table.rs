//! `mj-table`, whose table mrml 6.0.1 writes differently from the reference: it adds
//! `border-collapse:separate` whenever a border is set (the reference: only when `cellspacing` is
//! above zero), writes the `width` attribute as given (`300px`; the reference writes pixels as a
//! bare number), and drops `role`, which is read from the MJML instead.

use crate::markup::StartTag;

/// The `role` of an `mj-table` of the body, recorded in document order before mrml runs.
pub fn role(tag: &StartTag<'_>) -> Option<String> {
    tag.value("role").map(str::to_owned)
}

/// The start tag of an `mj-table`'s table as the reference writes it, taking its role from
/// `roles`, the roles of the body's tables in document order. mrml's own tables are the ones
/// without a `role` whose style starts with the table's `color`; raw content is not back yet, so
/// a table the user wrote cannot be mistaken for one. `None` for any other tag.
pub fn rebuilt<'a>(tag: &StartTag<'_>, roles: &mut impl Iterator<Item = &'a Option<String>>) -> Option<String> {
    let is_mj_table = tag.name == "table"
        && tag.value("border") == Some("0")
        && tag.attribute("role").is_none()
        && tag.value("style").is_some_and(|style| style.starts_with("color:"));
    if !is_mj_table {
        return None;
    }
    let role = roles.next().cloned().flatten();
    let cellspacing = tag.value("cellspacing").unwrap_or("0");
    let spaced = cellspacing
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect::<String>()
        .parse::<f64>()
        .is_ok_and(|n| n > 0.0);
    let mut rebuilt = String::from("<table");
    for attribute in &tag.attributes {
        let Some(value) = &attribute.value else {
            rebuilt.push_str(&format!(" {}", attribute.name));
            continue;
        };
        let text = match attribute.name {
            "width" if value.text.ends_with("px") => value.text.trim_end_matches("px").to_owned(),
            "style" => {
                let style = value.text.replace("border-collapse:separate;", "");
                if spaced { format!("{style}border-collapse:separate;") } else { style }
            }
            _ => value.text.to_owned(),
        };
        rebuilt.push_str(&format!(" {}=\"{}\"", attribute.name, text));
        if attribute.name == "cellspacing"
            && let Some(role) = &role
        {
            rebuilt.push_str(&format!(" role=\"{role}\""));
        }
    }
    rebuilt.push('>');
    Some(rebuilt)
}
