//! (stand-in until the contrast check lands)
pub enum Scheme {
    Light,
    Dark,
}
pub struct Finding {
    pub node: ego_tree::NodeId,
    pub scheme: Scheme,
    pub foreground: String,
    pub background: String,
    pub ratio: f64,
    pub required: f64,
    pub large: bool,
    pub sample: String,
}
pub fn check(_doc: &scraper::Html, _scheme: Scheme) -> Vec<Finding> {
    Vec::new()
}
