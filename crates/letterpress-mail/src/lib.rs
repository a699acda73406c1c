//! Letterpress mail: building MIME messages and sending them to the local outbox or over SMTP.
//!
//! Messages are built from plain inputs ([`Draft`]) with the date and Message-ID passed in, so
//! the same inputs give the same bytes. Those exact bytes are what the outbox stores, what an
//! SMTP server receives and what the history records. This crate never writes a password to a
//! file: profiles hold none, and passwords live in the system keyring.

mod compose;
mod editing;
mod fold;
mod front;
mod images;
mod keyring;
mod message;
mod outbox;
mod parsed;
mod record;
mod secret;
mod send;
mod settings;
mod smtp;
mod test_send;
mod tls;
mod view;

pub use crate::compose::{NoFrom, OUTBOX_FROM, choose_from, draft};
pub use crate::editing::{
    ConnectionResult, PasswordChange, PasswordLeftover, ProfileInput, ProfileView, ProfilesView, SaveError,
    TestRefused, list_profiles, remove_profile, save_profile, test_profile,
};
pub use crate::front::{FailureReport, SendReport, TargetChoice, TargetError, find_profile};
pub use crate::images::InlineImage;
pub use crate::keyring::{
    KEYRING_SERVICE, KeyringError, PASSWORD_ENV, PasswordError, delete_password, load_password, resolve_password,
    store_password,
};
pub use crate::message::{BuildError, Draft, ImageRoots, Message, MessageId, build, check_address};
pub use crate::outbox::{Outbox, OutboxEntry, OutboxError, OutboxMessage};
pub use crate::parsed::{Envelope, InlinePart, ParsedMessage};
pub use crate::record::{Origin, Recorded, error_chain, send_recorded};
pub use crate::secret::Secret;
pub use crate::send::{
    SendError, SendFailure, Sent, SmtpTarget, Target, send, send_blocking, test_connection_blocking,
};
pub use crate::settings::{
    DEFAULT_TIMEOUT, Profile, ProfileError, ProfileStore, Security, SettingsError, SmtpSettings, is_local_host,
    parse_smtp_url,
};
pub use crate::smtp::{ConnectionReport, FailureKind, Reply, SmtpError, Stage, test_connection};
pub use crate::test_send::{
    MAX_RECIPIENTS, TestSendError, check_rendered, clean_recipients, label, resend, send_rendered,
};
pub use crate::tls::{CaFileError, Fingerprint, Presented, read_ca_file};
pub use crate::view::{MessageView, html_for_viewing};
