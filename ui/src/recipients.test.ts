import { describe, expect, it } from "vitest";
import type { SendMemory } from "./mail-types";
import {
  addressOf,
  appendRecipient,
  parseRecipients,
  recipientProblem,
  remember,
  sameTarget,
  splitRecipients,
  suggestions,
  targetFromKey,
  targetKey,
} from "./recipients";

describe("recipients field", () => {
  it("splits at commas, semicolons and lines, but not inside names or brackets", () => {
    expect(splitRecipients("a@x.test, b@x.test;c@x.test\n d@x.test ,,")).toEqual([
      "a@x.test",
      "b@x.test",
      "c@x.test",
      "d@x.test",
    ]);
    expect(splitRecipients('"Lovelace, Ada" <ada@x.test>, bob@x.test')).toEqual([
      '"Lovelace, Ada" <ada@x.test>',
      "bob@x.test",
    ]);
    expect(splitRecipients("Odd <a,b@x.test>")).toEqual(["Odd <a,b@x.test>"]);
    expect(splitRecipients("   ")).toEqual([]);
  });

  it("finds the address inside a display name", () => {
    expect(addressOf("Ada Lovelace <ada@x.test>")).toBe("ada@x.test");
    expect(addressOf(" ada@x.test ")).toBe("ada@x.test");
  });

  it("explains what is wrong with an entry", () => {
    expect(recipientProblem("ada@x.test")).toBeNull();
    expect(recipientProblem("me@localhost")).toBeNull();
    expect(recipientProblem("Ada <ada@x.test>")).toBeNull();
    expect(recipientProblem("ada")).toBe("“ada” is missing an @");
    expect(recipientProblem("ada@x .test")).toBe("“ada@x .test” is not an email address");
    expect(recipientProblem("ada@x.")).toBe("“ada@x.” has an incomplete domain");
    expect(recipientProblem("Ada <>")).toBe("“Ada <>” has no address between < and >");
  });

  it("keeps valid entries once each and lists the problems", () => {
    const parsed = parseRecipients("ada@x.test, ADA@x.test, Bob <bob@x.test>, nope");
    expect(parsed.recipients).toEqual(["ada@x.test", "Bob <bob@x.test>"]);
    expect(parsed.problems).toEqual(["“nope” is missing an @"]);
  });

  it("adds a suggestion to what is typed", () => {
    expect(appendRecipient("", "a@x.test")).toBe("a@x.test");
    expect(appendRecipient("a@x.test, ", "b@x.test")).toBe("a@x.test, b@x.test");
  });
});

describe("remembered recipients", () => {
  const empty: SendMemory = { recipients: [], recent: [], target: null };

  it("remembers the last recipients and every address, most recent first", () => {
    let memory = remember(empty, ["a@x.test", "b@x.test"], { kind: "outbox" });
    memory = remember(memory, ["C <c@x.test>", "A@x.test"], { kind: "profile", name: "work" });
    expect(memory.recipients).toEqual(["C <c@x.test>", "A@x.test"]);
    expect(memory.recent).toEqual(["C <c@x.test>", "A@x.test", "b@x.test"]);
    expect(memory.target).toEqual({ kind: "profile", name: "work" });
  });

  it("keeps a bounded list", () => {
    let memory = empty;
    for (let n = 0; n < 40; n++) memory = remember(memory, [`r${n}@x.test`], { kind: "outbox" });
    expect(memory.recent.length).toBe(12);
    expect(memory.recent[0]).toBe("r39@x.test");
  });

  it("suggests earlier addresses not already typed", () => {
    const memory: SendMemory = { recipients: [], recent: ["a@x.test", "b@x.test", "c@x.test"], target: null };
    expect(suggestions(memory, ["B@x.test"])).toEqual(["a@x.test", "c@x.test"]);
    expect(suggestions(memory, [], 1)).toEqual(["a@x.test"]);
  });

  it("compares and encodes targets", () => {
    expect(sameTarget({ kind: "outbox" }, { kind: "outbox" })).toBe(true);
    expect(sameTarget({ kind: "profile", name: "a" }, { kind: "profile", name: "b" })).toBe(false);
    expect(sameTarget(null, { kind: "outbox" })).toBe(false);
    expect(targetFromKey(targetKey({ kind: "profile", name: "work:eu" }))).toEqual({
      kind: "profile",
      name: "work:eu",
    });
    expect(targetFromKey("outbox")).toEqual({ kind: "outbox" });
  });
});
