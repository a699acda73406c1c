//! From a rendered template to a draft: the one place that decides the From address and which
//! project settings go into a test message, so the CLI and the app send the same bytes.

use letterpress_core::{ErrorCode, Project, Rendered};

use crate::message::{Draft, ImageRoots};
use crate::send::Target;

/// The From address of outbox messages when neither the project nor the sender names one.
pub const OUTBOX_FROM: &str = "Letterpress <letterpress@localhost>";

/// Why a send has no From address: none was given, the profile has no sender and the project
/// names none. `option` is the command-line option that gives one, where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no From address: {}set the profile's `sender`, or set `mail.from` in `letterpress.toml`",
    option.map(|o| format!("pass `{o}`, ")).unwrap_or_default()
)]
pub struct NoFrom {
    pub option: Option<&'static str>,
}

impl NoFrom {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::NoSender
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::Outbox;
    use crate::send::{SmtpTarget, Target};

    #[test]
    fn without_any_from_address_an_smtp_send_is_refused_in_one_wording() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("letterpress.toml"), "").unwrap();
        let project = Project::load(dir.path()).unwrap();
        let settings = crate::parse_smtp_url("smtp://localhost:2525", crate::DEFAULT_TIMEOUT).unwrap();
        let smtp = Target::Smtp(SmtpTarget { label: "local".into(), settings, password: None });
        assert_eq!(choose_from(None, Some(" "), &project, &smtp), None);
        assert_eq!(choose_from(Some("a@x.test"), None, &project, &smtp).as_deref(), Some("a@x.test"));
        let outbox = Target::Outbox(Outbox::in_data_dir(dir.path()));
        assert_eq!(choose_from(None, None, &project, &outbox).as_deref(), Some(OUTBOX_FROM));

        let app = NoFrom { option: None };
        assert_eq!(app.code(), ErrorCode::NoSender);
        assert_eq!(
            app.to_string(),
            "no From address: set the profile's `sender`, or set `mail.from` in `letterpress.toml`"
        );
        assert_eq!(
            NoFrom { option: Some("--from") }.to_string(),
            "no From address: pass `--from`, set the profile's `sender`, or set `mail.from` in `letterpress.toml`"
        );
    }
}
