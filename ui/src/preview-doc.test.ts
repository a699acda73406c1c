import { describe, expect, it } from "vitest";
import { declaresDarkSupport, FRAME_CSP, frameDocument, pinColorScheme } from "./preview-doc";

const email = `<!doctype html><html><head><meta name="color-scheme" content="light dark"><style>
@media (prefers-color-scheme: dark) { .card { background: #000 } }
@media (prefers-color-scheme:light) { .card { background: #fff } }
</style></head><body><div class="card">Hi</div></body></html>`;

describe("the preview document", () => {
  it("pins the colour scheme whatever the system uses", () => {
    const dark = pinColorScheme(email, "dark");
    expect(dark).toContain("@media (min-width: 0px) { .card { background: #000 } }");
    expect(dark).toContain("@media (max-width: 0px) { .card { background: #fff } }");
    const light = pinColorScheme(email, "light");
    expect(light).toContain("@media (max-width: 0px) { .card { background: #000 } }");
    expect(light).not.toContain("prefers-color-scheme");
  });

  it("always carries a policy without scripts and a link target that cannot open", () => {
    for (const mode of ["light", "dark", "inverted"] as const) {
      const doc = frameDocument(email, mode);
      const head = doc.slice(0, doc.indexOf("<style>"));
      expect(head).toContain(`content="${FRAME_CSP}"`);
      expect(head).toContain('<base target="_blank">');
    }
    expect(FRAME_CSP).toContain("script-src 'none'");
    expect(
      frameDocument("<p>no head</p>", "light").startsWith('<head><meta http-equiv="Content-Security-Policy"'),
    ).toBe(true);
  });

  it("turns on the dark UA palette only for emails that declare dark support", () => {
    expect(declaresDarkSupport(email)).toBe(true);
    expect(frameDocument(email, "dark")).toContain(":root{color-scheme:dark}");
    const plain = email.replace('<meta name="color-scheme" content="light dark">', "");
    expect(declaresDarkSupport(plain)).toBe(false);
    expect(frameDocument(plain, "dark")).not.toContain("color-scheme:dark");
  });

  it("inverts the page and re-inverts images for forced dark mode", () => {
    const doc = frameDocument(email, "inverted");
    const style = doc.slice(doc.lastIndexOf("<style>"), doc.indexOf("</head>"));
    expect(style).toContain("html{filter:invert(1) hue-rotate(180deg)");
    expect(style).toContain("img,picture,video");
  });
});
