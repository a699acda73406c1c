//! Checks templates against their production engine: each construct and helper the dialect lacks
//! or does not document, at its place in the source, with the dialect's way of writing it; values
//! the provider will not escape; and the data keys nothing uses.

use std::collections::BTreeSet;

use serde_json::Value;

use super::dialect::{Construct, DialectName, EXTRA_HELPERS, Support};
use super::syntax::{Block, Call, Expr, Path, Program, Span, Stmt};
use super::{Checked, Part, Settings, helpers};
use crate::diagnostic::{Code, Diagnostic};

/// Every problem the dialect has with one source file.
pub fn dialect(source: &Checked, settings: &Settings) -> Vec<Diagnostic> {
    let mut walker = Walker { settings, source, found: Vec::new(), seen: BTreeSet::new() };
    walker.program(&source.template.program);
    walker.found
}

struct Walker<'s> {
    settings: &'s Settings,
    source: &'s Checked,
    found: Vec<Diagnostic>,
    /// Undocumented constructs are reported once per file, not at every use.
    seen: BTreeSet<Construct>,
}

impl Walker<'_> {
    fn report(&mut self, construct: Construct, span: Span) {
        let dialect = self.settings.dialect;
        let (start, end) = (self.source.position(span.start), self.source.position(span.end));
        match dialect.support(construct) {
            Support::Yes => {}
            Support::Undocumented => {
                if self.seen.insert(construct) {
                    self.found.push(
                        Diagnostic::warning(
                            Code::DialectUndocumented,
                            self.source.file.clone(),
                            format!(
                                "{} does not document {}; send a test through it before relying on this",
                                dialect.engine,
                                construct.written()
                            ),
                        )
                        .span(start, end),
                    );
                }
            }
            Support::No(instead) => {
                let instead = instead.map(|i| format!("; {i}")).unwrap_or_default();
                self.found.push(
                    Diagnostic::error(
                        Code::DialectUnsupported,
                        self.source.file.clone(),
                        format!("{} has no {}{instead}", dialect.engine, construct.written()),
                    )
                    .span(start, end),
                );
            }
        }
    }

    fn unknown_helper(&mut self, name: &str, span: Span) {
        let dialect = self.settings.dialect;
        let hint = helpers::hint(dialect, name);
        let message = if EXTRA_HELPERS.contains(&name) && dialect.name == DialectName::Handlebars {
            format!("`{name}` is not a handlebars.js helper{hint}")
        } else {
            format!("`{name}` is not a helper{hint}")
        };
        let (start, end) = (self.source.position(span.start), self.source.position(span.end));
        self.found
            .push(Diagnostic::error(Code::DialectUnsupported, self.source.file.clone(), message).span(start, end));
    }

    fn program(&mut self, program: &Program) {
        for stmt in &program.body {
            match stmt {
                Stmt::Content(_) => {}
                Stmt::Comment(comment) => self.report(Construct::Comment, comment.span),
                Stmt::Mustache(mustache) => {
                    if mustache.triple {
                        self.report(Construct::TripleStash, mustache.span);
                    } else if !mustache.escaped {
                        self.report(Construct::Ampersand, mustache.span);
                    }
                    if mustache.strip.open || mustache.strip.close {
                        self.report(Construct::WhitespaceControl, mustache.span);
                    }
                    self.call(&mustache.call, mustache.span, false);
                    if mustache.escaped
                        && self.source.part == Part::Html
                        && !self.settings.dialect.escape_html.escapes_anything()
                        && !mustache.call.has_arguments()
                    {
                        let (start, end) =
                            (self.source.position(mustache.span.start), self.source.position(mustache.span.end));
                        self.found.push(
                            Diagnostic::warning(
                                Code::UnescapedValue,
                                self.source.file.clone(),
                                format!(
                                    "{} does not escape `{}`: a value holding `<` or `&` becomes markup; escape it before sending",
                                    self.settings.dialect.engine, mustache.call.path.original
                                ),
                            )
                            .span(start, end),
                        );
                    }
                }
                Stmt::Block(block) => self.block(block),
            }
        }
    }

    fn block(&mut self, block: &Block) {
        if block.open_strip_any() {
            self.report(Construct::WhitespaceControl, block.span);
        }
        let builtin = self.call(&block.call, block.span, true);
        if builtin.is_none() && !block.chain_link {
            self.report(if block.inverted { Construct::Inverted } else { Construct::Section }, block.span);
        }
        if !block.call.block_params.is_empty() {
            self.report(Construct::BlockParams, block.span);
        }
        if let Some(else_span) = block.else_span {
            let chained = block.inverse.as_ref().is_some_and(|p| p.chained);
            self.report(if chained { Construct::ElseChain } else { Construct::Else }, else_span);
        }
        if let Some(program) = &block.program {
            self.program(program);
        }
        if let Some(inverse) = &block.inverse {
            self.program(inverse);
        }
    }

    /// Checks a helper call or a value; returns the helper's construct when it names one.
    fn call(&mut self, call: &Call, span: Span, block: bool) -> Option<Construct> {
        let name = call.path.is_simple().then(|| call.path.parts[0].as_str());
        let construct = match name {
            Some("if") => Some(Construct::If),
            Some("unless") => Some(Construct::Unless),
            Some("each") => Some(Construct::Each),
            Some("with") => Some(Construct::With),
            Some("lookup") => Some(Construct::Lookup),
            Some("log") => Some(Construct::Log),
            _ => None,
        };
        let dialect = self.settings.dialect;
        let known = |n: &str| dialect.helpers.contains(&n) || self.settings.helpers.iter().any(|h| h == n);
        let is_helper = name.is_some_and(helpers::is_known_anywhere);
        if let Some(construct) = construct {
            self.report(construct, span);
        } else if let Some(n) = name.filter(|_| is_helper)
            && !known(n)
            && (call.has_arguments() || block)
        {
            self.unknown_helper(n, span);
            // Reported as a helper, so not again as a section.
            return Some(Construct::If);
        } else if let Some(n) = name
            && call.has_arguments()
            && !known(n)
        {
            self.unknown_helper(n, span);
            return Some(Construct::If);
        } else {
            self.path(&call.path);
        }
        for param in &call.params {
            self.expr(param);
        }
        for pair in &call.hash {
            self.report(Construct::HashArgument, pair.span);
            self.expr(&pair.value);
        }
        construct.or(name.filter(|n| is_helper && known(n)).map(|_| Construct::If))
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Path(path) => self.path(path),
            Expr::Sub(call) => {
                self.report(Construct::Subexpression, call.span);
                self.call(call, call.span, false);
            }
            _ => {}
        }
    }

    fn path(&mut self, path: &Path) {
        if path.data {
            match path.parts.first().map(String::as_str) {
                Some("root") => self.report(Construct::Root, path.span),
                _ => self.report(Construct::DataVariable, path.span),
            }
        }
        if path.depth > 0 {
            self.report(Construct::Parent, path.span);
        }
        let original = path.original.as_str();
        if original == "this" || original.starts_with("this.") || original.starts_with("this/") {
            if !self.settings.rewrites_this {
                self.report(Construct::This, path.span);
            }
        } else if original == "." || original.starts_with("./") {
            self.report(Construct::Dot, path.span);
        }
        if path.literal_segments {
            self.report(Construct::LiteralSegment, path.span);
        }
    }
}

/// The data paths in `data` that no used path reaches, reported at their highest unused level.
pub fn unused(data: &Value, used: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    if let Value::Object(map) = data {
        for (key, value) in map {
            collect_unused(value, key.clone(), used, &mut out);
        }
    }
    out.dedup();
    out
}

fn collect_unused(value: &Value, path: String, used: &BTreeSet<String>, out: &mut Vec<String>) {
    if used.contains(&path) {
        // The whole value is used, e.g. `{{#each items}}{{this}}{{/each}}` or `{{order}}`.
        if !matches!(value, Value::Array(_) | Value::Object(_)) || !has_deeper(used, &path) {
            return;
        }
    }
    if !has_deeper(used, &path) && !used.contains(&path) {
        if !out.contains(&path) {
            out.push(path);
        }
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                collect_unused(child, format!("{path}.{key}"), used, out);
            }
        }
        Value::Array(items) => {
            let item_path = format!("{path}[]");
            if used.contains(&item_path) && !has_deeper(used, &item_path) {
                return;
            }
            for item in items {
                if let Value::Object(map) = item {
                    for (key, child) in map {
                        collect_unused(child, format!("{item_path}.{key}"), used, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Whether some used path goes below `path`.
fn has_deeper(used: &BTreeSet<String>, path: &str) -> bool {
    let dotted = format!("{path}.");
    let indexed = format!("{path}[]");
    used.range(path.to_owned()..)
        .take_while(|u| u.starts_with(path))
        .any(|u| u.starts_with(&dotted) || u.starts_with(&indexed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::SourceFile;
    use crate::fill::{Settings, parse_sources};
    use serde_json::json;

    fn usage(source: &str, data: Value) -> (Vec<(String, u32, u32)>, Vec<String>) {
        let file = SourceFile::new("t.mjml".into(), "t.mjml".into(), source);
        let mut diagnostics = Vec::new();
        let checked = parse_sources([(&file, Part::Html)], &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let settings = Settings::default();
        let (found, used) = crate::fill::check_data(&checked, &settings, &data, "default");
        let missing = found
            .iter()
            .map(|d| (d.message.split('`').nth(1).unwrap().to_owned(), d.start.line, d.start.column))
            .collect();
        (missing, unused(&data, &used))
    }

    fn problems(source: &str, dialect: DialectName) -> Vec<String> {
        let file = SourceFile::new("t.mjml".into(), "t.mjml".into(), source);
        let mut diagnostics = Vec::new();
        let checked = parse_sources([(&file, Part::Html)], &mut diagnostics);
        let settings = Settings::new(dialect, &[]);
        checked.iter().flat_map(|c| self::dialect(c, &settings)).map(|d| d.to_string()).collect()
    }

    #[test]
    fn missing_variables_have_positions() {
        let (missing, _) =
            usage("Hi {{name}},\n  {{order.number}} {{order.total}}", json!({"name": "A", "order": {"number": 1}}));
        assert_eq!(missing, [("order.total".to_owned(), 2, 20)]);
    }

    #[test]
    fn each_checks_item_fields_and_marks_them_used() {
        let source = "{{#each items}}{{name}} {{price}} {{../currency}} {{@index}}{{/each}}";
        let data =
            json!({"items": [{"name": "a", "price": "1", "sku": "x"}, {"name": "b"}], "currency": "EUR", "extra": 1});
        let (missing, unused) = usage(source, data);
        assert_eq!(missing.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["price"]);
        assert_eq!(unused, ["items[].sku", "extra"]);
    }

    #[test]
    fn keys_read_through_each_over_an_object_and_length_are_used() {
        let source = "{{#each settings}}{{@key}}={{this}} {{/each}}{{#if items.length}}{{items.length}}{{/if}}";
        let (missing, unused) = usage(source, json!({"settings": {"a": 1, "b": 2}, "items": [1, 2]}));
        assert!(missing.is_empty(), "{missing:?}");
        assert!(unused.is_empty(), "{unused:?}");
    }

    #[test]
    fn branches_not_taken_use_keys_without_reporting_them_missing() {
        let source = "{{#each items}}{{name}}{{else}}{{none_label}}{{/each}}{{#if vip}}{{vip_note}}{{else}}{{plain_note}}{{/if}}";
        let data =
            json!({"items": [{"name": "a"}], "none_label": "Nothing", "vip": true, "vip_note": "x", "plain_note": "y"});
        let (missing, unused) = usage(source, data);
        assert!(missing.is_empty(), "{missing:?}");
        assert!(unused.is_empty(), "{unused:?}");
        let (missing, _) = usage(source, json!({"items": [], "vip": false}));
        assert_eq!(missing.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["none_label", "plain_note"]);
    }

    #[test]
    fn optional_data_behind_if_is_not_missing() {
        let source = "{{#if coupon}}{{coupon.code}}{{else}}{{fallback}}{{/if}}";
        let (missing, _) = usage(source, json!({"fallback": "none"}));
        assert!(missing.is_empty());
        let (missing, _) = usage(source, json!({"coupon": {"other": 1}}));
        assert_eq!(missing[0].0, "coupon.code");
    }

    #[test]
    fn postmark_rejects_what_mustachio_lacks_with_its_alternative() {
        let found = problems("a\n  {{#if x}}y{{else}}z{{/if}} {{#each l}}{{this}}{{/each}}", DialectName::Postmark);
        assert!(
            found[0].starts_with(
                "t.mjml:2:3: error[dialect-unsupported]: Postmark's Mustachio has no `{{#if}}`; write `{{#name}}"
            ),
            "{found:?}"
        );
        assert!(found.iter().any(|f| f.contains("2:13") && f.contains("`{{else}}`")), "{found:?}");
        assert!(found.iter().any(|f| f.contains("`this`") && f.contains("`{{.}}`")), "{found:?}");
        assert!(problems("{{#each l}}{{.}}{{/each}}{{#x}}{{y}}{{/x}}{{^x}}n{{/x}}", DialectName::Postmark).is_empty());
    }

    #[test]
    fn helpers_belong_to_their_dialect() {
        let found = problems("{{#equals a b}}x{{/equals}}", DialectName::Handlebars);
        assert!(
            found[0].contains("`equals` is not a helper in handlebars.js (the sendgrid dialect has it)"),
            "{found:?}"
        );
        assert!(problems("{{#equals a b}}x{{/equals}} {{formatDate d \"YYYY\"}}", DialectName::Sendgrid).is_empty());
        let found = problems("{{#if (eq a b)}}x{{/if}}", DialectName::Handlebars);
        assert!(found.iter().any(|f| f.contains("add it to `helpers`")), "{found:?}");
        let found = problems("<p>{{name}}</p>{{{raw}}}", DialectName::Ses);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("warning[unescaped-value]: Amazon SES does not escape `name`"), "{found:?}");
    }
}
