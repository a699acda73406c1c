//! Building a MIME message from plain inputs: addresses, subject, HTML and text, images, headers.
use std::path::PathBuf;
use std::str::FromStr;
use std::time::SystemTime;

use letterpress_core::ErrorCode;
use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use sha2::{Digest, Sha256};

use crate::fold::{MAX_LINE, TooLong, fold_header_block};
use crate::images::{InlineImage, embed};

/// Where local images live: `src` paths are resolved against `base` (usually the template's
/// folder) and must stay inside `root` (the project folder), after `..` and symbolic links.
#[derive(Debug, Clone)]
pub struct ImageRoots {
    pub base: PathBuf,
    pub root: PathBuf,
}

/// The plain inputs of a message.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// `Name <address>` or a bare address.
    pub from: String,
    pub reply_to: Option<String>,
    pub to: Vec<String>,
    pub subject: String,
    pub html: String,
    /// The plain-text alternative; an empty string leaves it out.
    pub text: String,
    /// Extra headers such as `List-Unsubscribe`, in order.
    pub headers: Vec<(String, String)>,
    /// Embeds local images when set; without it every `src` is left as written.
    pub images: Option<ImageRoots>,
}

/// A Message-ID with its angle brackets, e.g. `<0b5c…@example.com>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageId(String);

impl MessageId {
    /// A fresh random id in the sender's domain (or `letterpress.local` without one).
    pub fn random(from: &str) -> MessageId {
        let domain = from
            .rsplit_once('@')
            .map(|(_, domain)| domain.trim_end_matches('>').trim())
            .filter(|domain| !domain.is_empty() && domain.chars().all(is_id_char))
            .unwrap_or("letterpress.local");
        MessageId(format!("<{}@{domain}>", uuid::Uuid::new_v4().simple()))
    }

    /// Checks an id given by the caller: `<left@right>` with no spaces or line breaks.
    pub fn parse(id: &str) -> Result<MessageId, BuildError> {
        let inner = id.strip_prefix('<').and_then(|rest| rest.strip_suffix('>')).filter(|inner| {
            inner.split_once('@').is_some_and(|(l, r)| !l.is_empty() && !r.is_empty()) && inner.chars().all(is_id_char)
        });
        match inner {
            Some(_) => Ok(MessageId(id.to_owned())),
            None => Err(BuildError::MessageId { id: id.to_owned() }),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | ':' | '\\' | '"' | '[' | ']')
}

impl std::fmt::Display for MessageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A built message: its exact bytes and what a sender needs to know about it.
#[derive(Debug, Clone)]
pub struct Message {
    raw: Vec<u8>,
    message_id: MessageId,
    date: SystemTime,
    subject: String,
    from: String,
    recipients: Vec<String>,
    envelope: Envelope,
    images: Vec<InlineImage>,
}

impl Message {
    /// The exact bytes that are stored and sent.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    pub fn message_id(&self) -> &MessageId {
        &self.message_id
    }

    pub fn date(&self) -> SystemTime {
        self.date
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The From header as given.
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The recipients as given in the draft.
    pub fn recipients(&self) -> &[String] {
        &self.recipients
    }

    /// The size in bytes of [`Message::raw`].
    pub fn size(&self) -> u64 {
        self.raw.len() as u64
    }

    /// The images embedded as inline parts.
    pub fn inline_images(&self) -> &[InlineImage] {
        &self.images
    }

    pub(crate) fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// Wraps bytes sent before (for example from the history) so they can be sent again
    /// unchanged; the envelope comes from the From and To headers.
    pub fn from_raw(raw: Vec<u8>) -> Result<Message, BuildError> {
        let parsed = mail_parser::MessageParser::default().parse(&raw).ok_or(BuildError::Unparsable)?;
        let addresses = |list: Option<&mail_parser::Address<'_>>| -> Vec<String> {
            list.map(|list| list.iter().filter_map(|addr| addr.address().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        let from = addresses(parsed.from()).into_iter().next().ok_or(BuildError::MissingFrom)?;
        let recipients = addresses(parsed.to());
        if recipients.is_empty() {
            return Err(BuildError::NoRecipients);
        }
        let message_id = MessageId::parse(&format!("<{}>", parsed.message_id().ok_or(BuildError::Unparsable)?))?;
        let date = parsed
            .date()
            .map(|date| {
                let seconds = u64::try_from(date.to_timestamp()).unwrap_or(0);
                SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds)
            })
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let subject = parsed.subject().unwrap_or_default().to_owned();
        let envelope = envelope(&from, &recipients)?;
        Ok(Message { raw, message_id, date, subject, from, recipients, envelope, images: Vec::new() })
    }
}

impl Message {
    /// Wraps a message sent before so it can be sent again through any target, to `to`. The
    /// original bytes stay as they were. When `to` names other addresses than the original
    /// recipients, RFC 5322 `Resent-Date`, `Resent-From`, `Resent-To` and `Resent-Message-ID`
    /// fields are put on top, so the copy tells when and to whom it was sent again. `now` dates
    /// the resend, so an outbox keeps it as a new message rather than over the original.
    pub fn resend(raw: Vec<u8>, to: &[String], now: SystemTime) -> Result<Message, BuildError> {
        let original = Message::from_raw(raw)?;
        if to.is_empty() {
            return Err(BuildError::NoRecipients);
        }
        let envelope = envelope(&original.from, to)?;
        let addresses = |list: &[lettre::Address]| {
            let mut list: Vec<String> = list.iter().map(|a| a.to_string().to_ascii_lowercase()).collect();
            list.sort();
            list.dedup();
            list
        };
        let same = addresses(envelope.to()) == addresses(original.envelope.to());
        let raw = if same {
            original.raw
        } else {
            let from = original.envelope.from().map(ToString::to_string).unwrap_or_else(|| original.from.clone());
            let resent_id = MessageId::random(&from);
            let mut dated = lettre::message::header::Headers::new();
            dated.set(lettre::message::header::Date::new(now));
            let date = dated.get_raw("Date").unwrap_or_default().to_owned();
            let mut headers = lettre::message::header::Headers::new();
            let field =
                |name: &'static str, value: String| HeaderValue::new(HeaderName::new_from_ascii_str(name), value);
            headers.insert_raw(field("Resent-Date", date));
            headers.insert_raw(field("Resent-From", from));
            let to: Vec<String> = envelope.to().iter().map(ToString::to_string).collect();
            headers.insert_raw(field("Resent-To", to.join(", ")));
            headers.insert_raw(field("Resent-Message-ID", resent_id.to_string()));
            let mut raw = fold_header_block(&headers.to_string()).map_err(BuildError::from)?.into_bytes();
            raw.extend_from_slice(&original.raw);
            raw
        };
        Ok(Message { raw, date: now, recipients: to.to_vec(), envelope, ..original })
    }
}

/// A message that could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("header `{name}` contains a line break, which could inject headers; remove it")]
    LineBreak { name: String },
    #[error("header name `{name}` is not valid; use letters, digits and dashes")]
    HeaderName { name: String },
    #[error("header `{name}` is set by Letterpress and cannot be given as an extra header")]
    ReservedHeader { name: String },
    #[error("invalid {field} address `{address}`: {reason}")]
    Address { field: &'static str, address: String, reason: String },
    #[error("the message has no recipient")]
    NoRecipients,
    #[error("the message has no From address")]
    MissingFrom,
    #[error("invalid Message-ID `{id}`; expected `<left@right>`")]
    MessageId { id: String },
    #[error("image `{src}` is an absolute path; use a path relative to the template")]
    ImageAbsolute { src: String },
    #[error("image `{src}` is outside the project folder `{}`", root.display())]
    ImageOutside { src: String, root: PathBuf },
    #[error("cannot read image `{src}` at `{}`", path.display())]
    ImageRead {
        src: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the project folder `{}` to look for images", path.display())]
    ImageRoot {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "header `{name}` holds a word of {longest_word} characters, more than the {MAX_LINE} a header line may have; shorten it"
    )]
    HeaderTooLong { name: String, longest_word: usize },
    #[error("the stored message cannot be parsed")]
    Unparsable,
    #[error("cannot build the message")]
    Mime(#[from] lettre::error::Error),
}

impl BuildError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            BuildError::Address { .. } => ErrorCode::InvalidAddress,
            BuildError::NoRecipients => ErrorCode::NoRecipients,
            BuildError::MissingFrom => ErrorCode::NoSender,
            _ => ErrorCode::Build,
        }
    }
}

impl From<TooLong> for BuildError {
    fn from(error: TooLong) -> Self {
        BuildError::HeaderTooLong { name: error.name, longest_word: error.longest_word }
    }
}

/// Folds the top-level header block of a formatted message; the body and the headers of its
/// MIME parts, which lettre writes short, are left as they are.
fn fold_message(raw: Vec<u8>) -> Result<Vec<u8>, BuildError> {
    let Some(end) = raw.windows(4).position(|window| window == b"\r\n\r\n") else {
        return Ok(raw);
    };
    // lettre writes headers in ASCII, encoding anything else (RFC 2047).
    let Ok(block) = std::str::from_utf8(&raw[..end]) else {
        return Ok(raw);
    };
    let mut out = fold_header_block(block)?.into_bytes();
    out.extend_from_slice(&raw[end..]);
    Ok(out)
}

/// Headers the builder writes itself; an extra header of the same name would duplicate or
/// contradict them.
const RESERVED: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

fn no_line_break(name: &str, value: &str) -> Result<(), BuildError> {
    if value.contains(['\r', '\n']) {
        return Err(BuildError::LineBreak { name: name.to_owned() });
    }
    Ok(())
}

fn mailbox(field: &'static str, header: &str, address: &str) -> Result<Mailbox, BuildError> {
    no_line_break(header, address)?;
    // lettre's reasons (`Invalid input`, `Missing domain or user`) do not say what would do.
    Mailbox::from_str(address.trim()).map_err(|_| BuildError::Address {
        field,
        address: address.to_owned(),
        reason: "expected `name@example.com` or `Name <name@example.com>`".to_owned(),
    })
}

/// Checks one address as it would be written in the `field` header (`From`, `To`), so front
/// ends can refuse a mistyped address before anything is rendered, recorded or sent.
pub fn check_address(field: &'static str, address: &str) -> Result<(), BuildError> {
    mailbox(field, field, address).map(|_| ())
}

fn envelope(from: &str, to: &[String]) -> Result<Envelope, BuildError> {
    let from = mailbox("From", "From", from)?;
    let to = to
        .iter()
        .map(|address| mailbox("To", "To", address).map(|mailbox| mailbox.email))
        .collect::<Result<Vec<_>, _>>()?;
    Envelope::new(Some(from.email), to).map_err(|_| BuildError::NoRecipients)
}

/// Builds the message. `date` and `message_id` come from the caller so the same inputs always
/// give the same bytes.
pub fn build(draft: &Draft, date: SystemTime, message_id: &MessageId) -> Result<Message, BuildError> {
    if draft.from.trim().is_empty() {
        return Err(BuildError::MissingFrom);
    }
    if draft.to.is_empty() {
        return Err(BuildError::NoRecipients);
    }
    let mut builder = lettre::Message::builder()
        .from(mailbox("From", "From", &draft.from)?)
        .date(date)
        .message_id(Some(message_id.as_str().to_owned()));
    if let Some(reply_to) = &draft.reply_to {
        builder = builder.reply_to(mailbox("Reply-To", "Reply-To", reply_to)?);
    }
    // One `To` header set once: adding mailboxes one by one makes lettre parse the header
    // written so far on every call, which took seconds for a thousand recipients.
    let to = draft.to.iter().map(|to| mailbox("To", "To", to)).collect::<Result<Vec<_>, _>>()?;
    builder = builder.header(lettre::message::header::To::from(lettre::message::Mailboxes::from_iter(to)));
    no_line_break("Subject", &draft.subject)?;
    builder = builder.subject(draft.subject.clone());
    for (name, value) in &draft.headers {
        let valid_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !valid_name {
            return Err(BuildError::HeaderName { name: name.clone() });
        }
        if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(BuildError::ReservedHeader { name: name.clone() });
        }
        no_line_break(name, value)?;
        let header_name =
            HeaderName::new_from_ascii(name.clone()).map_err(|_| BuildError::HeaderName { name: name.clone() })?;
        // `HeaderValue::new` encodes non-ASCII text (RFC 2047) and folds long lines.
        builder = builder.raw_header(HeaderValue::new(header_name, value.clone()));
    }

    let (html, images) = match &draft.images {
        Some(roots) => {
            let embedded = embed(&draft.html, roots)?;
            (embedded.html, embedded.images)
        }
        None => (draft.html.clone(), Vec::new()),
    };

    // Boundaries derived from the Message-ID keep the output reproducible.
    let boundary = |kind: &str| {
        let digest = Sha256::digest(format!("{kind}{message_id}"));
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        format!("=_{kind}_{hex}")
    };
    let html_part = SinglePart::html(html);
    let html_with_images = if images.is_empty() {
        None
    } else {
        let mut related = MultiPart::related().boundary(boundary("related")).singlepart(html_part.clone());
        for image in &images {
            let content_type = ContentType::parse(&image.content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").expect("valid"));
            related = related.singlepart(
                Attachment::new_inline_with_name(image.content_id.clone(), image.file_name.clone())
                    .body(image.bytes.clone(), content_type),
            );
        }
        Some(related)
    };
    let message = match (draft.text.is_empty(), html_with_images) {
        (true, None) => builder.singlepart(html_part)?,
        (true, Some(related)) => builder.multipart(related)?,
        (false, html) => {
            let alternative = MultiPart::alternative()
                .boundary(boundary("alternative"))
                .singlepart(SinglePart::plain(draft.text.clone()));
            let alternative = match html {
                Some(related) => alternative.multipart(related),
                None => alternative.singlepart(html_part),
            };
            builder.multipart(alternative)?
        }
    };

    Ok(Message {
        raw: fold_message(message.formatted())?,
        message_id: message_id.clone(),
        date,
        subject: draft.subject.clone(),
        from: draft.from.clone(),
        recipients: draft.to.clone(),
        envelope: message.envelope().clone(),
        images,
    })
}
