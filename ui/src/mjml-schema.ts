// MJML's tags, their attributes and the tags they may contain, for tag and attribute completion in
// the editor through the XML language's schema support. They come from `mjml-schema.json`, the
// reference compiler's component table that the core validates against, so completion offers
// exactly what validation accepts; only the short descriptions and a few common keyword values
// are written here.

import type { AttrSpec, ElementSpec } from "@codemirror/lang-xml";
import schema from "../../crates/letterpress-core/src/compile/mjml-schema.json";

interface Component {
  ending: boolean;
  /** Attribute name → type, as the reference compiler writes it: `string`, `color`, `enum(a,b)`, `unit(px,%)`… */
  attributes: Record<string, string>;
  children: string[];
}

const COMPONENTS = schema.elements as Record<string, Component>;

/** What each tag is for, shown next to it in completion. */
const INFO: Record<string, string> = {
  "mj-accordion": "Collapsible sections, where the client supports them",
  "mj-accordion-element": "One collapsible section",
  "mj-accordion-text": "The content of an accordion element",
  "mj-accordion-title": "The title of an accordion element",
  "mj-all": "Default attributes for every component",
  "mj-attributes": "Default attributes for components and classes",
  "mj-body": "The visible content of the email",
  "mj-breakpoint": "The width at which columns stack on mobile",
  "mj-button": "A call-to-action button",
  "mj-carousel": "An image gallery, where the client supports it",
  "mj-carousel-image": "One image of a carousel",
  "mj-class": "A named set of attributes to apply with mj-class",
  "mj-column": "A column holding content components",
  "mj-divider": "A horizontal rule",
  "mj-font": "Imports a web font",
  "mj-group": "Keeps columns side by side on mobile",
  "mj-head": "Document settings, styles and fonts",
  "mj-hero": "A section with a background image and content over it",
  "mj-html-attribute": "An HTML attribute to add",
  "mj-html-attributes": "Adds HTML attributes to elements of the output",
  "mj-image": "A responsive image",
  "mj-include": "Includes another MJML, HTML or CSS file",
  "mj-navbar": "A navigation bar",
  "mj-navbar-link": "A link in the navigation bar",
  "mj-preview": "The preheader text shown after the subject in inboxes",
  "mj-raw": "Raw HTML or template tags, left untouched",
  "mj-section": "A row of columns",
  "mj-selector": "A CSS selector in the output",
  "mj-social": "Social network links",
  "mj-social-element": "One social network link",
  "mj-spacer": "Vertical space",
  "mj-style": 'CSS, inlined with inline="inline"',
  "mj-table": "An HTML table",
  "mj-text": "Text, with any HTML inside",
  "mj-title": "The HTML document title",
  "mj-wrapper": "Groups sections, e.g. to share a background",
  mjml: "The root of an MJML document",
};

/** Keyword values of attributes the table types as plain strings. */
const KEYWORDS: Record<string, string[]> = {
  "font-style": ["normal", "italic"],
  "font-weight": ["normal", "bold", "300", "400", "500", "600", "700", "800"],
  "text-decoration": ["none", "underline", "line-through"],
  "text-transform": ["none", "uppercase", "lowercase", "capitalize"],
  target: ["_blank", "_self"],
  "background-size": ["auto", "cover", "contain"],
  "fluid-on-mobile": ["true", "false"],
  "border-style": ["solid", "dashed", "dotted"],
  mode: ["horizontal", "vertical", "fluid-height", "fixed-height"],
  hamburger: ["hamburger"],
  type: ["mjml", "html", "css"],
  "css-inline": ["inline"],
  inline: ["inline"],
  owa: ["desktop"],
};

/** Tags the compiler handles itself rather than as components of its table. */
const SPECIAL: Record<string, { attributes: string[]; children?: string[] }> = {
  "mj-include": { attributes: ["path", "type", "css-inline"] },
  "mj-all": { attributes: [] },
  "mj-class": { attributes: ["name"] },
};

/** The values an attribute offers: the table's `enum(…)`, else the keywords above. */
function valuesOf(name: string, type: string | undefined): string[] | undefined {
  const enumerated = type?.match(/^enum\((.*)\)$/);
  if (enumerated) return enumerated[1].split(",").filter((v) => v !== "");
  return KEYWORDS[name];
}

/** Every attribute any component takes, for `mj-all` and `mj-class` defaults. */
const EVERY_ATTRIBUTE = [...new Set(Object.values(COMPONENTS).flatMap((c) => Object.keys(c.attributes)))].sort();

/** Every MJML tag: its attributes, the tags it may contain and what it is for. */
export const MJML_TAGS: Record<string, { attributes: string[]; children?: string[]; info: string; top?: boolean }> = {};
for (const [name, component] of Object.entries(COMPONENTS)) {
  // `mj-attributes` takes any component's name (the table writes a pattern); includes go
  // wherever other tags may.
  const children = name === "mj-attributes" ? [] : component.children;
  MJML_TAGS[name] = {
    attributes: Object.keys(component.attributes),
    children: children.length ? [...children, "mj-include"] : [],
    info: INFO[name] ?? name,
    top: name === "mjml",
  };
}
for (const [name, tag] of Object.entries(SPECIAL)) {
  MJML_TAGS[name] = { ...tag, info: INFO[name] ?? name };
}
MJML_TAGS["mj-all"].attributes = EVERY_ATTRIBUTE;
MJML_TAGS["mj-class"].attributes = ["name", ...EVERY_ATTRIBUTE];
MJML_TAGS["mj-attributes"].children = [
  "mj-all",
  "mj-class",
  ...Object.keys(COMPONENTS).filter((t) => !["mjml", "mj-head", "mj-body", "mj-attributes"].includes(t)),
];

/** Attributes allowed on every component. */
export const GLOBAL_ATTRIBUTES: string[] = schema.global_attributes;

/** The type the table gives an attribute on any tag, for its values. */
function typeOf(name: string): string | undefined {
  for (const component of Object.values(COMPONENTS)) {
    const type = component.attributes[name];
    if (type?.startsWith("enum(")) return type;
  }
  return undefined;
}

/** The schema in the form `@codemirror/lang-xml` takes. */
export function xmlSchema(): { elements: ElementSpec[]; attributes: AttrSpec[] } {
  const elements: ElementSpec[] = Object.entries(MJML_TAGS).map(([name, tag]) => ({
    name,
    top: tag.top ?? false,
    children: tag.children ?? [],
    attributes: [...new Set(tag.attributes)].map((attribute): AttrSpec => {
      const values = valuesOf(attribute, COMPONENTS[name]?.attributes[attribute] ?? typeOf(attribute));
      return values ? { name: attribute, values } : { name: attribute };
    }),
    completion: { detail: tag.info, type: "type" },
  }));
  const attributes: AttrSpec[] = GLOBAL_ATTRIBUTES.map((name) => ({ name, global: true }));
  return { elements, attributes };
}
