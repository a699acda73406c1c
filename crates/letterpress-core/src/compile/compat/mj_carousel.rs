//! `mj-carousel`: mrml 6.0.1 writes the carousel's rule for Yahoo as `@media screen, yahoo`,
//! which every screen matches, so it hides the carousel's arrows everywhere. The reference writes
//! `@media screen yahoo`, a query no browser matches, so the arrows show.

use super::Splices;

const MRML: &str = "@media screen, yahoo {";

/// Respells every such query mrml wrote in the head of `html`; the body's raw content is the
/// author's, and the reference leaves it as written.
pub fn repair(html: &str, splices: &mut Splices<'_>) {
    let head = memchr::memmem::find(html.as_bytes(), b"</head>").map_or(html, |end| &html[..end]);
    for at in memchr::memmem::find_iter(head.as_bytes(), MRML) {
        splices.replace(at..at + MRML.len(), "@media screen yahoo {");
    }
}
