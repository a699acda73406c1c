import { CompletionContext, type CompletionResult, type CompletionSource } from "@codemirror/autocomplete";
import { xml } from "@codemirror/lang-xml";
import { ensureSyntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { GLOBAL_ATTRIBUTES, MJML_TAGS, xmlSchema } from "./mjml-schema";

async function complete(doc: string): Promise<string[]> {
  const pos = doc.indexOf("|");
  const text = doc.replace("|", "");
  const created = EditorState.create({ doc: text, extensions: [xml(xmlSchema())] });
  // Parse the whole document first, however busy the machine is. The parse goes on in the state's
  // parse context; the next state is the first whose syntax tree, which completion reads, has it.
  if (!ensureSyntaxTree(created, created.doc.length, 60_000)) throw new Error("the document did not parse");
  const state = created.update({}).state;
  const sources = state.languageDataAt<CompletionSource>("autocomplete", pos);
  const labels: string[] = [];
  for (const source of sources) {
    const result = (await source(new CompletionContext(state, pos, true))) as CompletionResult | null;
    if (result) labels.push(...result.options.map((o) => o.label));
  }
  return labels;
}

describe("the MJML schema", () => {
  it("only refers to tags it defines, and reaches every tag from the root", () => {
    const reachable = new Set(["mjml"]);
    const queue = ["mjml"];
    while (queue.length) {
      const tag = queue.pop()!;
      for (const child of MJML_TAGS[tag].children ?? []) {
        expect(MJML_TAGS[child], `${tag} > ${child}`).toBeDefined();
        if (!reachable.has(child)) {
          reachable.add(child);
          queue.push(child);
        }
      }
    }
    expect([...reachable].sort()).toEqual(Object.keys(MJML_TAGS).sort());
  });

  it("completes the content components inside a column", async () => {
    const labels = await complete("<mjml><mj-body><mj-section><mj-column><|</mj-column></mj-section></mj-body></mjml>");
    expect(labels).toEqual(
      expect.arrayContaining(["mj-text", "mj-button", "mj-image", "mj-divider", "mj-spacer", "mj-table"]),
    );
    expect(labels).not.toContain("mj-section");
  });

  it("completes sections, not columns, inside the body", async () => {
    const labels = await complete("<mjml><mj-body><|</mj-body></mjml>");
    expect(labels).toEqual(expect.arrayContaining(["mj-section", "mj-wrapper", "mj-hero"]));
    expect(labels).not.toContain("mj-column");
  });

  it("completes a tag's own attributes and the global ones", async () => {
    const labels = await complete(
      "<mjml><mj-body><mj-section><mj-column><mj-button |></mj-button></mj-column></mj-section></mj-body></mjml>",
    );
    expect(labels).toEqual(
      expect.arrayContaining(["href", "background-color", "border-radius", "inner-padding", ...GLOBAL_ATTRIBUTES]),
    );
    expect(labels).not.toContain("src");
  });

  it("completes keyword values", async () => {
    const labels = await complete(
      '<mjml><mj-body><mj-section><mj-column><mj-text align="|"></mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    // The completion replaces the whole quoted value.
    expect(labels).toEqual(expect.arrayContaining([`"left"`, `"center"`, `"right"`]));
  });
});

describe("completion from the component table", () => {
  it("offers every component and attribute the validator accepts, and no other", async () => {
    const { default: table } = await import("../../crates/letterpress-core/src/compile/mjml-schema.json");
    for (const [name, component] of Object.entries(
      table.elements as Record<string, { attributes: Record<string, string> }>,
    )) {
      expect(MJML_TAGS[name], name).toBeDefined();
      expect(new Set(MJML_TAGS[name].attributes), name).toEqual(new Set(Object.keys(component.attributes)));
    }
  });

  it("offers the table's values of an enumerated attribute", async () => {
    const labels = await complete(
      '<mjml><mj-body><mj-section><mj-column><mj-table role="|"></mj-table></mj-column></mj-section></mj-body></mjml>',
    );
    expect(labels).toEqual(expect.arrayContaining([`"presentation"`, `"none"`]));
  });
});
