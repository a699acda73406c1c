//! Whether mrml, given the text the pipeline prepares, parses and renders a document within a
//! stack of a given size: the measurement behind `STACK_BASE` and `STACK_PER_LEVEL` in
//! `compile/mod.rs`. Prints `Some(true)` when it did, `Some(false)` when mrml refused the
//! document, and aborts with a stack overflow when the stack was too small.
//!
//! Usage:
//!   stack_probe BYTES ELEMENT DEPTH        ELEMENT nested DEPTH deep in `mj-body`
//!   stack_probe BYTES in:ELEMENT DEPTH     DEPTH nested `div`s inside ELEMENT (an ending tag)
//!   stack_probe BYTES file 0 PATH          the document at PATH
//!
//! `bench/stack-probe.sh` searches for the smallest stack each case needs.

use letterpress_core::compile::compat;
use mrml::prelude::parser::ParserOptions;
use mrml::prelude::render::RenderOptions;

fn run(text: String, stack: usize) -> Option<bool> {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let prepared = compat::prepare(&text).text;
            match mrml::parse_with_options(&prepared, &ParserOptions::default()) {
                Ok(p) => p.element.render(&RenderOptions::default()).is_ok(),
                Err(_) => false,
            }
        })
        .unwrap()
        .join()
        .ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: stack_probe BYTES ELEMENT|in:ELEMENT|file DEPTH [PATH]");
        std::process::exit(2);
    }
    let stack: usize = args[1].parse().unwrap();
    let kind = &args[2];
    let depth: usize = args[3].parse().unwrap();
    let text = if let Some(parent) = kind.strip_prefix("in:") {
        let inner = format!("{}{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let (wrap_open, wrap_close) = match parent {
            "mj-accordion-text" | "mj-accordion-title" => (
                "<mj-section><mj-column><mj-accordion><mj-accordion-element>",
                "</mj-accordion-element></mj-accordion></mj-column></mj-section>",
            ),
            "mj-navbar-link" => ("<mj-section><mj-column><mj-navbar>", "</mj-navbar></mj-column></mj-section>"),
            "mj-social-element" => ("<mj-section><mj-column><mj-social>", "</mj-social></mj-column></mj-section>"),
            "mj-carousel-image" => ("<mj-section><mj-column><mj-carousel>", "</mj-carousel></mj-column></mj-section>"),
            _ => ("<mj-section><mj-column>", "</mj-column></mj-section>"),
        };
        format!("<mjml><mj-body>{wrap_open}<{parent}>{inner}</{parent}>{wrap_close}</mj-body></mjml>")
    } else if kind == "file" {
        std::fs::read_to_string(&args[4]).unwrap()
    } else {
        let (open, close) = (format!("<{kind}>"), format!("</{kind}>"));
        format!("<mjml><mj-body>{}{}</mj-body></mjml>", open.repeat(depth), close.repeat(depth))
    };
    println!("{:?}", run(text, stack));
}
