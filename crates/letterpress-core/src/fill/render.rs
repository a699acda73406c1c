//! Fills a parsed template with data, with handlebars.js 4.7's semantics adjusted by a dialect's
//! table (escaping, printing, truthiness, helpers), and records what the data was asked for.

use std::collections::BTreeSet;
use std::rc::Rc;

use serde_json::Value;

use super::dialect::{Dialect, Escape, Printing};
use super::helpers;
use super::syntax::{Block, Call, Expr, Path, Program, Span, Stmt};
use super::value::{Val, js_keys, js_string};

/// The largest filled part, so a loop over a loop over a loop cannot fill the memory.
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;
/// How many statements one fill may run, for the same reason when the output stays small.
pub const MAX_STEPS: usize = 20_000_000;

/// A fill that failed, with the place in the template that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
    pub span: Option<Span>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// A reference to a variable the data does not have.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    /// The expression as written, e.g. `order.number`.
    pub expression: String,
    pub span: Span,
}

/// What a fill asked of the data.
#[derive(Debug, Default, Clone)]
pub struct Usage {
    /// Data paths read, like `order.items[].name`.
    pub used: BTreeSet<String>,
    pub missing: BTreeSet<Missing>,
}

/// A value and where in the data it came from (`None` for literals and helper results).
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub val: Val<'a>,
    pub path: Option<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(val: Val<'a>, path: Option<String>) -> Self {
        Ctx { val, path }
    }

    pub fn literal(value: Value) -> Self {
        Ctx { val: Val::Own(value), path: None }
    }

    pub fn undefined() -> Self {
        Ctx { val: Val::Undefined, path: None }
    }

    /// The data path of a property of this value.
    fn child_path(&self, name: &str) -> Option<String> {
        let parent = self.path.as_ref()?;
        let segment = match self.val.json() {
            Some(Value::Array(_)) if name != "length" => return Some(format!("{parent}[]")),
            _ => name,
        };
        Some(if parent.is_empty() { segment.to_owned() } else { format!("{parent}.{segment}") })
    }

    pub fn property(&self, name: &str) -> Ctx<'a> {
        Ctx { val: self.val.property(name), path: self.child_path(name) }
    }
}

/// The `@` variables of one level of iteration.
#[derive(Debug, Clone)]
struct Frame<'a> {
    root: Ctx<'a>,
    index: Option<usize>,
    key: Option<Value>,
    first: Option<bool>,
    last: Option<bool>,
    parent: Option<Rc<Frame<'a>>>,
}

/// What a helper is called with.
pub struct Args<'a, 't> {
    pub name: &'t str,
    pub params: Vec<Ctx<'a>>,
    pub hash: Vec<(&'t str, Ctx<'a>)>,
    pub span: Span,
    /// The block's programs, for block helpers.
    pub block: Option<&'t Block>,
}

impl<'a> Args<'a, '_> {
    pub fn hash(&self, key: &str) -> Option<&Ctx<'a>> {
        self.hash.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn error(&self, message: impl Into<String>) -> RenderError {
        RenderError { message: message.into(), span: Some(self.span) }
    }
}

/// What a helper gives back: a value to print (escaped in `{{…}}`), or text a block produced.
pub enum Output<'a> {
    Value(Ctx<'a>),
    Text(String),
}

pub struct Renderer<'a, 't, 'u> {
    pub dialect: &'t Dialect,
    pub escape: Escape,
    /// Helper names the project declares beyond the dialect's own.
    pub extra_helpers: &'t [String],
    usage: Option<&'u mut Usage>,
    quiet: usize,
    steps: usize,
    context: Ctx<'a>,
    depths: Vec<Ctx<'a>>,
    block_params: Vec<(&'t [String], Vec<Ctx<'a>>)>,
    data: Rc<Frame<'a>>,
}

impl<'a, 't, 'u> Renderer<'a, 't, 'u> {
    pub fn new(dialect: &'t Dialect, escape: Escape, extra_helpers: &'t [String], root: &'a Value) -> Self {
        let root = Ctx::new(Val::Ref(root), Some(String::new()));
        Renderer {
            dialect,
            escape,
            extra_helpers,
            usage: None,
            quiet: 0,
            steps: 0,
            context: root.clone(),
            depths: vec![root.clone()],
            block_params: Vec::new(),
            data: Rc::new(Frame { root, index: None, key: None, first: None, last: None, parent: None }),
        }
    }

    /// Records what the data is asked for; branches not taken are walked too, quietly.
    pub fn tracing(mut self, usage: &'u mut Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    pub fn render(&mut self, program: &'t Program) -> Result<String, RenderError> {
        let mut out = String::new();
        self.statements(program, &mut out)?;
        Ok(out)
    }

    /// Counts one step of work, failing past [`MAX_STEPS`]. Every statement and every entry into
    /// a program counts, so a loop over an empty body is bounded too.
    fn step(&mut self) -> Result<(), RenderError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(RenderError {
                message: format!("filling takes more than {MAX_STEPS} steps; check for loops nested over large data"),
                span: None,
            });
        }
        Ok(())
    }

    fn statements(&mut self, program: &'t Program, out: &mut String) -> Result<(), RenderError> {
        self.step()?;
        for stmt in &program.body {
            self.step()?;
            match stmt {
                Stmt::Content(content) => out.push_str(&content.value),
                Stmt::Comment(_) => {}
                Stmt::Mustache(mustache) => {
                    let value = match self.mustache_value(&mustache.call, mustache.span) {
                        Ok(value) => value,
                        Err(error) if self.usage.is_some() => {
                            // Tracing goes on past a failure, to learn what the rest uses.
                            self.recover(&mustache.call, None);
                            let _ = error;
                            continue;
                        }
                        Err(error) => return Err(error),
                    };
                    let text = self.print(&value.val);
                    if mustache.escaped {
                        self.escape.apply(&text, out);
                    } else {
                        out.push_str(&text);
                    }
                }
                Stmt::Block(block) => match self.block(block, out) {
                    Ok(()) => {}
                    Err(_) if self.usage.is_some() => self.recover(&block.call, Some(block)),
                    Err(error) => return Err(error),
                },
            }
            if out.len() > MAX_OUTPUT {
                return Err(RenderError {
                    message: format!("the filled text is larger than {} MiB", MAX_OUTPUT / 1024 / 1024),
                    span: None,
                });
            }
        }
        Ok(())
    }

    /// After a failure while tracing: the arguments and both branches still count as used.
    fn recover(&mut self, call: &'t Call, block: Option<&'t Block>) {
        self.quiet += 1;
        self.touch(call);
        if let Some(block) = block {
            let this = self.this();
            for program in [&block.program, &block.inverse].into_iter().flatten() {
                self.shadow(program, this.clone());
            }
        }
        self.quiet -= 1;
    }

    /// Resolves every path of a call, its subexpressions' too, without calling any helper.
    fn touch(&mut self, call: &'t Call) {
        if !call.path.is_simple() || !call.has_arguments() {
            self.resolve(&call.path);
        }
        for param in call.params.iter().chain(call.hash.iter().map(|h| &h.value)) {
            match param {
                Expr::Path(path) => {
                    self.resolve(path);
                }
                Expr::Sub(sub) => self.touch(sub),
                _ => {}
            }
        }
    }

    /// How the dialect prints a value.
    pub fn print(&self, val: &Val<'_>) -> String {
        match (self.dialect.printing, val.json()) {
            (_, None | Some(Value::Null)) => String::new(),
            (Printing::Mustachio, Some(Value::Bool(b))) => if *b { "True" } else { "False" }.to_owned(),
            (Printing::Mustachio, Some(Value::Array(_) | Value::Object(_))) => String::new(),
            (Printing::Raymond, Some(Value::Array(items))) => {
                items.iter().map(|item| self.print(&Val::Ref(item))).collect()
            }
            (Printing::Raymond, Some(Value::Number(n))) => {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 1e300 { format!("{f:.0}") } else { format!("{f}") }
            }
            (_, Some(value)) => val_display(value),
        }
    }

    /// Whether the dialect takes a value as true (`if`, sections).
    pub fn truthy(&self, val: &Val<'_>) -> bool {
        if !self.dialect.empty_object_truthy && matches!(val.json(), Some(Value::Object(m)) if m.is_empty()) {
            return false;
        }
        !val.is_falsy()
    }

    fn is_block_param(&self, name: &str) -> bool {
        self.block_params.iter().any(|(names, _)| names.iter().any(|n| n == name))
    }

    /// Whether `path` names a helper here (and is not a block parameter).
    fn helper_named(&self, path: &'t Path) -> Option<&'t str> {
        if !path.is_simple() || self.is_block_param(&path.parts[0]) {
            return None;
        }
        let name = path.parts[0].as_str();
        (self.dialect.helpers.contains(&name) || self.extra_helpers.iter().any(|h| h == name)).then_some(name)
    }

    /// Resolves a path to a value and records it.
    pub fn resolve(&mut self, path: &Path) -> Ctx<'a> {
        let found = self.lookup(path);
        if let (Some(usage), Some(p)) = (self.usage.as_deref_mut(), &found.path)
            && !found.val.is_undefined()
            && !p.is_empty()
        {
            usage.used.insert(p.clone());
        }
        found
    }

    fn lookup(&self, path: &Path) -> Ctx<'a> {
        // Block parameters come first, for plain paths.
        if path.depth == 0 && !path.scoped && !path.parts.is_empty() {
            for (names, values) in self.block_params.iter().rev() {
                if let Some(i) = names.iter().position(|n| *n == path.parts[0]) {
                    let base = values.get(i).cloned().unwrap_or_else(Ctx::undefined);
                    return walk(base, &path.parts[1..], false);
                }
            }
        }
        if path.data {
            let mut frame = Some(self.data.clone());
            for _ in 0..path.depth {
                frame = frame.and_then(|f| f.parent.clone());
            }
            let Some(frame) = frame else { return Ctx::undefined() };
            let Some((first, rest)) = path.parts.split_first() else { return Ctx::undefined() };
            let base = match first.as_str() {
                "root" => frame.root.clone(),
                "index" => frame.index.map_or_else(Ctx::undefined, |i| Ctx::literal(Value::from(i))),
                "key" => frame.key.clone().map_or_else(Ctx::undefined, Ctx::literal),
                "first" => frame.first.map_or_else(Ctx::undefined, |b| Ctx::literal(Value::Bool(b))),
                "last" => frame.last.map_or_else(Ctx::undefined, |b| Ctx::literal(Value::Bool(b))),
                _ => Ctx::undefined(),
            };
            return walk(base, rest, true);
        }
        let base = if path.depth == 0 {
            self.context.clone()
        } else {
            match self.depths.len().checked_sub(1 + path.depth) {
                Some(i) => self.depths[i].clone(),
                None => Ctx::undefined(),
            }
        };
        walk(base, &path.parts, false)
    }

    /// The value of `{{call}}`.
    fn mustache_value(&mut self, call: &'t Call, span: Span) -> Result<Ctx<'a>, RenderError> {
        if let Some(name) = self.helper_named(&call.path) {
            let args = self.args(call, name, span, None)?;
            return match helpers::call(self, args, None)? {
                Output::Value(value) => Ok(value),
                Output::Text(text) => Ok(Ctx::literal(Value::String(text))),
            };
        }
        if call.has_arguments() && !self.is_block_param_path(&call.path) {
            return self.not_a_helper(call, span);
        }
        let value = self.resolve(&call.path);
        if value.val.is_undefined()
            && self.quiet == 0
            && let Some(usage) = self.usage.as_deref_mut()
        {
            usage.missing.insert(Missing { expression: call.path.original.clone(), span });
        }
        Ok(value)
    }

    fn is_block_param_path(&self, path: &Path) -> bool {
        path.is_simple() && self.is_block_param(&path.parts[0])
    }

    /// `{{name args}}` where `name` is no helper: handlebars.js's `helperMissing`.
    fn not_a_helper(&mut self, call: &'t Call, span: Span) -> Result<Ctx<'a>, RenderError> {
        let value = self.resolve(&call.path);
        let name = &call.path.original;
        if value.val.is_nullish() {
            if call.params.is_empty() {
                return Ok(Ctx::undefined());
            }
            let hint = helpers::hint(self.dialect, name);
            return Err(RenderError { message: format!("`{name}` is not a helper{hint}"), span: Some(span) });
        }
        Err(RenderError {
            message: format!("`{name}` is a value in the data, not a helper, so it cannot take arguments"),
            span: Some(span),
        })
    }

    fn args(
        &mut self,
        call: &'t Call,
        name: &'t str,
        span: Span,
        block: Option<&'t Block>,
    ) -> Result<Args<'a, 't>, RenderError> {
        let mut params = Vec::with_capacity(call.params.len());
        for param in &call.params {
            params.push(self.expr(param)?);
        }
        let mut hash = Vec::with_capacity(call.hash.len());
        for pair in &call.hash {
            hash.push((pair.key.as_str(), self.expr(&pair.value)?));
        }
        Ok(Args { name, params, hash, span, block })
    }

    pub fn expr(&mut self, expr: &'t Expr) -> Result<Ctx<'a>, RenderError> {
        Ok(match expr {
            Expr::Path(path) => self.resolve(path),
            Expr::Str(s, _) => Ctx::literal(Value::String(s.clone())),
            Expr::Number(n, _) => Ctx::literal(serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)),
            Expr::Bool(b, _) => Ctx::literal(Value::Bool(*b)),
            Expr::Undefined(_) => Ctx::undefined(),
            Expr::Null(_) => Ctx::literal(Value::Null),
            Expr::Sub(call) => {
                if let Some(name) = self.helper_named(&call.path) {
                    let args = self.args(call, name, call.span, None)?;
                    match helpers::call(self, args, None)? {
                        Output::Value(value) => value,
                        Output::Text(text) => Ctx::literal(Value::String(text)),
                    }
                } else if self.is_block_param_path(&call.path) {
                    self.resolve(&call.path)
                } else {
                    self.not_a_helper(call, call.span)?
                }
            }
        })
    }

    fn block(&mut self, block: &'t Block, out: &mut String) -> Result<(), RenderError> {
        let call = &block.call;
        if let Some(name) = self.helper_named(&call.path) {
            let args = self.args(call, name, block.span, Some(block))?;
            return match helpers::call(self, args, Some(out))? {
                Output::Value(value) => {
                    out.push_str(&self.print(&value.val));
                    Ok(())
                }
                Output::Text(text) => {
                    out.push_str(&text);
                    Ok(())
                }
            };
        }
        if call.has_arguments() && !self.is_block_param_path(&call.path) {
            self.not_a_helper(call, block.span)?;
            return Ok(());
        }
        // A section: handlebars.js's `blockHelperMissing`.
        let value = self.resolve(&call.path);
        self.section(block, value, out)
    }

    /// `{{#value}}…{{/value}}` and `{{^value}}…{{/value}}` on a value that is no helper.
    fn section(&mut self, block: &'t Block, value: Ctx<'a>, out: &mut String) -> Result<(), RenderError> {
        let this = self.context.clone();
        match value.val.json() {
            Some(Value::Bool(true)) => self.branch(block, true, this, None, out),
            None | Some(Value::Null | Value::Bool(false)) => self.branch(block, false, value, None, out),
            Some(Value::Array(items)) if self.dialect.sections_iterate => {
                if items.is_empty() {
                    self.branch(block, false, value, None, out)
                } else {
                    self.each(block, value, out)
                }
            }
            _ if !self.dialect.sections_iterate && !self.truthy(&value.val) => {
                self.branch(block, false, value, None, out)
            }
            _ => self.branch(block, true, value, None, out),
        }
    }

    /// Runs the block's program (`fn`) with `context`, or its inverse with the current context as
    /// handlebars.js's helpers do (`options.inverse(this)`), and walks the other quietly.
    pub fn branch(
        &mut self,
        block: &'t Block,
        positive: bool,
        context: Ctx<'a>,
        block_params: Option<Vec<Ctx<'a>>>,
        out: &mut String,
    ) -> Result<(), RenderError> {
        let this = self.context.clone();
        if positive {
            if let Some(program) = &block.program {
                self.program(program, context, None, block_params, out)?;
            }
            if let Some(inverse) = &block.inverse {
                self.shadow(inverse, this);
            }
        } else {
            if let Some(inverse) = &block.inverse {
                self.program(inverse, this, None, None, out)?;
            }
            if let Some(program) = &block.program {
                self.shadow(program, context);
            }
        }
        Ok(())
    }

    /// `with` renders for any value that is not empty, except an empty object where the dialect
    /// takes that as false.
    pub fn truthy_or_zero(&self, val: &Val<'_>) -> bool {
        self.dialect.empty_object_truthy || !matches!(val.json(), Some(Value::Object(m)) if m.is_empty())
    }

    /// Walks a program that the data does not take, to count what it uses as used.
    pub fn shadow(&mut self, program: &'t Program, context: Ctx<'a>) {
        if self.usage.is_none() {
            return;
        }
        self.quiet += 1;
        let mut scratch = String::new();
        let _ = self.program(program, context, None, None, &mut scratch);
        self.quiet -= 1;
    }

    /// handlebars.js's `each`: arrays in order, objects by `Object.keys`, anything else runs the
    /// inverse.
    pub fn each(&mut self, block: &'t Block, value: Ctx<'a>, out: &mut String) -> Result<(), RenderError> {
        let this = self.context.clone();
        let items: Vec<(Value, Ctx<'a>)> = match value.val.json() {
            Some(Value::Array(items)) => {
                (0..items.len()).map(|i| (Value::from(i), value.property(&i.to_string()))).collect()
            }
            Some(Value::Object(map)) => {
                if !self.dialect.each_objects {
                    return Err(RenderError {
                        message: format!(
                            "{} loops only over lists; `{}` is an object",
                            self.dialect.engine,
                            block.call.params.first().map_or("this", |p| match p {
                                Expr::Path(p) => p.original.as_str(),
                                _ => "the value",
                            })
                        ),
                        span: Some(block.span),
                    });
                }
                js_keys(map).into_iter().map(|k| (Value::String(k.clone()), value.property(k))).collect()
            }
            _ => Vec::new(),
        };
        if items.is_empty() {
            if let Some(inverse) = &block.inverse {
                self.program(inverse, this.clone(), None, None, out)?;
            }
            if let Some(program) = &block.program {
                self.shadow(program, Ctx::undefined());
            }
            return Ok(());
        }
        let count = items.len();
        let parent = self.data.clone();
        for (i, (key, item)) in items.into_iter().enumerate() {
            let frame = Rc::new(Frame {
                root: parent.root.clone(),
                index: Some(i),
                key: Some(key.clone()),
                first: Some(i == 0),
                last: Some(i + 1 == count),
                parent: Some(parent.clone()),
            });
            let params = vec![item.clone(), Ctx::literal(key)];
            if let Some(program) = &block.program {
                self.program(program, item, Some(frame), Some(params), out)?;
            }
        }
        if let Some(inverse) = &block.inverse {
            self.shadow(inverse, this);
        }
        Ok(())
    }

    /// Runs a program with a new context, data frame and block parameters.
    fn program(
        &mut self,
        program: &'t Program,
        context: Ctx<'a>,
        frame: Option<Rc<Frame<'a>>>,
        block_params: Option<Vec<Ctx<'a>>>,
        out: &mut String,
    ) -> Result<(), RenderError> {
        let pushed = !self.depths.last().is_some_and(|top| context.val.loosely_equals(&top.val));
        if pushed {
            self.depths.push(context.clone());
        }
        let saved_context = std::mem::replace(&mut self.context, context);
        let saved_frame = frame.map(|f| std::mem::replace(&mut self.data, f));
        self.block_params.push((&program.block_params, block_params.unwrap_or_default()));
        let result = self.statements(program, out);
        self.block_params.pop();
        if let Some(saved) = saved_frame {
            self.data = saved;
        }
        self.context = saved_context;
        if pushed {
            self.depths.pop();
        }
        // Quiet walks go on past a failure, but never past the limit on work.
        if self.quiet > 0 && self.steps <= MAX_STEPS { Ok(()) } else { result }
    }

    /// The current context (`this`).
    pub fn this(&self) -> Ctx<'a> {
        self.context.clone()
    }
}

/// Follows `parts` from `base` as handlebars.js does: a `null` or missing value stops the walk
/// and is the result (`falsy` paths, the `@` ones, stop at any false value).
fn walk<'a>(base: Ctx<'a>, parts: &[String], falsy: bool) -> Ctx<'a> {
    let mut current = base;
    for part in parts {
        let stop = if falsy { current.val.is_falsy() } else { current.val.is_nullish() };
        if stop {
            return current;
        }
        current = current.property(part);
    }
    current
}

fn val_display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => js_string(other),
    }
}
