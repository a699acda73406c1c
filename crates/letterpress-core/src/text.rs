//! Turns email HTML into the plain-text part of the message.

/// Plain-text lines are wrapped here, the width mail clients have long assumed.
pub const TEXT_WIDTH: usize = 78;

/// Renders `html` as readable plain text: headings, lists and tables laid out, links listed as
/// numbered references, styles and comments dropped.
pub fn html_to_text(html: &str) -> String {
    // Email layouts are tables all the way down: raw mode reads every cell in order instead of
    // drawing the grid, and the document's CSS hides what the HTML hides (the preheader).
    let text = html2text::config::plain_no_decorate()
        .raw_mode(true)
        .use_doc_css()
        .link_footnotes(true)
        .no_link_wrapping()
        .string_from_read(html.as_bytes(), TEXT_WIDTH)
        .unwrap_or_default();
    tidy(&text)
}

/// Renders HTML that still holds Handlebars placeholders as a plain-text Handlebars template.
///
/// Block helpers written between table rows (`{{#each items}}<tr>…</tr>{{/each}}`, as in an
/// `mj-table`) are not allowed there by the HTML parsing rules: a parser moves such text out of
/// the table, which would leave the rows outside their loop. They are moved into the neighbouring
/// cell first — an opening one into the first cell of the row after it, a closing one or an
/// `{{else}}` into the last cell of the row before it — so the text keeps the loop around the rows.
pub fn template_to_text(html: &str) -> String {
    blank_lines_into_blocks(&html_to_text(&anchor_blocks_in_tables(&hoist_blocks_out_of_comments(html))))
}

/// Moves each blank line that stands just before a line holding only a block tag to just after
/// it.
///
/// The text part is filled exactly as the provider fills it, with no tidying afterwards, so the
/// template itself must leave one blank line between paragraphs whichever branches the data
/// takes. A line holding only `{{#if x}}` or `{{/if}}` disappears when filled (Handlebars's
/// standalone lines); with the separator inside the block, a block that renders brings its
/// separator along and one that does not leaves none behind.
fn blank_lines_into_blocks(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    let mut pending = false;
    for line in text.lines().flat_map(split_block_tags) {
        let tag = line.trim();
        let standalone_tag =
            tag.starts_with("{{") && tag.ends_with("}}") && tag.matches("{{").count() == 1 && is_block_tag(tag);
        if standalone_tag {
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
                pending = true;
            }
            lines.push(line);
            continue;
        }
        if pending && !line.is_empty() {
            lines.push("");
        }
        pending = false;
        lines.push(line);
    }
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Moves block tags out of HTML comments.
///
/// MJML wraps the seams between sections in Outlook conditional comments
/// (`<!--[if mso | IE]></td></tr>…<![endif]-->`), so a `{{#each}}` written in an `mj-raw` between
/// sections ends up inside one. Every client shows what the loop repeats, and the text part must
/// repeat it too, but a text converter drops comments and the tags with them. Each block tag is
/// lifted out between two halves of its comment; what else the comment holds stays hidden.
fn hoist_blocks_out_of_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = html[at..].find("<!--") {
        let start = at + found;
        let Some(len) = html[start + 4..].find("-->") else { break };
        let end = start + 4 + len + 3;
        out.push_str(&html[at..start]);
        let comment = &html[start..end];
        let mut last = 0;
        let mut search = 0;
        while let Some(open) = comment[search..].find("{{") {
            let tag_start = search + open;
            let Some(close) = comment[tag_start..].find("}}") else { break };
            let tag_end = tag_start + close + 2;
            let tag = &comment[tag_start..tag_end];
            if is_block_tag(tag) {
                out.push_str(&comment[last..tag_start]);
                out.push_str("-->");
                out.push_str(tag);
                out.push_str("<!--");
                last = tag_end;
            }
            search = tag_end;
        }
        out.push_str(&comment[last..]);
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// Whether a mustache is a block tag: `{{#…}}`, `{{/…}}`, `{{^…}}`, `{{else…}}`, `{{~#…}}`.
fn is_block_tag(tag: &str) -> bool {
    let inner = tag.trim_start_matches('{').trim_start_matches('~').trim_start();
    inner.starts_with('#') || inner.starts_with('/') || inner.starts_with('^') || inner.starts_with("else")
}

/// Whether a block tag ends a block or a branch: `{{/…}}`, `{{else}}`, `{{^}}`.
fn is_closing_tag(tag: &str) -> bool {
    let inner = tag.trim_start_matches('{').trim_start_matches('~').trim_start();
    inner.starts_with('/') || inner.starts_with('^') || inner.starts_with("else")
}

fn anchor_blocks_in_tables(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = html[at..].find("{{") {
        let start = at + found;
        let Some(len) = html[start..].find("}}") else { break };
        let end = start + len + 2;
        let tag = &html[start..end];
        out.push_str(&html[at..start]);
        at = end;
        if !is_block_tag(tag) {
            out.push_str(tag);
            continue;
        }
        let before = out.trim_end();
        let after = html[end..].trim_start();
        if after.starts_with("<tr") {
            // Before a row: into the row's first cell.
            let row_start = end + (html[end..].len() - after.len());
            let cell = ["<td", "<th"].iter().filter_map(|t| html[row_start..].find(t)).min();
            if let Some(cell) = cell
                && let Some(open_end) = html[row_start + cell..].find('>')
            {
                let insert_at = row_start + cell + open_end + 1;
                out.push_str(&html[end..insert_at]);
                out.push_str(tag);
                at = insert_at;
                continue;
            }
        } else if is_closing_tag(tag) && before.ends_with("</tr>") {
            // Closing a run of rows at the end of a table: into the last cell of the row before.
            let row_end = before.len() - "</tr>".len();
            if let Some(cell_end) = before[..row_end].rfind("</td>").or_else(|| before[..row_end].rfind("</th>")) {
                // The line break ends the row's last line, so the next repetition starts on its own.
                out.insert_str(cell_end, &format!("<br>{tag}"));
                continue;
            }
        }
        out.push_str(tag);
    }
    out.push_str(&html[at..]);
    out
}

/// A line holding only block tags (`{{/each}}{{^items}}`, which MJML's conditional comments leave
/// side by side) as one line per tag, so each is a standalone line that disappears when filled.
fn split_block_tags(line: &str) -> Vec<&str> {
    let trimmed = line.trim();
    let mut tags = Vec::new();
    let mut rest = trimmed;
    while let Some(after) = rest.strip_prefix("{{") {
        let Some(end) = after.find("}}") else { return vec![line] };
        let tag = &rest[..end + 4];
        if !is_block_tag(tag) {
            return vec![line];
        }
        tags.push(tag);
        rest = rest[end + 4..].trim_start();
    }
    if rest.is_empty() && tags.len() > 1 { tags } else { vec![line] }
}

/// Trims trailing spaces and folds runs of blank lines into one, which table-based email layouts
/// otherwise leave behind in large numbers.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_over_table_rows_stay_around_their_rows_in_text() {
        let html = "<table><tr><th>Item</th></tr>{{#each items}}<tr><td>{{name}}</td><td>{{price}}</td></tr>{{else}}<tr><td>None</td></tr>{{/each}}</table><table><tr><td>Total</td></tr></table>";
        let text = template_to_text(html);
        let each = text.find("{{#each items}}").expect("the loop opens in the text");
        let name = text.find("{{name}}").unwrap();
        let price = text.find("{{price}}").unwrap();
        let otherwise = text.find("{{else}}").unwrap();
        let none = text.find("None").unwrap();
        let close = text.find("{{/each}}").unwrap();
        let total = text.find("Total").unwrap();
        assert!(
            each < name && name < price && price < otherwise && otherwise < none && none < close && close < total,
            "{text}"
        );
    }

    #[test]
    fn loops_in_conditional_comments_survive_into_the_text() {
        let html = "<div><p>Items</p></div><!--[if mso | IE]></td></tr>{{#each items}}<tr><td><![endif]--><div><p>{{name}}</p></div><!--[if mso | IE]></td></tr>{{else}}<tr><td><![endif]--><div><p>None</p></div><!--[if mso]></td></tr>{{/each}}<![endif]--><p>End</p>";
        let text = template_to_text(html);
        let order: Vec<usize> = ["Items", "{{#each items}}", "{{name}}", "{{else}}", "None", "{{/each}}", "End"]
            .iter()
            .map(|w| text.find(w).unwrap_or_else(|| panic!("{w} in {text}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(!text.contains("mso"), "{text}");
    }

    #[test]
    fn block_tags_side_by_side_get_a_line_each() {
        assert_eq!(
            blank_lines_into_blocks("a\n{{/each}}{{^items}}\n\nnone\n{{/items}}\n"),
            "a\n{{/each}}\n{{^items}}\n\nnone\n{{/items}}\n"
        );
    }

    #[test]
    fn separators_move_into_blocks_so_any_branch_reads_well() {
        let template = "Order\n\n{{#if note}}\n\n{{note}}\n\n{{/if}}\n\nTotal\n";
        assert_eq!(blank_lines_into_blocks(template), "Order\n{{#if note}}\n\n{{note}}\n{{/if}}\n\nTotal\n");
    }

    #[test]
    fn blocks_outside_tables_are_left_alone() {
        let html = "<div>{{#if vip}}<p>Thanks, {{name}}</p>{{/if}}</div>";
        assert_eq!(anchor_blocks_in_tables(html), html);
        let after_a_table = "<table><tr><td>x</td></tr></table></td></tr>{{#if note}}<p>{{note}}</p>{{/if}}";
        assert_eq!(anchor_blocks_in_tables(after_a_table), after_a_table);
    }

    #[test]
    fn text_keeps_words_and_links_and_drops_styles() {
        let html = r#"<html><head><style>p{color:red}</style></head><body>
            <h1>Welcome, Ada</h1><p>Confirm <a href="https://x.example/c">here</a>.</p>
            <table><tr><td></td></tr></table><p>Bye</p></body></html>"#;
        let text = html_to_text(html);
        assert!(text.contains("Welcome, Ada"), "{text}");
        assert!(text.contains("https://x.example/c"), "{text}");
        assert!(!text.contains("color:red"), "{text}");
        assert!(!text.contains("\n\n\n"), "{text}");
    }
}
