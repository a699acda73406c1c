//! A sent message made ready for looking at: its HTML part with the embedded images it refers to
//! by `cid:` turned into `data:` URIs, since a viewer has no mail client to resolve them.

use base64::Engine;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde::Serialize;

use crate::parsed::{Envelope, InlinePart, ParsedMessage};

/// The raw source shown is cut after this many bytes; large embedded images add nothing a person
/// reads, and the full message stays in the outbox file and the history.
const RAW_LIMIT: usize = 2 * 1024 * 1024;

/// A message taken apart for viewing.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    #[serde(flatten)]
    pub envelope: Envelope,
    pub headers: Vec<(String, String)>,
    pub text: Option<String>,
    /// The HTML part with embedded images as `data:` URIs.
    pub html: Option<String>,
    /// Embedded parts: content type and size.
    pub parts: Vec<InlinePart>,
    pub raw: String,
    pub raw_truncated: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
}

impl MessageView {
    /// The message `raw` taken apart: its headers and parts, its HTML ready for a viewer, and
    /// its source cut after 2 MB. A message that cannot be parsed still shows its source.
    pub fn of(raw: &[u8]) -> MessageView {
        let shown = &raw[..raw.len().min(RAW_LIMIT)];
        let parsed = ParsedMessage::parse(raw);
        let envelope = Envelope::of(parsed.as_ref());
        let parsed = parsed.unwrap_or_default();
        MessageView {
            envelope,
            headers: parsed.headers,
            text: parsed.text,
            html: html_for_viewing(raw),
            parts: parsed.inline_parts,
            raw: String::from_utf8_lossy(shown).into_owned(),
            raw_truncated: shown.len() < raw.len(),
            size: raw.len() as u64,
        }
    }
}

/// The HTML part of `raw` with every `cid:` reference to one of its inline parts replaced by a
/// `data:` URI of that part; `None` when the message has no HTML part.
pub fn html_for_viewing(raw: &[u8]) -> Option<String> {
    let message = MessageParser::default().parse(raw)?;
    let mut html = None;
    let mut images: Vec<(String, String)> = Vec::new();
    for part in &message.parts {
        match &part.body {
            PartType::Html(body) if html.is_none() => html = Some(body.to_string()),
            PartType::Binary(body) | PartType::InlineBinary(body) => {
                let Some(id) = part.content_id() else { continue };
                let content_type = part
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(sub) => format!("{}/{sub}", ct.ctype()),
                        None => ct.ctype().to_owned(),
                    })
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                let id = id.trim_start_matches('<').trim_end_matches('>').to_owned();
                let encoded = base64::engine::general_purpose::STANDARD.encode(body.as_ref());
                images.push((id, format!("data:{content_type};base64,{encoded}")));
            }
            _ => {}
        }
    }
    let mut html = html?;
    for (id, uri) in &images {
        for quote in ['"', '\''] {
            html = html.replace(&format!("{quote}cid:{id}{quote}"), &format!("{quote}{uri}{quote}"));
        }
    }
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_view_holds_headers_parts_and_the_source() {
        let raw = b"From: a@x.test\r\nTo: b@x.test\r\nSubject: Hi\r\nMessage-ID: <1@x.test>\r\nContent-Type: text/html\r\n\r\n<p>Hello</p>\r\n";
        let view = MessageView::of(raw);
        assert_eq!(view.envelope.subject.as_deref(), Some("Hi"));
        assert_eq!(view.envelope.to, ["b@x.test"]);
        assert!(view.html.as_deref().unwrap().contains("<p>Hello</p>"));
        assert_eq!(view.headers[0], ("From".to_owned(), "a@x.test".to_owned()));
        assert_eq!(view.raw.as_bytes(), raw);
        assert!(!view.raw_truncated);
    }

    #[test]
    fn a_long_message_shows_its_source_cut_and_an_unreadable_one_its_bytes() {
        let mut raw = b"From: a@x.test\r\nTo: b@x.test\r\nResent-To: c@x.test\r\nSubject: Big\r\nContent-Type: text/plain\r\n\r\n".to_vec();
        raw.extend(std::iter::repeat_n(b'a', RAW_LIMIT + 10));
        let view = MessageView::of(&raw);
        assert!(view.raw_truncated);
        assert_eq!((view.raw.len(), view.size), (RAW_LIMIT, raw.len() as u64));
        assert_eq!(view.envelope.resent_to.as_deref(), Some("c@x.test"));
        assert_eq!(view.html, None);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!((json["rawTruncated"].as_bool(), json["resentTo"].as_str()), (Some(true), Some("c@x.test")));

        let empty = MessageView::of(b"");
        assert_eq!((empty.envelope, empty.headers.len(), empty.raw.as_str()), (Envelope::default(), 0, ""));
    }

    #[test]
    fn an_outbox_entry_crosses_without_its_path() {
        let entry = crate::OutboxEntry {
            name: "20260101-1.eml".into(),
            path: std::path::PathBuf::from("outbox/20260101-1.eml"),
            size: 12,
            envelope: Envelope {
                subject: Some("Hi".into()),
                to: vec!["b@x.test".into()],
                message_id: Some("1@x.test".into()),
                ..Envelope::default()
            },
        };
        let json = serde_json::to_value(&entry).unwrap();
        assert!(json.get("path").is_none(), "{json}");
        assert_eq!((json["name"].as_str(), json["messageId"].as_str()), (Some("20260101-1.eml"), Some("1@x.test")));
        assert_eq!(json["resentTo"], serde_json::Value::Null);
    }
}
