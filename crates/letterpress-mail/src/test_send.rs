//! A test send as both front ends make it: the recipients checked, a rendered template refused
//! while it has errors, its message built, sent and recorded, and a message from the history
//! sent again. Each refusal is worded here, with its stable code.

use std::path::Path;
use std::time::SystemTime;

use letterpress_core::{ErrorCode, Project, Rendered};
use letterpress_history::{History, HistoryError, SendId};

use crate::compose::draft;
use crate::front::{SendReport, TargetChoice, TargetError};
use crate::message::{BuildError, Message, MessageId, build};
use crate::record::{Origin, send_recorded};
use crate::send::Target;

/// The most recipients one send may have; a test goes to a few people, not a mailing list.
pub const MAX_RECIPIENTS: usize = 50;

/// Why a test message was not sent. A send that was tried and failed is not an error: its
/// report says how it failed.
#[derive(Debug, thiserror::Error)]
pub enum TestSendError {
    #[error("add at least one recipient")]
    NoRecipients,
    #[error("a test goes to at most {MAX_RECIPIENTS} recipients")]
    TooManyRecipients,
    #[error("`{label}` has errors and was not sent")]
    TemplateErrors { label: String },
    #[error("cannot build the message for `{label}`")]
    Build {
        label: String,
        #[source]
        source: BuildError,
    },
    #[error(transparent)]
    Resend(BuildError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    History(#[from] HistoryError),
}

impl TestSendError {
    /// A stable code for front ends to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            TestSendError::NoRecipients => ErrorCode::NoRecipients,
            TestSendError::TooManyRecipients => ErrorCode::TooManyRecipients,
            TestSendError::TemplateErrors { .. } => ErrorCode::TemplateErrors,
            TestSendError::Build { source, .. } | TestSendError::Resend(source) => source.code(),
            TestSendError::Target(error) => error.code(),
            TestSendError::History(error) => error.code(),
        }
    }
}

/// The recipients trimmed, blank ones dropped; an empty or overlong list is refused. Addresses
/// themselves are checked when the message is built.
pub fn clean_recipients(recipients: Vec<String>) -> Result<Vec<String>, TestSendError> {
    let list: Vec<String> = recipients.into_iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
    if list.is_empty() {
        return Err(TestSendError::NoRecipients);
    }
    if list.len() > MAX_RECIPIENTS {
        return Err(TestSendError::TooManyRecipients);
    }
    Ok(list)
}

/// A rendered template as sends name it: `template/data set`, or the template alone.
pub fn label(rendered: &Rendered) -> String {
    match &rendered.data_set {
        Some(set) => format!("{}/{set}", rendered.template),
        None => rendered.template.clone(),
    }
}

/// Refuses a rendered template with errors: it is never sent.
pub fn check_rendered(rendered: &Rendered) -> Result<(), TestSendError> {
    if rendered.has_errors() {
        return Err(TestSendError::TemplateErrors { label: label(rendered) });
    }
    Ok(())
}

/// Builds the test message of `rendered` from `from` to `recipients`, sends it through
/// `target` and records it in `history`, before it leaves and after.
pub fn send_rendered(
    history: &History,
    project: &Project,
    rendered: &Rendered,
    from: &str,
    recipients: &[String],
    target: &Target,
) -> Result<SendReport, TestSendError> {
    check_rendered(rendered)?;
    let draft = draft(project, rendered, from, recipients);
    let started_at = SystemTime::now();
    let message = build(&draft, started_at, &MessageId::random(from))
        .map_err(|source| TestSendError::Build { label: label(rendered), source })?;
    let origin = Origin {
        template: rendered.template.clone(),
        data_set: rendered.data_set.clone(),
        data: Some(rendered.data.clone()),
    };
    let recorded = send_recorded(history, target, &message, &origin, started_at)?;
    Ok(SendReport::new(recorded, &message, &origin, target))
}

/// Sends the message of history row `id` again, byte for byte, to `recipients` (the original
/// ones when all are blank) through the target `choice` names in `data_dir`; the resend gets a
/// history row of its own.
pub fn resend(
    data_dir: &Path,
    id: SendId,
    recipients: Vec<String>,
    choice: &TargetChoice,
) -> Result<SendReport, TestSendError> {
    let history = History::open_in(data_dir)?;
    let record = history.get(id)?;
    let recipients = if recipients.iter().all(|r| r.trim().is_empty()) {
        record.summary.recipients.clone()
    } else {
        clean_recipients(recipients)?
    };
    let (target, _) = choice.resolve(data_dir, None)?;
    let started_at = SystemTime::now();
    let message = Message::resend(record.raw, &recipients, started_at).map_err(TestSendError::Resend)?;
    let origin = Origin {
        template: record.summary.template.clone(),
        data_set: record.summary.data_set.clone(),
        data: record.data.clone(),
    };
    let recorded = send_recorded(&history, &target, &message, &origin, started_at)?;
    Ok(SendReport::new(recorded, &message, &origin, &target))
}

#[cfg(test)]
mod tests {
    use letterpress_core::Pipeline;
    use letterpress_history::Status;

    use super::*;
    use crate::outbox::Outbox;

    /// A project with `welcome` (data set `default`) and `broken`, whose MJML does not compile.
    fn project(dir: &Path) -> Project {
        let root = dir.join("project");
        let files = [
            ("welcome/template.mjml", "<mjml><mj-body><mj-text>Hi {{name}}</mj-text></mj-body></mjml>\n"),
            ("welcome/subject.hbs", "Welcome {{name}}\n"),
            ("welcome/data/default.json", "{\"name\": \"Ada\"}\n"),
            ("broken/template.mjml", "<mjml><mj-body><mj-nonsense></mj-nonsense></mj-body></mjml>\n"),
            ("broken/subject.hbs", "Broken\n"),
        ];
        for (path, contents) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        Project::load(&root).unwrap()
    }

    #[test]
    fn recipients_are_trimmed_and_must_be_neither_none_nor_too_many() {
        assert_eq!(clean_recipients(vec![" a@x.test ".into(), "".into()]).unwrap(), ["a@x.test"]);
        let none = clean_recipients(vec![" ".into()]).unwrap_err();
        assert_eq!((none.code(), none.to_string().as_str()), (ErrorCode::NoRecipients, "add at least one recipient"));
        let many = (0..=MAX_RECIPIENTS).map(|n| format!("r{n}@x.test")).collect();
        assert_eq!(clean_recipients(many).unwrap_err().code(), ErrorCode::TooManyRecipients);
        let most = (0..MAX_RECIPIENTS).map(|n| format!("r{n}@x.test")).collect();
        assert_eq!(clean_recipients(most).unwrap().len(), MAX_RECIPIENTS);
    }

    #[test]
    fn a_template_with_errors_is_refused_before_anything_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let data = dir.path().join("data");
        let rendered = Pipeline::default().render(&project, "broken", None).unwrap();
        assert_eq!(label(&rendered), "broken");
        let history = History::open_in(&data).unwrap();
        let target = Target::Outbox(Outbox::in_data_dir(&data));
        let error =
            send_rendered(&history, &project, &rendered, "a@x.test", &["b@x.test".into()], &target).unwrap_err();
        assert_eq!(error.code(), ErrorCode::TemplateErrors);
        assert_eq!(error.to_string(), "`broken` has errors and was not sent");
        assert!(history.list(&Default::default()).unwrap().is_empty(), "nothing was recorded");
    }

    #[test]
    fn a_send_is_recorded_and_a_resend_gets_a_row_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let project = project(dir.path());
        let data = dir.path().join("data");
        let rendered = Pipeline::default().render(&project, "welcome", None).unwrap();
        assert_eq!(label(&rendered), "welcome/default");
        let history = History::open_in(&data).unwrap();
        let target = Target::Outbox(Outbox::in_data_dir(&data));
        let to = ["b@x.test".to_owned()];
        let sent = send_rendered(&history, &project, &rendered, "a@x.test", &to, &target).unwrap();
        assert!(sent.ok, "{sent:?}");
        assert_eq!((sent.subject.as_str(), sent.data_set.as_deref()), ("Welcome Ada", Some("default")));
        assert!(sent.outbox_file.as_ref().is_some_and(|f| f.is_file()));

        let again = resend(&data, SendId(sent.history_id), vec![" ".into()], &TargetChoice::Outbox).unwrap();
        assert!(again.ok && again.history_id != sent.history_id, "{again:?}");
        assert_eq!(again.recipients, to, "blank recipients mean the original ones");
        let other = resend(&data, SendId(sent.history_id), vec!["c@x.test".into()], &TargetChoice::Outbox).unwrap();
        assert_eq!(other.recipients, ["c@x.test"]);
        let rows = History::open_in(&data).unwrap().list(&Default::default()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.status == Status::Sent && r.template == "welcome"));

        let unknown = resend(&data, SendId(9_999), Vec::new(), &TargetChoice::Outbox).unwrap_err();
        assert!(matches!(unknown, TestSendError::History(_)), "{unknown}");
        let nobody = TargetChoice::Profile { name: "nope".into() };
        let error = resend(&data, SendId(sent.history_id), Vec::new(), &nobody).unwrap_err();
        assert_eq!(error.code(), ErrorCode::ProfileNotFound);
    }
}
