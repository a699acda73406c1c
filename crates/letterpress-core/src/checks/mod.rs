//! The inbox checks: what a template says to mail clients and to people, beyond what MJML
//! requires. Each check has a stable id, a default severity and a place in the MJML source.

pub mod caniemail;
pub mod contrast;
pub mod support;
