//! Letterpress core: template projects, the MJML compile and Handlebars fill pipeline, and diagnostics.
