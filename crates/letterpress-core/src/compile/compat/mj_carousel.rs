//! `mj-carousel`: mrml 6.0.1 writes the carousel's rule for Yahoo as `@media screen, yahoo`,
//! which every screen matches, so it hides the carousel's arrows everywhere. The reference writes
//! `@media screen yahoo`, a query no browser matches, so the arrows show.

use super::Splices;

const MRML: &str = "@media screen, yahoo {";

/// Respells every such query in `html`.
pub fn repair(html: &str, splices: &mut Splices<'_>) {
    for (at, _) in html.match_indices(MRML) {
        splices.replace(at..at + MRML.len(), "@media screen yahoo {");
    }
}
