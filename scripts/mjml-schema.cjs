// Regenerates crates/letterpress-core/src/compile/mjml-schema.json (with the three
// elements the reference registers outside its component table added by hand: `mjml`,
// `mj-selector`, `mj-html-attribute`). Run with the `mjml` package installed:
//   node scripts/mjml-schema.cjs > schema.json
// Dumps the component table of the reference compiler: allowed attributes with their types,
// whether content is raw HTML, and which children each element accepts.
const core = require('mjml-core');
require('mjml');
const deps = require('mjml-validator').dependencies;
const colors = require('mjml-core/lib/types/helpers/colors').default || require('mjml-core/lib/types/helpers/colors');
const show = (d) => (d instanceof RegExp ? `re:${d.source}` : d);
const elements = {};
for (const name of Object.keys(core.components).sort()) {
  const C = core.components[name];
  const attributes = {};
  for (const a of Object.keys(C.allowedAttributes || {}).sort()) attributes[a] = C.allowedAttributes[a];
  elements[name] = { ending: !!C.endingTag, attributes, children: (deps[name] || []).map(show) };
}
for (const name of Object.keys(deps)) if (!elements[name]) elements[name] = { ending: false, attributes: {}, children: deps[name].map(show), unregistered: true };
console.log(JSON.stringify({ source: `mjml ${require('mjml/package.json').version}`, global_attributes: ['mj-class', 'css-class'], colors, elements }, null, 1));
