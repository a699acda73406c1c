//! A sent message made ready for looking at: its HTML part with the embedded images it refers to
//! by `cid:` turned into `data:` URIs, since a viewer has no mail client to resolve them.

use base64::Engine;
use mail_parser::{MessageParser, MimeHeaders, PartType};

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
