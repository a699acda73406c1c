//! The template engines that fill exported templates in production, as data: which constructs
//! each supports, its helpers, how it escapes each part of a message, how it prints and tests
//! values, and what it does with a missing variable. The preview, `check` and `build` all read
//! these tables; nothing else branches on a dialect's name.

use std::fmt;
use std::str::FromStr;

/// How a part escapes `{{value}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Written as it is.
    None,
    /// handlebars.js: `& < > " ' \` =` (`'` as `&#x27;`).
    HandlebarsJs,
    /// .NET's `HtmlEncode` (Postmark's Mustachio): `& < > " '` (`'` as `&#39;`).
    DotNet,
    /// raymond (Mailgun's Go port of Handlebars): `& ' < > "` (`'` as `&apos;`).
    Raymond,
}

impl Escape {
    pub fn apply(self, text: &str, out: &mut String) {
        let table: &[(char, &str)] = match self {
            Escape::None => {
                out.push_str(text);
                return;
            }
            Escape::HandlebarsJs => &[
                ('&', "&amp;"),
                ('<', "&lt;"),
                ('>', "&gt;"),
                ('"', "&quot;"),
                ('\'', "&#x27;"),
                ('`', "&#x60;"),
                ('=', "&#x3D;"),
            ],
            Escape::DotNet => &[('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;"), ('"', "&quot;"), ('\'', "&#39;")],
            Escape::Raymond => &[('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;"), ('"', "&quot;"), ('\'', "&apos;")],
        };
        let mut rest = text;
        while let Some(i) = rest.find(|c| table.iter().any(|(t, _)| *t == c)) {
            out.push_str(&rest[..i]);
            let c = rest[i..].chars().next().unwrap_or_default();
            out.push_str(table.iter().find(|(t, _)| *t == c).map_or("", |(_, e)| e));
            rest = &rest[i + c.len_utf8()..];
        }
        out.push_str(rest);
    }

    pub fn escapes_anything(self) -> bool {
        self != Escape::None
    }
}

/// How values print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printing {
    /// JavaScript's `String(value)`: `3.0` as `3`, lists as `a,b`, objects as `[object Object]`.
    JavaScript,
    /// Mustachio: `True`/`False`, lists and objects as nothing.
    Mustachio,
    /// raymond: lists run together, numbers never in exponent notation.
    Raymond,
}

/// How well a dialect supports a construct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Yes,
    /// The provider does not document it: it may work, so it is a warning.
    Undocumented,
    /// The provider's engine lacks it: an error, with the dialect's way of writing it if any.
    No(Option<&'static str>),
}

/// The constructs a template can use, each checked against a dialect's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Construct {
    /// `{{#if x}}`
    If,
    /// `{{#unless x}}`
    Unless,
    /// `{{#each x}}`
    Each,
    /// `{{#with x}}`
    With,
    /// `{{lookup x y}}`
    Lookup,
    /// `{{log x}}`
    Log,
    /// `{{else}}` inside a block
    Else,
    /// `{{else if x}}`
    ElseChain,
    /// `{{#x}}…{{/x}}` on a value
    Section,
    /// `{{^x}}…{{/x}}`
    Inverted,
    /// `{{this}}` written with the word `this`
    This,
    /// `{{.}}`
    Dot,
    /// `@index`, `@first`, `@last`, `@key`
    DataVariable,
    /// `@root`
    Root,
    /// `../x`
    Parent,
    /// `{{{x}}}`
    TripleStash,
    /// `{{&x}}`
    Ampersand,
    /// `{{! … }}` and `{{!-- … --}}`
    Comment,
    /// `~` in a tag
    WhitespaceControl,
    /// `(helper x)`
    Subexpression,
    /// `key=value` arguments
    HashArgument,
    /// `as |x i|`
    BlockParams,
    /// `[segment]` in a path
    LiteralSegment,
}

impl Construct {
    /// How the construct is written, for messages.
    pub fn written(self) -> &'static str {
        match self {
            Construct::If => "`{{#if}}`",
            Construct::Unless => "`{{#unless}}`",
            Construct::Each => "`{{#each}}`",
            Construct::With => "`{{#with}}`",
            Construct::Lookup => "`lookup`",
            Construct::Log => "`log`",
            Construct::Else => "`{{else}}`",
            Construct::ElseChain => "`{{else if}}`",
            Construct::Section => "sections (`{{#name}}…{{/name}}`)",
            Construct::Inverted => "inverted sections (`{{^name}}…{{/name}}`)",
            Construct::This => "`this`",
            Construct::Dot => "`{{.}}`",
            Construct::DataVariable => "`@index`, `@first`, `@last` and `@key`",
            Construct::Root => "`@root`",
            Construct::Parent => "parent paths (`../`)",
            Construct::TripleStash => "`{{{raw}}}`",
            Construct::Ampersand => "`{{&raw}}`",
            Construct::Comment => "comments (`{{! }}`)",
            Construct::WhitespaceControl => "whitespace control (`~`)",
            Construct::Subexpression => "subexpressions (`(helper x)`)",
            Construct::HashArgument => "hash arguments (`key=value`)",
            Construct::BlockParams => "block parameters (`as |item|`)",
            Construct::LiteralSegment => "bracketed path segments (`[name]`)",
        }
    }
}

/// The dialects a project can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DialectName {
    #[default]
    Handlebars,
    Postmark,
    Sendgrid,
    Mailgun,
    Ses,
}

impl DialectName {
    pub const ALL: [DialectName; 5] =
        [DialectName::Handlebars, DialectName::Postmark, DialectName::Sendgrid, DialectName::Mailgun, DialectName::Ses];

    pub fn as_str(self) -> &'static str {
        match self {
            DialectName::Handlebars => "handlebars",
            DialectName::Postmark => "postmark",
            DialectName::Sendgrid => "sendgrid",
            DialectName::Mailgun => "mailgun",
            DialectName::Ses => "ses",
        }
    }

    pub fn dialect(self) -> &'static Dialect {
        match self {
            DialectName::Handlebars => &HANDLEBARS,
            DialectName::Postmark => &POSTMARK,
            DialectName::Sendgrid => &SENDGRID,
            DialectName::Mailgun => &MAILGUN,
            DialectName::Ses => &SES,
        }
    }
}

impl fmt::Display for DialectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DialectName {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        DialectName::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("unknown dialect `{s}`; use handlebars, postmark, sendgrid, mailgun or ses"))
    }
}

/// One production template engine.
#[derive(Debug)]
pub struct Dialect {
    pub name: DialectName,
    /// The engine, as named in messages.
    pub engine: &'static str,
    /// Constructs not listed are supported.
    pub constructs: &'static [(Construct, Support)],
    /// The helpers it has, by name.
    pub helpers: &'static [&'static str],
    /// Escaping of `{{x}}` in the HTML part, the subject and the plain-text part.
    pub escape_html: Escape,
    pub escape_subject: Escape,
    pub escape_text: Escape,
    pub printing: Printing,
    /// `{{#x}}` over a list repeats the block (Handlebars), or renders it once (Mustachio).
    pub sections_iterate: bool,
    /// `{{#each}}` walks an object's keys.
    pub each_objects: bool,
    /// `{}` counts as true.
    pub empty_object_truthy: bool,
    /// A missing variable stops the send.
    pub missing_is_error: bool,
    /// The largest template the provider takes (HTML, text and subject together where the
    /// provider counts them so), in bytes.
    pub max_template_bytes: Option<usize>,
    pub max_part_bytes: Option<usize>,
    pub max_subject_chars: Option<usize>,
}

impl Dialect {
    pub fn support(&self, construct: Construct) -> Support {
        self.constructs.iter().find(|(c, _)| *c == construct).map_or(Support::Yes, |(_, s)| *s)
    }
}

/// handlebars.js's built-in helpers.
const HANDLEBARS_HELPERS: &[&str] = &["if", "unless", "each", "with", "lookup", "log"];

/// Helpers Letterpress offers beyond handlebars.js, for projects whose production code registers
/// them (with the meaning of the handlebars Rust crate, where they come from).
pub const EXTRA_HELPERS: &[&str] = &["eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "len"];

pub static HANDLEBARS: Dialect = Dialect {
    name: DialectName::Handlebars,
    engine: "handlebars.js",
    constructs: &[],
    helpers: HANDLEBARS_HELPERS,
    escape_html: Escape::HandlebarsJs,
    escape_subject: Escape::None,
    escape_text: Escape::None,
    printing: Printing::JavaScript,
    sections_iterate: true,
    each_objects: true,
    empty_object_truthy: true,
    missing_is_error: false,
    max_template_bytes: None,
    max_part_bytes: None,
    max_subject_chars: None,
};

const SECTION_INSTEAD_OF_IF: &str =
    "write `{{#name}}…{{/name}}`, which renders when `name` is set, and `{{^name}}…{{/name}}` for when it is not";

pub static POSTMARK: Dialect = Dialect {
    name: DialectName::Postmark,
    engine: "Postmark's Mustachio",
    constructs: &[
        (Construct::If, Support::No(Some(SECTION_INSTEAD_OF_IF))),
        (Construct::Unless, Support::No(Some("write `{{^name}}…{{/name}}`, which renders when `name` is not set"))),
        (Construct::With, Support::No(Some("write `{{#name}}…{{/name}}`, which renders its content inside `name`"))),
        (Construct::Lookup, Support::No(None)),
        (Construct::Log, Support::No(None)),
        (
            Construct::Else,
            Support::No(Some(
                "close the block and add `{{^name}}…{{/name}}` for the other case (Mustachio prints `{{else}}` as a variable)",
            )),
        ),
        (Construct::ElseChain, Support::No(Some("use one `{{#name}}…{{/name}}` section per case"))),
        (Construct::This, Support::No(Some("write `{{.}}` for the current item"))),
        (Construct::DataVariable, Support::No(None)),
        (Construct::Root, Support::No(Some("write a path from the current item with `../`"))),
        (Construct::WhitespaceControl, Support::No(Some("remove the `~`"))),
        (Construct::Subexpression, Support::No(None)),
        (Construct::HashArgument, Support::No(None)),
        (Construct::BlockParams, Support::No(Some("write `{{.}}` for the current item"))),
        (Construct::LiteralSegment, Support::No(None)),
    ],
    helpers: &["each"],
    escape_html: Escape::DotNet,
    escape_subject: Escape::None,
    escape_text: Escape::None,
    printing: Printing::Mustachio,
    sections_iterate: false,
    each_objects: false,
    empty_object_truthy: false,
    missing_is_error: false,
    max_template_bytes: None,
    max_part_bytes: None,
    max_subject_chars: None,
};

pub static SENDGRID: Dialect = Dialect {
    name: DialectName::Sendgrid,
    engine: "SendGrid's Handlebars",
    constructs: &[
        (Construct::With, Support::Undocumented),
        (Construct::Lookup, Support::Undocumented),
        (Construct::Log, Support::Undocumented),
        (Construct::Section, Support::Undocumented),
        (Construct::Inverted, Support::Undocumented),
        (Construct::DataVariable, Support::Undocumented),
        (Construct::Parent, Support::Undocumented),
        (Construct::Ampersand, Support::Undocumented),
        (Construct::Comment, Support::Undocumented),
        (Construct::WhitespaceControl, Support::Undocumented),
        (Construct::HashArgument, Support::Undocumented),
        (Construct::BlockParams, Support::Undocumented),
        (Construct::LiteralSegment, Support::Undocumented),
        (Construct::Dot, Support::Undocumented),
    ],
    helpers: &[
        "if",
        "unless",
        "each",
        "with",
        "lookup",
        "log",
        "equals",
        "notEquals",
        "greaterThan",
        "lessThan",
        "and",
        "or",
        "length",
        "formatDate",
        "insert",
    ],
    escape_html: Escape::HandlebarsJs,
    escape_subject: Escape::HandlebarsJs,
    escape_text: Escape::None,
    printing: Printing::JavaScript,
    sections_iterate: true,
    each_objects: true,
    empty_object_truthy: true,
    missing_is_error: false,
    max_template_bytes: None,
    max_part_bytes: Some(1_048_576),
    max_subject_chars: Some(255),
};

pub static MAILGUN: Dialect = Dialect {
    name: DialectName::Mailgun,
    engine: "Mailgun's Handlebars",
    constructs: &[
        (Construct::Lookup, Support::No(None)),
        (Construct::Log, Support::No(None)),
        (Construct::Section, Support::Undocumented),
        (Construct::Inverted, Support::Undocumented),
        (Construct::DataVariable, Support::Undocumented),
        (Construct::Root, Support::Undocumented),
        (Construct::Parent, Support::Undocumented),
        (Construct::Ampersand, Support::Undocumented),
        (Construct::Comment, Support::Undocumented),
        (Construct::WhitespaceControl, Support::Undocumented),
        (Construct::Subexpression, Support::Undocumented),
        (Construct::HashArgument, Support::Undocumented),
        (Construct::BlockParams, Support::Undocumented),
        (Construct::LiteralSegment, Support::Undocumented),
        (Construct::Dot, Support::Undocumented),
    ],
    helpers: &["if", "unless", "each", "with", "equal"],
    escape_html: Escape::Raymond,
    escape_subject: Escape::None,
    escape_text: Escape::None,
    printing: Printing::Raymond,
    sections_iterate: true,
    each_objects: true,
    empty_object_truthy: false,
    missing_is_error: false,
    max_template_bytes: None,
    max_part_bytes: None,
    max_subject_chars: None,
};

pub static SES: Dialect = Dialect {
    name: DialectName::Ses,
    engine: "Amazon SES",
    constructs: &[
        (Construct::DataVariable, Support::Undocumented),
        (Construct::Root, Support::Undocumented),
        (Construct::Parent, Support::Undocumented),
        (Construct::Ampersand, Support::Undocumented),
        (Construct::WhitespaceControl, Support::Undocumented),
        (Construct::Subexpression, Support::Undocumented),
        (Construct::HashArgument, Support::Undocumented),
        (Construct::BlockParams, Support::Undocumented),
        (Construct::LiteralSegment, Support::Undocumented),
    ],
    helpers: HANDLEBARS_HELPERS,
    escape_html: Escape::None,
    escape_subject: Escape::None,
    escape_text: Escape::None,
    printing: Printing::JavaScript,
    sections_iterate: true,
    each_objects: true,
    empty_object_truthy: true,
    missing_is_error: true,
    max_template_bytes: Some(500 * 1024),
    max_part_bytes: None,
    max_subject_chars: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_per_engine() {
        let text = "a&b<c>\"d'e`f=g";
        let run = |e: Escape| {
            let mut out = String::new();
            e.apply(text, &mut out);
            out
        };
        assert_eq!(run(Escape::HandlebarsJs), "a&amp;b&lt;c&gt;&quot;d&#x27;e&#x60;f&#x3D;g");
        assert_eq!(run(Escape::DotNet), "a&amp;b&lt;c&gt;&quot;d&#39;e`f=g");
        assert_eq!(run(Escape::Raymond), "a&amp;b&lt;c&gt;&quot;d&apos;e`f=g");
        assert_eq!(run(Escape::None), text);
    }

    #[test]
    fn names_round_trip() {
        for name in DialectName::ALL {
            assert_eq!(name.as_str().parse::<DialectName>().unwrap(), name);
            assert_eq!(name.dialect().name, name);
        }
        assert!("mustache".parse::<DialectName>().unwrap_err().contains("handlebars, postmark"));
    }
}
