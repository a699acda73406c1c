//! Integration tests of message building, the outbox, settings, the keyring and real SMTP sends.
mod build;
mod keyring;
mod outbox;
mod settings;
mod smtp;
mod support;
