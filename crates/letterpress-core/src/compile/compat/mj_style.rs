//! `mj-style inline="inline"`, applied to the finished HTML with the inliner and the options mrml
//! uses. mrml inlines before the raw content is back, which would leave that content unstyled, so
//! those styles are kept from mrml and applied here instead.

/// Inlines `styles` into `html`.
pub fn inline(html: String, styles: &[String]) -> String {
    if styles.is_empty() {
        return html;
    }
    let inliner = css_inline::CSSInliner::options()
        .inline_style_tags(false)
        .keep_link_tags(true)
        .keep_style_tags(true)
        .load_remote_stylesheets(false)
        .extra_css(Some(std::borrow::Cow::Owned(styles.concat())))
        .build();
    inliner.inline(&html).unwrap_or(html)
}
