//! From a rendered template to a draft: the one place that decides the From address and which
//! project settings go into a test message, so the CLI and the app send the same bytes.

use letterpress_core::{Project, Rendered};

use crate::message::{Draft, ImageRoots};
use crate::send::Target;

/// The From address of outbox messages when neither the project nor the sender names one.
pub const OUTBOX_FROM: &str = "Letterpress <letterpress@localhost>";

/// The From address of a send: the one asked for, else the profile's sender, else `mail.from`
/// of the project, else (for the local outbox only) [`OUTBOX_FROM`]. `None` means there is no
/// address to send from, which only happens for SMTP targets.
pub fn choose_from(
    explicit: Option<&str>,
    profile_sender: Option<&str>,
    project: &Project,
    target: &Target,
) -> Option<String> {
    let given = |value: Option<&str>| value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    given(explicit)
        .or_else(|| given(profile_sender))
        .or_else(|| given(project.config.mail.from.as_deref()))
        .or_else(|| matches!(target, Target::Outbox(_)).then(|| OUTBOX_FROM.to_owned()))
}

/// The draft of a test message for `rendered`: its subject, HTML and text part, the project's
/// Reply-To and extra headers, and local images embedded from the template's folder.
pub fn draft(project: &Project, rendered: &Rendered, from: &str, to: &[String]) -> Draft {
    let mail = &project.config.mail;
    let base = project.template(&rendered.template).map_or_else(|| project.root.clone(), |t| t.dir.clone());
    Draft {
        from: from.to_owned(),
        reply_to: mail.reply_to.clone(),
        to: to.to_vec(),
        // A subject file usually ends with a newline that is not part of the subject.
        subject: rendered.subject.trim().to_owned(),
        html: rendered.html.clone(),
        text: rendered.text.clone(),
        headers: mail.headers.iter().map(|(name, value)| (name.clone(), value.clone())).collect(),
        images: Some(ImageRoots { base, root: project.root.clone() }),
    }
}
