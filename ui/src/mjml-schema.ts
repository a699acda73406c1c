// The MJML components with their children and attributes, from the MJML documentation. It drives
// tag and attribute completion in the editor through the XML language's schema support.

import type { AttrSpec, ElementSpec } from "@codemirror/lang-xml";

const padding = ["padding", "padding-top", "padding-right", "padding-bottom", "padding-left"];
const border = ["border", "border-top", "border-right", "border-bottom", "border-left"];
const innerBorder = [
  "inner-border",
  "inner-border-top",
  "inner-border-right",
  "inner-border-bottom",
  "inner-border-left",
  "inner-border-radius",
];
const font = [
  "color",
  "font-family",
  "font-size",
  "font-style",
  "font-weight",
  "line-height",
  "letter-spacing",
  "text-decoration",
  "text-transform",
];
const link = ["href", "rel", "target", "title", "name"];
const background = [
  "background-color",
  "background-url",
  "background-repeat",
  "background-size",
  "background-position",
  "background-position-x",
  "background-position-y",
];

/** Values offered for attributes that take one of a few keywords. */
const values: Record<string, string[]> = {
  align: ["left", "center", "right"],
  "text-align": ["left", "center", "right", "justify"],
  "vertical-align": ["top", "middle", "bottom"],
  "font-style": ["normal", "italic"],
  "font-weight": ["normal", "bold", "300", "400", "500", "600", "700", "800"],
  "text-decoration": ["none", "underline", "line-through"],
  "text-transform": ["none", "uppercase", "lowercase", "capitalize"],
  target: ["_blank", "_self"],
  direction: ["ltr", "rtl"],
  dir: ["ltr", "rtl", "auto"],
  "background-repeat": ["repeat", "no-repeat"],
  "background-size": ["auto", "cover", "contain"],
  "full-width": ["full-width", "false"],
  "fluid-on-mobile": ["true", "false"],
  "border-style": ["solid", "dashed", "dotted"],
  mode: ["horizontal", "vertical", "fluid-height", "fixed-height"],
  "icon-position": ["left", "right"],
  "icon-align": ["top", "middle", "bottom"],
  "ico-align": ["left", "center", "right"],
  hamburger: ["hamburger"],
  thumbnails: ["visible", "hidden"],
  "table-layout": ["auto", "fixed"],
  role: ["presentation", "none"],
  type: ["mjml", "html", "css"],
  "css-inline": ["inline"],
  inline: ["inline"],
  position: ["file-start"],
  owa: ["desktop"],
};

/** Every MJML tag: its attributes and the tags it may contain. */
export const MJML_TAGS: Record<string, { attributes: string[]; children?: string[]; info: string; top?: boolean }> = {
  mjml: { attributes: ["lang", "dir", "owa"], children: ["mj-head", "mj-body"], info: "The root of an MJML document", top: true },
  "mj-head": {
    attributes: [],
    children: ["mj-attributes", "mj-breakpoint", "mj-font", "mj-html-attributes", "mj-preview", "mj-style", "mj-title", "mj-raw", "mj-include"],
    info: "Document settings, styles and fonts",
  },
  "mj-body": {
    attributes: ["width", "background-color"],
    children: ["mj-section", "mj-wrapper", "mj-hero", "mj-raw", "mj-include"],
    info: "The visible content of the email",
  },
  "mj-attributes": { attributes: [], children: [], info: "Default attributes for components and classes" },
  "mj-all": { attributes: ["font-family", "font-size", "color", "line-height", "padding"], info: "Default attributes for every component" },
  "mj-class": { attributes: ["name", ...font, ...padding, "background-color", "align"], info: "A named set of attributes to apply with mj-class" },
  "mj-breakpoint": { attributes: ["width"], info: "The width at which columns stack on mobile" },
  "mj-font": { attributes: ["name", "href"], info: "Imports a web font" },
  "mj-html-attributes": { attributes: [], children: ["mj-selector"], info: "Adds HTML attributes to elements of the output" },
  "mj-selector": { attributes: ["path"], children: ["mj-html-attribute"], info: "A CSS selector in the output" },
  "mj-html-attribute": { attributes: ["name"], info: "An HTML attribute to add" },
  "mj-preview": { attributes: [], info: "The preheader text shown after the subject in inboxes" },
  "mj-style": { attributes: ["inline"], info: "CSS, inlined with inline=\"inline\"" },
  "mj-title": { attributes: [], info: "The HTML document title" },
  "mj-raw": { attributes: ["position"], info: "Raw HTML or template tags, left untouched" },
  "mj-include": { attributes: ["path", "type", "css-inline"], info: "Includes another MJML, HTML or CSS file" },
  "mj-wrapper": {
    attributes: [...background, ...border, "border-radius", "css-class", "full-width", ...padding, "text-align", "gap"],
    children: ["mj-section", "mj-hero", "mj-raw", "mj-include"],
    info: "Groups sections, e.g. to share a background",
  },
  "mj-section": {
    attributes: [...background, ...border, "border-radius", "direction", "full-width", ...padding, "text-align"],
    children: ["mj-column", "mj-group", "mj-raw", "mj-include"],
    info: "A row of columns",
  },
  "mj-group": {
    attributes: ["width", "vertical-align", "background-color", "direction"],
    children: ["mj-column", "mj-raw", "mj-include"],
    info: "Keeps columns side by side on mobile",
  },
  "mj-column": {
    attributes: ["width", "vertical-align", "background-color", "inner-background-color", ...border, "border-radius", ...innerBorder, ...padding, "direction"],
    children: [],
    info: "A column holding content components",
  },
  "mj-hero": {
    attributes: [
      "mode",
      "height",
      "width",
      "background-url",
      "background-width",
      "background-height",
      "background-position",
      "background-color",
      "border-radius",
      "container-background-color",
      "inner-background-color",
      "inner-padding",
      ...padding,
      "vertical-align",
    ],
    children: [],
    info: "A section with a background image and content over it",
  },
  "mj-text": {
    attributes: [...font, "align", "container-background-color", "height", ...padding],
    info: "Text, with any HTML inside",
  },
  "mj-button": {
    attributes: [
      ...font,
      ...link,
      "align",
      "background-color",
      ...border,
      "border-radius",
      "container-background-color",
      "height",
      "width",
      "inner-padding",
      ...padding,
      "text-align",
      "vertical-align",
    ],
    info: "A call-to-action button",
  },
  "mj-image": {
    attributes: [
      "src",
      "srcset",
      "sizes",
      "alt",
      ...link,
      "usemap",
      "width",
      "height",
      "align",
      ...border,
      "border-radius",
      "container-background-color",
      "fluid-on-mobile",
      ...padding,
    ],
    info: "A responsive image",
  },
  "mj-divider": {
    attributes: ["border-color", "border-style", "border-width", "width", "align", "container-background-color", ...padding],
    info: "A horizontal rule",
  },
  "mj-spacer": { attributes: ["height", "container-background-color", ...padding], info: "Vertical space" },
  "mj-table": {
    attributes: ["align", "border", "cellpadding", "cellspacing", "color", "container-background-color", "font-family", "font-size", "line-height", ...padding, "role", "table-layout", "width"],
    info: "An HTML table",
  },
  "mj-social": {
    attributes: [
      "align",
      "border-radius",
      "color",
      "container-background-color",
      "font-family",
      "font-size",
      "font-style",
      "font-weight",
      "icon-height",
      "icon-size",
      "icon-padding",
      "inner-padding",
      "line-height",
      "mode",
      ...padding,
      "text-decoration",
      "text-padding",
    ],
    children: ["mj-social-element", "mj-raw"],
    info: "Social network links",
  },
  "mj-social-element": {
    attributes: [
      "name",
      "href",
      "src",
      "srcset",
      "sizes",
      "alt",
      "title",
      "rel",
      "target",
      "align",
      "background-color",
      "border-radius",
      "color",
      "font-family",
      "font-size",
      "font-style",
      "font-weight",
      "icon-height",
      "icon-size",
      "icon-padding",
      "line-height",
      ...padding,
      "text-decoration",
      "text-padding",
      "vertical-align",
    ],
    info: "One social network link",
  },
  "mj-navbar": {
    attributes: [
      "align",
      "base-url",
      "hamburger",
      "ico-align",
      "ico-close",
      "ico-color",
      "ico-font-family",
      "ico-font-size",
      "ico-line-height",
      "ico-open",
      "ico-padding",
      "ico-text-decoration",
      "ico-text-transform",
    ],
    children: ["mj-navbar-link", "mj-raw"],
    info: "A navigation bar",
  },
  "mj-navbar-link": { attributes: [...font, ...link, ...padding], info: "A link in the navigation bar" },
  "mj-accordion": {
    attributes: [
      "border",
      "container-background-color",
      "font-family",
      "icon-align",
      "icon-height",
      "icon-width",
      "icon-position",
      "icon-wrapped-url",
      "icon-wrapped-alt",
      "icon-unwrapped-url",
      "icon-unwrapped-alt",
      ...padding,
    ],
    children: ["mj-accordion-element", "mj-raw"],
    info: "Collapsible sections, where the client supports them",
  },
  "mj-accordion-element": {
    attributes: ["background-color", "border", "font-family", "icon-align", "icon-height", "icon-width", "icon-position", "icon-wrapped-url", "icon-wrapped-alt", "icon-unwrapped-url", "icon-unwrapped-alt"],
    children: ["mj-accordion-title", "mj-accordion-text"],
    info: "One collapsible section",
  },
  "mj-accordion-title": { attributes: ["background-color", "color", "font-family", "font-size", ...padding], info: "The title of an accordion element" },
  "mj-accordion-text": {
    attributes: ["background-color", "color", "font-family", "font-size", "font-weight", "letter-spacing", "line-height", ...padding],
    info: "The content of an accordion element",
  },
  "mj-carousel": {
    attributes: [
      "align",
      "border-radius",
      "container-background-color",
      "icon-width",
      "left-icon",
      "right-icon",
      "thumbnails",
      "tb-border",
      "tb-border-radius",
      "tb-hover-border-color",
      "tb-selected-border-color",
      "tb-width",
    ],
    children: ["mj-carousel-image"],
    info: "An image gallery, where the client supports it",
  },
  "mj-carousel-image": {
    attributes: ["src", "alt", "href", "rel", "target", "title", "thumbnails-src", "border-radius", "tb-border", "tb-border-radius"],
    info: "One image of a carousel",
  },
};

/** Components that go inside a column or a hero. */
const CONTENT = ["mj-text", "mj-button", "mj-image", "mj-divider", "mj-spacer", "mj-table", "mj-social", "mj-navbar", "mj-accordion", "mj-carousel", "mj-raw", "mj-include"];
MJML_TAGS["mj-column"].children = CONTENT;
MJML_TAGS["mj-hero"].children = CONTENT;
// In mj-attributes, any component can be given defaults.
MJML_TAGS["mj-attributes"].children = ["mj-all", "mj-class", ...Object.keys(MJML_TAGS).filter((t) => t.startsWith("mj-") && !["mj-head", "mj-attributes", "mj-all", "mj-class"].includes(t))];

/** Attributes allowed on every component. */
export const GLOBAL_ATTRIBUTES = ["mj-class", "css-class"];

// Attributes given by name alone must be declared globally; one-off specs need no declaration.
function attrSpec(name: string): AttrSpec {
  const options = values[name];
  return options ? { name, values: options } : { name };
}

/** The schema in the form `@codemirror/lang-xml` takes. */
export function xmlSchema(): { elements: ElementSpec[]; attributes: AttrSpec[] } {
  const elements: ElementSpec[] = Object.entries(MJML_TAGS).map(([name, tag]) => ({
    name,
    top: tag.top ?? false,
    children: tag.children ?? [],
    attributes: [...new Set(tag.attributes)].map(attrSpec),
    completion: { detail: tag.info, type: "type" },
  }));
  const attributes: AttrSpec[] = GLOBAL_ATTRIBUTES.map((name) => ({ name, global: true }));
  return { elements, attributes };
}
