//! Finds the variables a Handlebars template uses and checks them against a data set: variables
//! the data lacks, and data keys no template uses.

use std::collections::BTreeSet;

use handlebars::template::{BlockParam, HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Path, PathSeg};
use serde_json::Value;

/// One reference to a missing variable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    /// The expression as written, e.g. `order.number`.
    pub expression: String,
    /// One-based line and column of the `{{` in the template source.
    pub line: usize,
    pub column: usize,
}

/// What walking a template against a data set found.
#[derive(Debug, Default)]
pub struct Usage {
    /// Data paths the template reads, like `order.items[].name`.
    pub used: BTreeSet<String>,
    pub missing: BTreeSet<Missing>,
}

/// How many elements of an array are walked to check a `{{#each}}` body. The data sets are
/// samples; checking the first few elements finds what checking all would.
const EACH_SAMPLE: usize = 50;

#[derive(Clone)]
struct Scope<'a> {
    /// The context value; `None` where it cannot be known (inside a block over missing data).
    value: Option<&'a Value>,
    /// The data path of the context value.
    path: String,
    /// Block parameters (`as |item index|`) bound in this scope.
    locals: Vec<(String, Option<&'a Value>, String)>,
}

/// Walks `template` with `data` as the root context, adding what it finds to `usage`.
pub fn analyze(template: &Template, data: &Value, usage: &mut Usage) {
    let root = Scope { value: Some(data), path: String::new(), locals: Vec::new() };
    let mut walker = Walker { usage, stack: vec![root], quiet: 0 };
    walker.template(template);
}

struct Walker<'u, 'a> {
    usage: &'u mut Usage,
    stack: Vec<Scope<'a>>,
    /// Above zero inside branches this data set does not take (`{{else}}` of a non-empty
    /// `each`, the false side of an `if`): what they use counts as used, but nothing in them is
    /// missing, since they never render with this data.
    quiet: usize,
}

/// The result of resolving a path: its value (if it exists) and its data path.
struct Resolved<'a> {
    value: Option<&'a Value>,
    path: String,
    /// Whether the scope was known; in an unknown scope nothing can be said about the path.
    known: bool,
}

impl<'a> Walker<'_, 'a> {
    fn template(&mut self, template: &Template) {
        for (i, element) in template.elements.iter().enumerate() {
            let (line, column) = template.mapping.get(i).map_or((0, 0), |m| (m.0, m.1));
            self.element(element, line, column);
        }
    }

    fn element(&mut self, element: &TemplateElement, line: usize, column: usize) {
        match element {
            TemplateElement::Expression(helper) | TemplateElement::HtmlExpression(helper) => {
                self.expression(helper, line, column);
            }
            TemplateElement::HelperBlock(helper) => self.block(helper, line, column),
            _ => {}
        }
    }

    /// `{{name}}`, `{{order.total}}` or a helper call such as `{{lookup a b}}`.
    fn expression(&mut self, helper: &HelperTemplate, line: usize, column: usize) {
        let is_plain = helper.params.is_empty() && helper.hash.is_empty();
        match &helper.name {
            Parameter::Path(path) if is_plain => {
                self.reference(path, line, column, true);
            }
            Parameter::Name(name) if is_plain => {
                let path = Path::parse(name);
                if let Ok(path) = path {
                    self.reference(&path, line, column, true);
                }
            }
            _ => self.parameters(helper, line, column, true),
        }
    }

    fn parameters(&mut self, helper: &HelperTemplate, line: usize, column: usize, report: bool) {
        for parameter in helper.params.iter().chain(helper.hash.values()) {
            self.parameter(parameter, line, column, report);
        }
    }

    fn parameter(&mut self, parameter: &Parameter, line: usize, column: usize, report: bool) -> Option<Resolved<'a>> {
        match parameter {
            Parameter::Path(path) => Some(self.reference(path, line, column, report)),
            Parameter::Subexpression(sub) => {
                if let TemplateElement::Expression(helper) = sub.element.as_ref() {
                    self.parameters(helper, line, column, report);
                }
                None
            }
            _ => None,
        }
    }

    fn block(&mut self, helper: &HelperTemplate, line: usize, column: usize) {
        let name = match &helper.name {
            Parameter::Name(name) => name.as_str(),
            _ => "",
        };
        match name {
            "each" => self.each(helper, line, column),
            "if" | "unless" => {
                // An absent condition is simply false: optional data is normal, not missing.
                let condition = helper.params.first().and_then(|p| self.parameter(p, line, column, false));
                let truthy = condition.filter(|r| r.known).map(|r| r.value.is_some_and(truthy));
                let (taken, other) = if name == "if" {
                    (&helper.template, &helper.inverse)
                } else {
                    (&helper.inverse, &helper.template)
                };
                match truthy {
                    Some(true) => {
                        self.optional(taken);
                        self.quietly(other);
                    }
                    Some(false) => {
                        self.quietly(taken);
                        self.optional(other);
                    }
                    None => {
                        self.optional(taken);
                        self.optional(other);
                    }
                }
            }
            "with" => {
                let Some(resolved) = helper.params.first().and_then(|p| self.parameter(p, line, column, true)) else {
                    self.optional(&helper.template);
                    return;
                };
                match resolved.value {
                    Some(value) if truthy(value) => {
                        let mut scope = Scope { value: Some(value), path: resolved.path, locals: Vec::new() };
                        if let Some(BlockParam::Single(Parameter::Name(local))) = &helper.block_param {
                            scope.locals.push((local.clone(), Some(value), scope.path.clone()));
                        }
                        self.nested(scope, &helper.template);
                    }
                    _ if resolved.known => self.optional(&helper.inverse),
                    _ => self.unknown(&helper.template),
                }
            }
            _ => {
                self.parameters(helper, line, column, true);
                self.optional(&helper.template);
                self.optional(&helper.inverse);
            }
        }
    }

    fn each(&mut self, helper: &HelperTemplate, line: usize, column: usize) {
        let Some(resolved) = helper.params.first().and_then(|p| self.parameter(p, line, column, true)) else {
            self.unknown(&helper.template);
            return;
        };
        let (item_name, index_name) = match &helper.block_param {
            Some(BlockParam::Single(Parameter::Name(item))) => (Some(item.clone()), None),
            Some(BlockParam::Pair((Parameter::Name(item), Parameter::Name(index)))) => {
                (Some(item.clone()), Some(index.clone()))
            }
            _ => (None, None),
        };
        let items: Vec<&'a Value> = match resolved.value {
            Some(Value::Array(items)) => items.iter().take(EACH_SAMPLE).collect(),
            Some(Value::Object(map)) => map.values().take(EACH_SAMPLE).collect(),
            _ => Vec::new(),
        };
        if items.is_empty() {
            if resolved.known {
                self.optional(&helper.inverse);
            }
            // The body never renders with this data, so nothing in it can be checked.
            self.unknown(&helper.template);
            return;
        }
        self.quietly(&helper.inverse);
        let path = format!("{}[]", resolved.path);
        for item in items {
            let mut scope = Scope { value: Some(item), path: path.clone(), locals: Vec::new() };
            if let Some(item_name) = &item_name {
                scope.locals.push((item_name.clone(), Some(item), path.clone()));
            }
            if let Some(index_name) = &index_name {
                scope.locals.push((index_name.clone(), None, String::new()));
            }
            self.nested(scope, &helper.template);
        }
    }

    fn optional(&mut self, template: &Option<Template>) {
        if let Some(template) = template {
            self.template(template);
        }
    }

    fn quietly(&mut self, template: &Option<Template>) {
        self.quiet += 1;
        self.optional(template);
        self.quiet -= 1;
    }

    fn nested(&mut self, scope: Scope<'a>, template: &Option<Template>) {
        self.stack.push(scope);
        self.optional(template);
        self.stack.pop();
    }

    fn unknown(&mut self, template: &Option<Template>) {
        let scope = Scope { value: None, path: String::new(), locals: Vec::new() };
        self.nested(scope, template);
    }

    /// Resolves a path in the current scope, records it as used and, when `report` is set,
    /// records it as missing if the data lacks it.
    fn reference(&mut self, path: &Path, line: usize, column: usize, report: bool) -> Resolved<'a> {
        let (segments, raw) = match path {
            Path::Relative((segments, raw)) => (segments, raw),
            // `@index`, `@first` and friends are provided by the block helpers.
            Path::Local(_) => return Resolved { value: None, path: String::new(), known: false },
        };
        let mut up = 0;
        let mut from_root = false;
        let mut names: Vec<&str> = Vec::new();
        for segment in segments {
            match segment {
                PathSeg::Named(name) => names.push(name),
                PathSeg::Ruled(rule) => {
                    if format!("{rule:?}") == "path_up" {
                        up += 1;
                    } else {
                        from_root = true;
                    }
                }
                // A kind of segment added by a later handlebars release: nothing can be said.
                _ => return Resolved { value: None, path: String::new(), known: false },
            }
        }
        let depth = self.stack.len();
        let scope = if from_root { &self.stack[0] } else { &self.stack[depth.saturating_sub(1 + up)] };
        let mut value = scope.value;
        let mut data_path = scope.path.clone();
        let mut rest = names.as_slice();
        if let Some(first) = names.first()
            && let Some((_, local_value, local_path)) = scope.locals.iter().find(|(name, _, _)| name == first)
        {
            if local_path.is_empty() {
                return Resolved { value: None, path: String::new(), known: false };
            }
            value = *local_value;
            data_path = local_path.clone();
            rest = &names[1..];
        }
        let known = value.is_some();
        for name in rest {
            value = value.and_then(|v| match v {
                Value::Object(map) => map.get(*name),
                Value::Array(items) => name.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            });
            let is_index = name.parse::<usize>().is_ok();
            if is_index {
                data_path.push_str("[]");
            } else {
                if !data_path.is_empty() {
                    data_path.push('.');
                }
                data_path.push_str(name);
            }
        }
        if known {
            self.usage.used.insert(data_path.clone());
            let present = value.is_some_and(|v| !v.is_null());
            if report && !present && self.quiet == 0 {
                self.usage.missing.insert(Missing { expression: raw.clone(), line, column });
            }
        }
        Resolved { value, path: data_path, known }
    }
}

/// Handlebars truthiness: `false`, `null`, `0`, `""` and `[]` are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(_) => true,
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
    use serde_json::json;

    fn run(source: &str, data: Value) -> (Usage, Vec<String>) {
        let template = Template::compile(source).unwrap();
        let mut usage = Usage::default();
        analyze(&template, &data, &mut usage);
        let unused = unused(&data, &usage.used);
        (usage, unused)
    }

    #[test]
    fn missing_variables_have_positions() {
        let (usage, _) =
            run("Hi {{name}},\n  {{order.number}} {{order.total}}", json!({"name": "A", "order": {"number": 1}}));
        let missing: Vec<_> = usage.missing.iter().map(|m| (m.expression.as_str(), m.line, m.column)).collect();
        assert_eq!(missing, [("order.total", 2, 20)]);
    }

    #[test]
    fn each_checks_item_fields_and_marks_them_used() {
        let source = "{{#each items}}{{name}} {{price}} {{../currency}} {{@index}}{{/each}}";
        let data =
            json!({"items": [{"name": "a", "price": "1", "sku": "x"}, {"name": "b"}], "currency": "EUR", "extra": 1});
        let (usage, unused) = run(source, data);
        let missing: Vec<_> = usage.missing.iter().map(|m| m.expression.as_str()).collect();
        assert_eq!(missing, ["price"]);
        assert_eq!(unused, ["items[].sku", "extra"]);
    }

    #[test]
    fn block_parameters_resolve_to_items() {
        let source = "{{#each items as |item i|}}{{item.name}}{{i}}{{/each}}";
        let (usage, unused) = run(source, json!({"items": [{"name": "a"}]}));
        assert!(usage.missing.is_empty());
        assert!(unused.is_empty(), "{unused:?}");
    }

    #[test]
    fn optional_data_behind_if_is_not_missing() {
        let source = "{{#if coupon}}{{coupon.code}}{{else}}{{fallback}}{{/if}}";
        let (usage, _) = run(source, json!({"fallback": "none"}));
        assert!(usage.missing.is_empty());
        let (usage, _) = run(source, json!({"coupon": {"other": 1}}));
        assert_eq!(usage.missing.iter().next().unwrap().expression, "coupon.code");
    }

    #[test]
    fn branches_not_taken_use_keys_without_reporting_them_missing() {
        let source = "{{#each items}}{{name}}{{else}}{{none_label}}{{/each}}{{#if vip}}{{vip_note}}{{else}}{{plain_note}}{{/if}}";
        let data =
            json!({"items": [{"name": "a"}], "none_label": "Nothing", "vip": true, "vip_note": "x", "plain_note": "y"});
        let (usage, unused) = run(source, data);
        assert!(usage.missing.is_empty(), "{:?}", usage.missing);
        assert!(unused.is_empty(), "{unused:?}");
        let (usage, _) = run(source, json!({"items": [], "vip": false}));
        let missing: Vec<_> = usage.missing.iter().map(|m| m.expression.as_str()).collect();
        assert_eq!(missing, ["none_label", "plain_note"]);
    }

    #[test]
    fn helpers_and_with_blocks() {
        let source =
            "{{#with user}}{{first}} {{last}}{{/with}} {{lookup labels key}} {{#if (eq plan \"pro\")}}x{{/if}}";
        let data = json!({"user": {"first": "A"}, "labels": {}, "key": "k", "plan": "pro"});
        let (usage, unused) = run(source, data);
        let missing: Vec<_> = usage.missing.iter().map(|m| m.expression.as_str()).collect();
        assert_eq!(missing, ["last"]);
        assert!(unused.is_empty(), "{unused:?}");
    }
}
