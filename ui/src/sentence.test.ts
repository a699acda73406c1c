import { describe, expect, it } from "vitest";
import { sentence } from "./sentence";

describe("sentence", () => {
  it("starts with a capital and quotes names as the problems panel does", () => {
    expect(sentence("no From address: set the profile's `sender`, or set `mail.from` in `letterpress.toml`")).toBe(
      "No From address: set the profile's “sender”, or set “mail.from” in “letterpress.toml”",
    );
  });

  it("keeps a name that starts the sentence as it is written", () => {
    expect(sentence("`receipt/default` has errors and was not sent")).toBe(
      "“receipt/default” has errors and was not sent",
    );
  });

  it("drops a backtick left without its pair", () => {
    expect(sentence("a lone ` mark")).toBe("A lone  mark");
  });
});
