//! Exact rewrites of a template into another dialect's spelling, done on export so that a
//! construct with the same meaning there does not have to be written twice.

use super::syntax::{self, Call, Expr, Path, Program, Stmt};

/// Postmark's Mustachio spells the current item `{{.}}` and reads `this` as a key named `this`:
/// `{{this}}` becomes `{{.}}` and `{{this.name}}` becomes `{{name}}`, which mean the same there.
/// Returns `None` when the template does not parse or has nothing to rewrite.
pub fn this_to_dot(source: &str) -> Option<String> {
    let program = syntax::parse(source).ok()?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    collect_program(&program, &mut edits);
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        if start < at {
            continue;
        }
        out.push_str(&source[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&source[at..]);
    Some(out)
}

fn collect_program(program: &Program, edits: &mut Vec<(usize, usize, String)>) {
    for stmt in &program.body {
        match stmt {
            Stmt::Mustache(m) => collect_call(&m.call, edits),
            Stmt::Block(b) => {
                collect_call(&b.call, edits);
                for inner in [&b.program, &b.inverse].into_iter().flatten() {
                    collect_program(inner, edits);
                }
            }
            Stmt::Content(_) | Stmt::Comment(_) => {}
        }
    }
}

fn collect_call(call: &Call, edits: &mut Vec<(usize, usize, String)>) {
    collect_path(&call.path, edits);
    for param in call.params.iter().chain(call.hash.iter().map(|h| &h.value)) {
        match param {
            Expr::Path(path) => collect_path(path, edits),
            Expr::Sub(sub) => collect_call(sub, edits),
            _ => {}
        }
    }
}

fn collect_path(path: &Path, edits: &mut Vec<(usize, usize, String)>) {
    if path.data || path.depth > 0 {
        return;
    }
    let rest = if path.original == "this" {
        Some(".".to_owned())
    } else {
        path.original.strip_prefix("this.").or_else(|| path.original.strip_prefix("this/")).map(str::to_owned)
    };
    if let Some(rest) = rest {
        edits.push((path.span.start, path.span.end, rest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_becomes_the_dot() {
        assert_eq!(
            this_to_dot("<li>{{this}}</li>{{#each a}}{{this.name}} {{{this}}}{{/each}}").unwrap(),
            "<li>{{.}}</li>{{#each a}}{{name}} {{{.}}}{{/each}}"
        );
        assert_eq!(this_to_dot("{{name}} {{@index}}"), None);
    }
}
