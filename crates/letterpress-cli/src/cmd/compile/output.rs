//! Where compiled HTML goes and under which name, as the `mjml` command decides, and the
//! `--config.minify`, `beautify` and `keepComments` passes over it.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use super::Converted;
use super::args::{CommandLineError, Config};

/// The output name `mjml` gives an input: its last path segment with the first `.mjml` replaced
/// by `.html`, or removed when what is left still has an extension (`x.hbs.mjml` gives `x.hbs`).
pub fn output_name(input: &str) -> String {
    let base = input.rsplit(['/', '\\']).next().unwrap_or(input);
    let without = base.replacen(".mjml", "", 1);
    let has_extension = without.char_indices().any(|(at, c)| c == '.' && at + 1 < without.len());
    base.replacen(".mjml", if has_extension { "" } else { ".html" }, 1)
}

/// Applies the `--config.*` passes `mjml` runs after rendering.
pub fn finish(html: String, config: &Config) -> String {
    let html = if config.keep_comments { html } else { without_comments(&html) };
    if config.minify {
        letterpress_export::minify::minify(&html)
    } else {
        // `beautify` (on by default) only lays the markup out; mrml's layout already puts every
        // block on its own line, and re-indenting could change what inline content shows.
        html
    }
}

/// `html` without its comments, except Outlook's conditional comments, which carry markup.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start..];
        let end = after.find("-->").map_or(after.len(), |e| e + 3);
        let comment = &after[..end];
        out.push_str(&rest[..start]);
        if comment.starts_with("<!--[if") || comment.starts_with("<!--<![endif]") {
            out.push_str(comment);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Writes every document to stdout, each after a `<!-- FILE: name -->` line unless left out.
pub fn to_stdout(converted: &[Converted], file_comment: bool) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    for document in converted {
        if file_comment {
            writeln!(stdout, "<!-- FILE: {} -->", document.file).context("cannot write to standard output")?;
        }
        writeln!(stdout, "{}", document.html).context("cannot write to standard output")?;
    }
    stdout.flush().context("cannot write to standard output")
}

/// Writes for `-o PATH`: into PATH when it is an existing folder, into the current folder when it
/// is empty, else to PATH itself (one input only). `inputs` counts failed inputs too, as `mjml`
/// counts them. Like `mjml`, no folder is created.
pub fn to_path(converted: &[Converted], inputs: usize, path: &str) -> Result<(), CommandLineError> {
    let is_folder = !path.is_empty() && Path::new(path).is_dir();
    if inputs > 1 && !is_folder && !path.is_empty() {
        return Err(CommandLineError(format!(
            "`{path}` is not an existing folder, and several inputs need one (or `-o ''` for the current folder)"
        )));
    }
    if inputs == 1 && !is_folder && !path.is_empty() {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| Path::new(path).to_path_buf());
        if !absolute.parent().is_some_and(Path::is_dir) {
            return Err(CommandLineError(format!("output folder does not exist for `{path}`")));
        }
    }
    let names: Vec<std::path::PathBuf> = converted
        .iter()
        .map(|document| {
            if is_folder {
                Path::new(path).join(output_name(&document.file))
            } else if path.is_empty() {
                output_name(&document.file).into()
            } else {
                path.into()
            }
        })
        .collect();
    // `mjml` would write both and keep the last: one compiled template silently lost. This is
    // the one place Letterpress refuses where `mjml` goes on, before anything is written.
    for (i, name) in names.iter().enumerate() {
        if let Some(j) = names[..i].iter().position(|earlier| earlier == name) {
            return Err(CommandLineError(format!(
                "`{}` and `{}` would both be written to `{}`; compile them into different folders",
                converted[j].file,
                converted[i].file,
                name.display()
            )));
        }
    }
    // Written on every core: with many outputs, the file system's work is a good part of the time.
    let writes: Vec<_> = converted.iter().zip(&names).collect();
    letterpress_core::parallel::map(&writes, |(document, name)| {
        write_output(name, &document.html)
            .map_err(|error| CommandLineError(format!("cannot write `{}`: {error}", name.display())))
    })
    .into_iter()
    .collect()
}

/// Writes `html` to the file `name`, as `mjml` does. A file that already holds exactly these
/// bytes only gets a new modification time, so that whatever goes by it (`make`, a watcher)
/// sees it written: the file ends as a rewrite would leave it, without the file system dropping
/// its blocks and writing the same ones again, which is most of what a repeated build costs.
fn write_output(name: &Path, html: &str) -> std::io::Result<()> {
    // Opened for writing too, so that a file that may not be written fails below as it would.
    if let Ok(mut file) = std::fs::OpenOptions::new().read(true).write(true).open(name)
        && file.metadata().is_ok_and(|meta| meta.is_file() && meta.len() == html.len() as u64)
    {
        let mut existing = Vec::with_capacity(html.len());
        if file.read_to_end(&mut existing).is_ok() && existing == html.as_bytes() {
            return file.set_modified(std::time::SystemTime::now());
        }
    }
    std::fs::write(name, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_mjml() {
        assert_eq!(output_name("src/welcome.mjml"), "welcome.html");
        assert_eq!(output_name("x.hbs.mjml"), "x.hbs");
        assert_eq!(output_name("a.template.mjml"), "a.template");
        assert_eq!(output_name("notes.txt"), "notes.txt");
        assert_eq!(output_name("dir\\mail.mjml"), "mail.html");
    }

    #[test]
    fn an_output_already_written_gets_a_new_time_and_any_other_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail.html");
        std::fs::write(&path, "<p>same</p>").unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
        write_output(&path, "<p>same</p>").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "<p>same</p>");
        assert!(std::fs::metadata(&path).unwrap().modified().unwrap() > old, "the time was left as it was");
        // The same length with other bytes, a shorter text, and no file at all are written.
        for html in ["<p>diff</p>", "<p>x</p>"] {
            write_output(&path, html).unwrap();
            assert_eq!(std::fs::read_to_string(&path).unwrap(), html);
        }
        let fresh = dir.path().join("new.html");
        write_output(&fresh, "<p>new</p>").unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "<p>new</p>");
        // A folder in the output's place is an error, as writing to it is.
        std::fs::create_dir(dir.path().join("taken.html")).unwrap();
        assert!(write_output(&dir.path().join("taken.html"), "<p>x</p>").is_err());
    }

    #[test]
    fn comments_go_but_conditional_comments_stay() {
        let html = "<!-- note --><!--[if mso]><table><![endif]--><p>x</p>";
        assert_eq!(without_comments(html), "<!--[if mso]><table><![endif]--><p>x</p>");
    }
}
