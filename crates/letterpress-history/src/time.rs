//! Conversions between `SystemTime` and the millisecond timestamps stored in the database.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch; times before it are stored as the epoch itself,
/// since no send can have happened then.
pub(crate) fn to_millis(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)).unwrap_or(0)
}

pub(crate) fn from_millis(millis: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}

/// Formats a time as RFC 3339 in UTC with milliseconds, e.g. `2026-05-01T09:30:00.250Z`.
pub fn format_time(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

/// Serialises a time as [`format_time`] words it.
pub(crate) mod rfc3339 {
    use std::time::SystemTime;

    pub fn serialize<S: serde::Serializer>(time: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_time(*time))
    }
}

/// Serialises a time that may be unknown as [`format_time`] words it, or `null`.
pub(crate) mod rfc3339_or_null {
    use std::time::SystemTime;

    pub fn serialize<S: serde::Serializer>(time: &Option<SystemTime>, serializer: S) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => serializer.serialize_some(&super::format_time(*time)),
            None => serializer.serialize_none(),
        }
    }
}

/// Serialises a duration that may be unknown as whole milliseconds, or `null`.
pub(crate) mod millis_or_null {
    use std::time::Duration;

    pub fn serialize<S: serde::Serializer>(duration: &Option<Duration>, serializer: S) -> Result<S::Ok, S::Error> {
        match duration {
            Some(duration) => serializer.serialize_some(&u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)),
            None => serializer.serialize_none(),
        }
    }
}
