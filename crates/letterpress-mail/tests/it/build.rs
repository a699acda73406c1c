//! Building messages: structure, headers, header injection and embedded images.
use std::path::Path;

use letterpress_mail::{BuildError, Draft, ImageRoots, Message, MessageId, build};
use mail_parser::{MimeHeaders, PartType};

use crate::support::{built, draft, fixed_date, message_id, parse};

#[test]
fn a_message_has_text_and_html_alternatives_and_all_headers() {
    let message = built(&draft());
    let raw = message.raw();
    let parsed = parse(raw);

    assert_eq!(parsed.subject(), Some("Your receipt — order #1024"));
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Letterpress Tests"));
    assert_eq!(from.address(), Some("sender@example.test"));
    let to: Vec<_> = parsed.to().unwrap().iter().map(|a| a.address().unwrap()).collect();
    assert_eq!(to, ["ada@example.test", "bob@example.test"]);
    assert_eq!(parsed.reply_to().unwrap().first().unwrap().address(), Some("support@example.test"));
    assert_eq!(parsed.message_id(), Some("test-1@example.test"));
    assert_eq!(parsed.date().unwrap().to_timestamp(), 1_780_000_000);
    assert_eq!(parsed.header_raw("List-Unsubscribe").map(str::trim), Some("<https://example.test/unsubscribe?u=1>"));
    assert!(parsed.root_part().is_content_type("multipart", "alternative"));
    assert_eq!(parsed.body_text(0).unwrap().replace("\r\n", "\n").trim_end(), "Thanks, Ada\n\nTotal: 12,00 €");
    assert_eq!(parsed.body_html(0).unwrap(), "<html><body><h1>Thanks, Ada</h1><p>Total: 12,00 €</p></body></html>");

    assert_eq!(message.size(), raw.len() as u64);
    assert_eq!(message.message_id().as_str(), "<test-1@example.test>");
    assert_eq!(message.recipients(), draft().to);
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    assert_eq!(built(&draft()).raw(), built(&draft()).raw());
    let other = build(&draft(), fixed_date(), &message_id(2)).unwrap();
    assert_ne!(built(&draft()).raw(), other.raw());
}

#[test]
fn html_only_drafts_have_a_single_part() {
    let mut html_only = draft();
    html_only.text.clear();
    let message = built(&html_only);
    let parsed = parse(message.raw());
    assert!(parsed.root_part().is_content_type("text", "html"));
}

#[test]
fn line_breaks_in_any_header_are_refused() {
    let injected = "Hello\r\nBcc: victim@example.test";
    type Change = Box<dyn Fn(&mut Draft)>;
    let cases: Vec<(&str, Change)> = vec![
        ("Subject", Box::new(|d| d.subject = injected.to_owned())),
        ("Subject", Box::new(|d| d.subject = "Hello\nBcc: victim@example.test".to_owned())),
        ("From", Box::new(|d| d.from = "a@example.test\r\nBcc: victim@example.test".to_owned())),
        ("Reply-To", Box::new(|d| d.reply_to = Some("a@example.test\nX: y".to_owned()))),
        ("To", Box::new(|d| d.to.push("c@example.test\r\nBcc: victim@example.test".to_owned()))),
        ("List-Unsubscribe", Box::new(|d| d.headers[0].1 = "<https://x.test>\r\nBcc: victim@example.test".to_owned())),
    ];
    for (header, change) in cases {
        let mut bad = draft();
        change(&mut bad);
        let error = build(&bad, fixed_date(), &message_id(1)).unwrap_err();
        assert!(matches!(&error, BuildError::LineBreak { name } if name == header), "{header}: {error:?}");
        assert_eq!(
            error.to_string(),
            format!("header `{header}` contains a line break, which could inject headers; remove it")
        );
    }
}

#[test]
fn extra_headers_cannot_replace_structural_ones_or_have_bad_names() {
    for name in ["Bcc", "content-type", "Subject"] {
        let mut bad = draft();
        bad.headers = vec![(name.to_owned(), "x".to_owned())];
        let error = build(&bad, fixed_date(), &message_id(1)).unwrap_err();
        assert!(matches!(error, BuildError::ReservedHeader { .. }), "{name}: {error:?}");
    }
    for name in ["", "X Bad", "X:Bad", "X-\u{e9}"] {
        let mut bad = draft();
        bad.headers = vec![(name.to_owned(), "x".to_owned())];
        let error = build(&bad, fixed_date(), &message_id(1)).unwrap_err();
        assert!(matches!(error, BuildError::HeaderName { .. }), "{name:?}: {error:?}");
    }
}

#[test]
fn non_ascii_extra_header_values_are_encoded_not_raw() {
    let mut d = draft();
    d.headers = vec![("X-Campaign".to_owned(), "Primavera días".to_owned())];
    let message = built(&d);
    let raw = String::from_utf8_lossy(message.raw());
    let line = raw.lines().find(|l| l.starts_with("X-Campaign:")).unwrap();
    assert!(line.is_ascii(), "{line}");
    // RFC 2047: the non-ASCII word travels as base64 UTF-8 ("ZMOtYXM=" is "días").
    assert_eq!(line, "X-Campaign: Primavera =?utf-8?b?ZMOtYXM=?=");
}

#[test]
fn bad_addresses_and_empty_recipients_are_named() {
    let mut bad = draft();
    bad.to = vec!["not an address".to_owned()];
    let error = build(&bad, fixed_date(), &message_id(1)).unwrap_err();
    assert!(error.to_string().starts_with("invalid To address `not an address`"), "{error}");

    let mut none = draft();
    none.to.clear();
    let error = build(&none, fixed_date(), &message_id(1)).unwrap_err();
    assert_eq!(error.to_string(), "the message has no recipient");

    assert!(MessageId::parse("no-brackets@example.test").is_err());
    assert!(MessageId::parse("<a b@example.test>").is_err());
    assert!(MessageId::parse("<x@y>\r\nBcc: z").is_err());
    let random = MessageId::random("Ada <ada@example.test>");
    assert!(random.as_str().ends_with("@example.test>"), "{random}");
}

/// A project folder with a template folder and shared assets:
/// `root/assets/logo.png`, `root/assets/photo.jpg`, `root/templates/receipt/`.
fn project() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("assets")).unwrap();
    std::fs::create_dir_all(root.path().join("templates/receipt")).unwrap();
    std::fs::write(root.path().join("assets/logo.png"), b"\x89PNG\r\n\x1a\nlogo bytes").unwrap();
    std::fs::write(root.path().join("assets/photo.jpg"), b"\xff\xd8\xff jpeg bytes").unwrap();
    root
}

fn with_images(root: &Path, html: &str) -> Result<Message, BuildError> {
    let mut d = draft();
    d.html = html.to_owned();
    d.images = Some(ImageRoots { base: root.join("templates/receipt"), root: root.to_owned() });
    build(&d, fixed_date(), &message_id(1))
}

#[test]
fn local_images_become_inline_cid_parts_and_remote_ones_stay() {
    let root = project();
    let html = r#"<img src="../../assets/logo.png" alt="Logo"><img src='../../assets/photo.jpg'>
        <img src="https://cdn.example.test/banner.png"><img src="../../assets/logo.png">"#;
    let message = with_images(root.path(), html).unwrap();
    let images = message.inline_images();
    assert_eq!(images.len(), 2, "the repeated logo is embedded once");
    assert_eq!(images[0].content_type, "image/png");
    assert_eq!(images[1].content_type, "image/jpeg");

    let parsed = parse(message.raw());
    assert!(parsed.root_part().is_content_type("multipart", "alternative"));
    let html = parsed.body_html(0).unwrap().into_owned();
    let logo_cid = &images[0].content_id;
    assert_eq!(html.matches(&format!("src=\"cid:{logo_cid}\"")).count(), 2, "{html}");
    assert!(html.contains(&format!("src='cid:{}'", images[1].content_id)), "{html}");
    assert!(html.contains(r#"src="https://cdn.example.test/banner.png""#), "{html}");
    assert!(!html.contains("../"), "{html}");

    let related = parsed
        .parts
        .iter()
        .find(|part| part.is_content_type("multipart", "related"))
        .expect("a multipart/related part");
    let PartType::Multipart(children) = &related.body else {
        panic!("related is a container");
    };
    assert_eq!(children.len(), 3, "html plus two images");
    let logo = parsed.parts.iter().find(|part| part.content_id() == Some(logo_cid.as_str())).expect("the logo part");
    assert!(logo.is_content_type("image", "png"));
    assert_eq!(logo.contents(), b"\x89PNG\r\n\x1a\nlogo bytes");
    assert!(logo.content_disposition().unwrap().is_inline());
}

/// The images the preview shows are the images the message embeds: backgrounds and CSS too.
#[test]
fn background_and_css_images_are_embedded_like_img_sources() {
    let root = project();
    let html = r#"<td background="../../assets/photo.jpg" style="background:url('../../assets/photo.jpg') center">
        <!--[if mso]><v:fill src="../../assets/photo.jpg" /><![endif]--><img src="../../assets/logo.png"></td>"#;
    let message = with_images(root.path(), html).unwrap();
    let images = message.inline_images();
    assert_eq!(images.len(), 2, "{images:?}");
    let photo = &images[0].content_id;
    let html = parse(message.raw()).body_html(0).unwrap().into_owned();
    assert!(html.contains(&format!("background=\"cid:{photo}\"")), "{html}");
    assert!(html.contains(&format!("url('cid:{photo}')")), "{html}");
    assert!(html.contains(&format!("<v:fill src=\"cid:{photo}\"")), "{html}");
    assert!(!html.contains("../"), "{html}");
}

#[test]
fn images_outside_the_project_are_refused() {
    let root = project();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), b"secret").unwrap();

    let up = with_images(root.path(), r#"<img src="../../../secret.png">"#).unwrap_err();
    // The file may not exist there at all; either way nothing outside is read.
    assert!(matches!(up, BuildError::ImageOutside { .. } | BuildError::ImageRead { .. }), "{up:?}");

    let relative_to_outside = pathdiff(outside.path(), &root.path().join("templates/receipt"));
    let escaped = with_images(root.path(), &format!(r#"<img src="{relative_to_outside}/secret.png">"#)).unwrap_err();
    assert!(matches!(escaped, BuildError::ImageOutside { .. }), "{escaped:?}");
    assert!(escaped.to_string().contains("is outside the project folder"), "{escaped}");

    let absolute = with_images(root.path(), &format!(r#"<img src="{}">"#, outside.path().join("secret.png").display()))
        .unwrap_err();
    assert!(matches!(absolute, BuildError::ImageAbsolute { .. }), "{absolute:?}");

    let missing = with_images(root.path(), r#"<img src="../../assets/none.png">"#).unwrap_err();
    assert!(missing.to_string().starts_with("cannot read image `../../assets/none.png`"));
}

#[cfg(unix)]
#[test]
fn symlinks_pointing_out_of_the_project_are_refused() {
    let root = project();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), b"secret").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.png"), root.path().join("assets/link.png")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.path().join("assets/dir")).unwrap();
    for src in ["../../assets/link.png", "../../assets/dir/secret.png"] {
        let error = with_images(root.path(), &format!(r#"<img src="{src}">"#)).unwrap_err();
        assert!(matches!(error, BuildError::ImageOutside { .. }), "{src}: {error:?}");
    }
    // A link that stays inside is fine.
    std::os::unix::fs::symlink(root.path().join("assets/logo.png"), root.path().join("assets/alias.png")).unwrap();
    let message = with_images(root.path(), r#"<img src="../../assets/alias.png">"#).unwrap();
    assert_eq!(message.inline_images().len(), 1);
}

/// `target` relative to `from`, both absolute: as many `..` as `from` is deep, then `target`.
fn pathdiff(target: &Path, from: &Path) -> String {
    let ups = from.components().count() - 1;
    let mut path = "../".repeat(ups);
    path.push_str(target.to_str().unwrap().trim_start_matches('/'));
    path
}

#[test]
fn a_stored_message_can_be_wrapped_again_for_resending() {
    let original = built(&draft());
    let again = Message::from_raw(original.raw().to_vec()).unwrap();
    assert_eq!(again.raw(), original.raw());
    assert_eq!(again.message_id(), original.message_id());
    assert_eq!(again.subject(), original.subject());
    assert_eq!(again.recipients(), ["ada@example.test", "bob@example.test"]);
    assert_eq!(again.date(), fixed_date());
}

/// Every line of the top-level header block, for length checks.
fn header_lines(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap().to_owned();
    head.split("\r\n").map(str::to_owned).collect()
}

#[test]
fn long_recipient_lists_subjects_and_extra_headers_are_folded() {
    let mut d = draft();
    d.to = (0..1000).map(|n| format!("r{n}@example.test")).collect();
    d.to.push("\"Ínés Müller, Ph.D.\" <ines@example.test>".to_owned());
    d.subject = "Lorem ipsum dolor sit amet, ".repeat(110).trim_end().to_owned();
    d.headers.push(("X-Campaign".into(), "word ".repeat(400).trim_end().to_owned()));
    let started = std::time::Instant::now();
    let message = built(&d);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());

    let lines = header_lines(message.raw());
    let longest = lines.iter().map(String::len).max().unwrap();
    assert!(longest <= 78, "a header line of {longest} characters");
    let parsed = parse(message.raw());
    let to: Vec<_> = parsed.to().unwrap().iter().map(|a| a.address().unwrap().to_owned()).collect();
    assert_eq!(to.len(), 1001);
    assert_eq!(to[..1000], d.to[..1000]);
    assert_eq!(parsed.to().unwrap().iter().last().unwrap().name(), Some("Ínés Müller, Ph.D."));
    assert_eq!(parsed.subject(), Some(d.subject.as_str()));
    assert_eq!(parsed.header_raw("X-Campaign").unwrap().replace("\r\n", "").trim(), d.headers[1].1);

    // The same for the `Resent-*` fields of a message sent again to other people.
    let others: Vec<String> = (0..1000).map(|n| format!("other-{n}@example.test")).collect();
    let resent = Message::resend(message.raw().to_vec(), &others, fixed_date()).unwrap();
    assert!(header_lines(resent.raw()).iter().all(|line| line.len() <= 78));
    let parsed = parse(resent.raw());
    let resent_to = parsed.header_raw("Resent-To").unwrap().replace("\r\n", "");
    assert_eq!(resent_to.split(',').count(), 1000);
}

#[test]
fn a_header_word_longer_than_a_line_may_be_is_refused() {
    let mut d = draft();
    d.headers.push(("X-Token".into(), "t".repeat(1200)));
    let error = build(&d, fixed_date(), &message_id(1)).unwrap_err();
    assert!(matches!(error, BuildError::HeaderTooLong { ref name, longest_word: 1201 } if name == "X-Token"));
    assert_eq!(
        error.to_string(),
        "header `X-Token` holds a word of 1201 characters, more than the 998 a header line may have; shorten it"
    );
}
