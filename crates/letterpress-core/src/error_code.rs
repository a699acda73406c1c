//! [`ErrorCode`]: every code a front end can be answered with when something fails, declared once.
//! Each error type of the crates returns one from its `code()`, the app sends it as
//! `CommandError::code` and a failed send's report and history row carry one; the interface
//! imports the same list, generated from this one.

use crate::diagnostic::codes;

codes! {
    /// Why a request failed, as a stable kebab-case name. Front ends branch on this, never on the
    /// message text.
    ErrorCode {
        /// A file or folder could not be read or written.
        Io = "io",
        /// The command needs an open project and none is.
        NoProject = "no-project",
        /// The project folder does not exist.
        ProjectNotFound = "project-not-found",
        /// A path that must be a folder is not one.
        NotAFolder = "not-a-folder",
        /// A name breaks the naming rules.
        InvalidName = "invalid-name",
        /// Something with that name exists already.
        AlreadyExists = "already-exists",
        /// What was asked for does not exist.
        NotFound = "not-found",
        /// The file changed on disk since it was read: reload or overwrite.
        Conflict = "conflict",
        /// A path leads out of the project folder.
        OutsideProject = "outside-project",
        /// A file is not UTF-8 text.
        NotText = "not-text",
        /// The project has no template of that name.
        UnknownTemplate = "unknown-template",
        /// The template has no data set of that name.
        UnknownDataSet = "unknown-data-set",
        /// The template has errors, so it was not sent.
        TemplateErrors = "template-errors",
        /// A send with no recipients.
        NoRecipients = "no-recipients",
        /// A send with more recipients than a test allows.
        TooManyRecipients = "too-many-recipients",
        /// An address that cannot be used.
        InvalidAddress = "invalid-address",
        /// No From address is known.
        NoSender = "no-sender",
        /// The message could not be built.
        Build = "build",
        /// No SMTP profile of that name.
        ProfileNotFound = "profile-not-found",
        /// A profile's settings cannot work.
        InvalidProfile = "invalid-profile",
        /// The profiles file cannot be read or written.
        Profiles = "profiles",
        /// No system keyring is available.
        NoKeyring = "no-keyring",
        /// The system keyring refused access.
        KeyringDenied = "keyring-denied",
        /// The system keyring failed.
        Keyring = "keyring",
        /// A user name with no password.
        NoPassword = "no-password",
        /// The local outbox cannot be read or written.
        Outbox = "outbox",
        /// The send history cannot be read or written.
        History = "history",
        /// A history status that does not exist.
        InvalidStatus = "invalid-status",
        /// SMTP settings that cannot work.
        SmtpSettings = "smtp-settings",
        /// The CA certificate file cannot be used.
        CaFile = "ca-file",
        /// The server's certificate is not trusted.
        UntrustedCertificate = "untrusted-certificate",
        /// The server does not speak TLS on connect.
        NotTlsOnConnect = "not-tls-on-connect",
        /// The TLS handshake failed.
        Tls = "tls",
        /// The server offers a login only after STARTTLS.
        LoginNeedsTls = "login-needs-tls",
        /// The server offers no login this client supports.
        LoginNotOffered = "login-not-offered",
        /// The network failed: refused, reset, unreachable.
        Network = "network",
        /// The server does not answer like an SMTP server.
        NotSmtp = "not-smtp",
        /// STARTTLS was required and the server does not offer it.
        StarttlsNotOffered = "starttls-not-offered",
        /// The server did not answer in time.
        Timeout = "timeout",
        /// The server refused with a reply.
        Rejected = "rejected",
        /// The SMTP exchange failed otherwise.
        Exchange = "exchange",
        /// No export format of that name.
        UnknownFormat = "unknown-format",
        /// No folder was chosen to export into.
        NoFolder = "no-folder",
        /// A path an export would write is not allowed.
        InvalidPath = "invalid-path",
        /// A path leads out of the export's target folder.
        OutsideTarget = "outside-target",
        /// A symbolic link where an export writes.
        Link = "link",
        /// The base URL for images cannot be used.
        InvalidBaseUrl = "invalid-base-url",
        /// The target folder moved while the export was planned.
        TargetMoved = "target-moved",
        /// A file in the target that an export did not write.
        NotOwned = "not-owned",
        /// An export target among the project's sources.
        InsideSources = "inside-sources",
        /// The export was planned before another one.
        StalePlan = "stale-plan",
        /// Something that should not happen did.
        Internal = "internal",
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_name_is_kebab_case_unique_and_read_back() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(name.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())), "{name}");
            assert!(seen.insert(name), "`{name}` is declared twice");
            assert_eq!(ErrorCode::parse(name), Some(code));
        }
        assert_eq!(ErrorCode::parse("no-such-code"), None);
    }
}
