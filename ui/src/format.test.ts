import { describe, expect, it } from "vitest";
import schema from "../../crates/letterpress-core/src/compile/mjml-schema.json";
import { formatMjml, MJML_RAW, prettyHtml } from "./format";

describe("formatMjml", () => {
  const messy = `<mjml><mj-head><mj-title>Hi</mj-title></mj-head>
<mj-body   background-color="#fff"><mj-section><mj-column>
<mj-text   font-size = "16px"   align="left">Hello <b>{{name}}</b>,</mj-text>
<mj-image src="https://example.com/a.png" alt="A > B"/>
<mj-raw>
      {{#each items}}
        <p>{{this}}</p>
      {{/each}}
</mj-raw>


<mj-button href="{{url}}">Go</mj-button></mj-column></mj-section></mj-body></mjml>`;

  it("puts each structural tag on its own indented line", () => {
    expect(formatMjml(messy)).toBe(`<mjml>
  <mj-head>
    <mj-title>Hi</mj-title>
  </mj-head>
  <mj-body background-color="#fff">
    <mj-section>
      <mj-column>
        <mj-text font-size="16px" align="left">Hello <b>{{name}}</b>,</mj-text>
        <mj-image src="https://example.com/a.png" alt="A > B" />
        <mj-raw>
          {{#each items}}
            <p>{{this}}</p>
          {{/each}}
        </mj-raw>

        <mj-button href="{{url}}">Go</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`);
  });

  it("is stable when run twice", () => {
    const once = formatMjml(messy);
    expect(formatMjml(once)).toBe(once);
  });

  it("keeps preformatted content exactly", () => {
    const source = "<mjml><mj-body><mj-text><pre>  a\n    b</pre></mj-text></mj-body></mjml>";
    expect(formatMjml(source)).toContain("<mj-text><pre>  a\n    b</pre></mj-text>");
  });

  it("keeps comments and leaves broken documents untouched", () => {
    expect(formatMjml("<mjml><!-- note --><mj-body></mj-body></mjml>")).toBe(
      "<mjml>\n  <!-- note -->\n  <mj-body>\n  </mj-body>\n</mjml>\n",
    );
    const broken = '<mjml><mj-body><mj-text align="left>unterminated</mj-body>';
    expect(formatMjml(broken)).toBe(broken);
    const unclosedText = "<mjml><mj-body><mj-text>never closed</mj-body></mjml>";
    expect(formatMjml(unclosedText)).toBe(unclosedText);
  });
});

describe("prettyHtml", () => {
  it("lays out blocks on lines and keeps inline runs together", () => {
    const html =
      '<!doctype html><html><head><style>p { color: red; }</style></head><body><div><p>Hello <b>Ada</b>, welcome</p><img src="a.png"><!--[if mso]><table><![endif]--></div></body></html>';
    expect(prettyHtml(html)).toBe(`<!doctype html>
<html>
  <head>
    <style>p { color: red; }</style>
  </head>
  <body>
    <div>
      <p>
        Hello <b>Ada</b>, welcome
      </p>
      <img src="a.png">
      <!--[if mso]><table><![endif]-->
    </div>
  </body>
</html>
`);
  });
});

describe("MJML_RAW", () => {
  it("is the set of components the component table marks ending", () => {
    const elements = schema.elements as Record<string, { ending: boolean }>;
    const ending = Object.keys(elements).filter((name) => elements[name].ending);
    expect([...MJML_RAW].sort()).toEqual(ending.sort());
    expect(MJML_RAW.has("mj-text")).toBe(true);
    expect(MJML_RAW.has("mj-html-attribute")).toBe(true);
    expect(MJML_RAW.has("mj-section")).toBe(false);
  });

  it("keeps the value of an mj-html-attribute on the line of its tag", () => {
    const source = `<mjml><mj-head><mj-html-attributes><mj-selector path=".x"><mj-html-attribute name="data-id">42</mj-html-attribute></mj-selector></mj-html-attributes></mj-head></mjml>`;
    expect(formatMjml(source)).toContain(`<mj-html-attribute name="data-id">42</mj-html-attribute>`);
  });
});
