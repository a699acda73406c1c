import { describe, expect, it } from "vitest";
import {
  EMPTY_FILTERS,
  exactTime,
  formatDuration,
  isFiltered,
  outcomeText,
  relativeTime,
  reportText,
  sortStats,
  statsText,
  targetDetail,
  targetLabel,
  templateChoices,
  toQuery,
  whatLabel,
} from "./history";
import type { SendReport } from "./mail-types";

describe("history filters", () => {
  it("become the shell's query", () => {
    expect(toQuery(EMPTY_FILTERS)).toEqual({ search: null, template: null, status: null, limit: 200 });
    expect(toQuery({ search: "  ada ", template: "welcome", status: "failed" }, 50)).toEqual({
      search: "ada",
      template: "welcome",
      status: "failed",
      limit: 50,
    });
    expect(isFiltered(EMPTY_FILTERS)).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTERS, search: " " })).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTERS, status: "sent" })).toBe(true);
  });

  it("offers the project's templates and those in the history", () => {
    const stats = [{ template: "old", sent: 1, failed: 0, lastSent: null }];
    expect(templateChoices(stats, ["welcome", "receipt"])).toEqual(["old", "receipt", "welcome"]);
  });
});

describe("history rows", () => {
  it("say what happened", () => {
    expect(
      outcomeText({
        status: "sent",
        reply: { code: 250, text: "2.0.0 Ok: queued" },
        error: null,
        failureHeadline: null,
        target: { kind: "profile", name: "work", url: "smtp://x:587" },
      }),
    ).toBe("250 2.0.0 Ok: queued");
    expect(
      outcomeText({ status: "sent", reply: null, error: null, failureHeadline: null, target: { kind: "outbox" } }),
    ).toBe("Stored in the local outbox");
    // A failed send shows the headline stored with it, whatever else the row holds.
    for (const [headline, reply] of [
      ["The server refused the message (550)", { code: 550, text: "5.1.1 No such user" }],
      ["Could not connect to the server", null],
    ] as const) {
      expect(
        outcomeText({
          status: "failed",
          reply,
          error: "connecting `127.0.0.1:9` failed: refused",
          failureHeadline: headline,
          target: { kind: "url", url: "smtp://t:25" },
        }),
      ).toBe(headline);
    }
    // Sends recorded before headlines were kept show the server's reply, or else the stored error.
    expect(
      outcomeText({
        status: "failed",
        reply: { code: 550, text: "5.1.1 No such user" },
        error: "x",
        failureHeadline: null,
        target: { kind: "url", url: "smtp://t:25" },
      }),
    ).toBe("550 5.1.1 No such user");
    expect(
      outcomeText({
        status: "failed",
        reply: null,
        error: "connecting `127.0.0.1:9` failed: refused",
        failureHeadline: null,
        target: { kind: "url", url: "smtp://t:25" },
      }),
    ).toBe("Connecting 127.0.0.1:9 failed: refused");
    expect(
      outcomeText({
        status: "interrupted",
        reply: null,
        error: null,
        failureHeadline: null,
        target: { kind: "url", url: "smtp://t:25" },
      }),
    ).toMatch(/closed before/);
  });

  it("name templates, data sets and targets plainly", () => {
    expect(whatLabel({ template: "welcome", dataSet: "es" })).toBe("welcome · es");
    expect(whatLabel({ template: "welcome", dataSet: null })).toBe("welcome");
    expect(targetLabel({ kind: "outbox" })).toBe("Local outbox");
    expect(targetLabel({ kind: "profile", name: "team `a`", url: "smtps://me@host:465" })).toBe("team `a`");
    expect(targetLabel({ kind: "url", url: "smtp://localhost:25" })).toBe("smtp://localhost:25");
    expect(targetDetail({ kind: "profile", name: "work", url: "smtps://me@host:465" })).toBe(
      "work (smtps://me@host:465)",
    );
    expect(targetDetail({ kind: "outbox" })).toBe("Local outbox");
  });

  it("sum up a send report", () => {
    const report: SendReport = {
      ok: true,
      historyId: 1,
      template: "welcome",
      dataSet: "default",
      recipients: ["a@x.test"],
      subject: "Hi",
      target: { kind: "profile", name: "work", url: "smtp://x:587" },
      durationMs: 1530,
      size: 100,
      messageId: "<1@x>",
      reply: { code: 250, text: "OK" },
      outboxName: null,
      failure: null,
    };
    expect(reportText(report)).toBe("Sent to a@x.test via work in 1.5 s — 250 OK");
    expect(
      reportText({
        ...report,
        ok: false,
        failure: { code: "network", headline: "Could not connect to the server", detail: "…", transient: true },
      }),
    ).toBe("Could not connect to the server");
  });

  it("format durations", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(42.4)).toBe("42 ms");
    expect(formatDuration(2500)).toBe("2.5 s");
    expect(formatDuration(31_000)).toBe("31 s");
  });
});

describe("times", () => {
  const now = new Date(2026, 4, 28, 15, 0, 0);
  const at = (y: number, m: number, d: number, h: number, min: number) => new Date(y, m, d, h, min).toISOString();

  it("read relative to now", () => {
    expect(relativeTime(new Date(now.getTime() - 30_000).toISOString(), now)).toBe("just now");
    expect(relativeTime(at(2026, 4, 28, 14, 35), now)).toBe("25 min ago");
    expect(relativeTime(at(2026, 4, 28, 12, 0), now)).toBe("3 h ago");
    expect(relativeTime(at(2026, 4, 28, 8, 5), now)).toBe("today 08:05");
    expect(relativeTime(at(2026, 4, 27, 23, 10), now)).toBe("yesterday 23:10");
    expect(relativeTime(at(2026, 2, 3, 9, 0), now)).toBe("3 Mar 09:00");
    expect(relativeTime(at(2024, 11, 24, 9, 0), now)).toBe("24 Dec 2024");
    expect(relativeTime(null, now)).toBe("");
    expect(exactTime(at(2026, 4, 28, 8, 5))).toBe("2026-05-28 08:05:00");
  });
});

describe("template statistics", () => {
  it("put the project's templates first, busiest first", () => {
    const stats = [
      { template: "elsewhere", sent: 50, failed: 0, lastSent: null },
      { template: "welcome", sent: 1, failed: 0, lastSent: null },
      { template: "receipt", sent: 3, failed: 2, lastSent: null },
    ];
    expect(sortStats(stats, ["welcome", "receipt"]).map((s) => s.template)).toEqual([
      "receipt",
      "welcome",
      "elsewhere",
    ]);
    expect(statsText(stats[2])).toBe("3 sent, 2 failed");
    expect(statsText(undefined)).toBe("Never sent");
  });
});
