//! A sent message read back: headers, the text and HTML parts and the inline images.
use mail_parser::{Addr, MessageParser, MimeHeaders, PartType};

/// The parts of a message a person wants to look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedMessage {
    /// Every header in order, with folded lines joined and encoded words left as sent.
    pub headers: Vec<(String, String)>,
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub date: Option<String>,
    /// Without angle brackets, as mail readers show it.
    pub message_id: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub inline_parts: Vec<InlinePart>,
}

/// What the inbox and a message's view show of its header: subject, addresses, date and ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub subject: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    /// RFC 3339, from the Date header.
    pub date: Option<String>,
    pub message_id: Option<String>,
    /// The `Resent-To` field of a message sent again to other recipients.
    pub resent_to: Option<String>,
}

impl Envelope {
    /// The envelope of a parsed message; an empty one for a message that could not be parsed.
    pub fn of(parsed: Option<&ParsedMessage>) -> Envelope {
        let Some(parsed) = parsed else { return Envelope::default() };
        Envelope {
            subject: parsed.subject.clone(),
            from: parsed.from.clone(),
            to: parsed.to.clone(),
            date: parsed.date.clone(),
            message_id: parsed.message_id.clone(),
            resent_to: parsed.header("Resent-To").map(str::to_owned),
        }
    }
}

/// A non-text part of the message, such as an embedded image.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PartView"))]
#[serde(rename_all = "camelCase")]
pub struct InlinePart {
    pub content_id: Option<String>,
    pub content_type: String,
    pub size: usize,
}

impl ParsedMessage {
    pub fn parse(raw: &[u8]) -> Option<ParsedMessage> {
        let message = MessageParser::default().parse(raw)?;
        let headers = message
            .headers_raw()
            .map(|(name, value)| {
                let unfolded = value
                    .split(['\r', '\n'])
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                (name.to_owned(), unfolded)
            })
            .collect();
        let mailbox = |addr: &Addr<'_>| {
            let address = addr.address().unwrap_or_default();
            match addr.name() {
                Some(name) => format!("{name} <{address}>"),
                None => address.to_owned(),
            }
        };
        let mut text = None;
        let mut html = None;
        let mut inline_parts = Vec::new();
        for part in &message.parts {
            match &part.body {
                PartType::Text(body) if text.is_none() && part.is_content_type("text", "plain") => {
                    text = Some(body.to_string());
                }
                PartType::Html(body) if html.is_none() => html = Some(body.to_string()),
                PartType::Binary(body) | PartType::InlineBinary(body) => {
                    let content_type = part
                        .content_type()
                        .map(|ct| match ct.subtype() {
                            Some(sub) => format!("{}/{sub}", ct.ctype()),
                            None => ct.ctype().to_owned(),
                        })
                        .unwrap_or_default();
                    inline_parts.push(InlinePart {
                        content_id: part.content_id().map(str::to_owned),
                        content_type,
                        size: body.len(),
                    });
                }
                _ => {}
            }
        }
        Some(ParsedMessage {
            headers,
            subject: message.subject().map(str::to_owned),
            from: message.from().and_then(|list| list.first()).map(mailbox),
            to: message.to().map(|list| list.iter().map(mailbox).collect()).unwrap_or_default(),
            date: message.date().map(|date| date.to_rfc3339()),
            message_id: message.message_id().map(str::to_owned),
            text,
            html,
            inline_parts,
        })
    }

    /// The first header with this name, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
