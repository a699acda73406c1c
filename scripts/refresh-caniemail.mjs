// Usage: node scripts/refresh-caniemail.mjs [version]  (refreshes the caniemail snapshot, default: latest)
//
// Packs the `caniemail` npm package into a temporary folder and writes a compact, deterministic
// snapshot of its data set next to the support check: for every feature, the support of the
// latest tested version of every client, with the note text of partial support. The package's
// licence is written beside it.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const version = process.argv[2] ?? "latest";
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../crates/letterpress-core/src/checks");

const tmp = mkdtempSync(join(tmpdir(), "caniemail-"));
try {
  execFileSync("npm", ["pack", `caniemail@${version}`, "--silent"], { cwd: tmp, stdio: ["ignore", "pipe", "inherit"] });
  const tarball = readdirSync(tmp).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  execFileSync("tar", ["-xzf", tarball], { cwd: tmp, stdio: "inherit" });

  const pkg = JSON.parse(readFileSync(join(tmp, "package/package.json"), "utf8"));
  const raw = readFileSync(join(tmp, "package/data/caniemail.json"), "utf8");
  const licence = readFileSync(join(tmp, "package/LICENSE"), "utf8");

  writeFileSync(join(out, "caniemail.json"), snapshot(pkg.version, raw));
  writeFileSync(
    join(out, "caniemail.LICENSE"),
    `The data in caniemail.json comes from the npm package caniemail ${pkg.version}, under this licence:\n\n${licence.trimEnd()}\n`,
  );
  console.log(`caniemail ${pkg.version} written to ${out}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function snapshot(packageVersion, raw) {
  // JavaScript objects list integer-like keys ("2019") before all others, whatever the order in
  // the file; the versions of a platform are listed oldest first, so keep the file's order by
  // marking such keys before parsing and unmarking them after.
  const data = JSON.parse(raw.replace(/"(\d+)"(\s*):/g, '"#$1"$2:'));
  const key = (k) => k.replace(/^#/, "");

  const nice = data.nicenames;
  const clients = new Map();
  for (const feature of data.data) {
    for (const [family, platforms] of Object.entries(feature.stats ?? {})) {
      for (const platform of Object.keys(platforms)) {
        const id = `${family}-${platform}`;
        if (!clients.has(id)) {
          const name = `${nice.family[family] ?? family} (${nice.platform[platform] ?? platform})`;
          clients.set(id, { id, name, family, platform });
        }
      }
    }
  }
  const clientList = [...clients.values()].sort((a, b) => cmp(a.id, b.id));

  const features = data.data
    .map((feature) => {
      const notes = Object.fromEntries(Object.entries(feature.notes_by_num ?? {}).map(([k, v]) => [key(k), v]));
      const partialNotes = {};
      let support = "";
      for (const client of clientList) {
        const versions = feature.stats?.[client.family]?.[client.platform];
        const values = versions ? Object.values(versions) : [];
        if (values.length === 0) {
          support += "-";
          continue;
        }
        // "a #1 #3": the support letter, then the numbers of its notes.
        const [letter, ...refs] = String(values[values.length - 1]).trim().split(/\s+/);
        const value = ["y", "n", "a", "u"].includes(letter) ? letter : "u";
        support += value;
        if (value === "a") {
          const text = refs
            .map((ref) => notes[ref.replace(/^#/, "")])
            .filter(Boolean)
            .join(" ");
          if (text) (partialNotes[text] ??= []).push(client.id);
        }
      }
      const entry = { slug: feature.slug, title: feature.title, category: feature.category, url: feature.url };
      if (feature.keywords) entry.keywords = feature.keywords;
      entry.support = support;
      // Each note once, with the clients it is about.
      const noteList = Object.entries(partialNotes).map(([text, ids]) => ({ clients: ids, text }));
      if (noteList.length > 0) entry.notes = noteList;
      return entry;
    })
    .sort((a, b) => cmp(a.slug, b.slug));

  const head = {
    package: "caniemail",
    version: packageVersion,
    last_update: data.last_update_date,
    support_format:
      "one letter per client, in the order of `clients`, for its latest tested version: " +
      "y supported, a partially supported (see `notes`), n not supported, u unknown, - not tested; " +
      "`notes` holds the note text of each partial support, with the clients it is about",
    clients: clientList.map(({ id, name }) => ({ id, name })),
  };
  const lines = [];
  for (const [k, v] of Object.entries(head)) {
    if (k === "clients") {
      lines.push(`  "clients": [\n${v.map((c) => `    ${JSON.stringify(c)}`).join(",\n")}\n  ]`);
    } else {
      lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    }
  }
  lines.push(`  "features": [\n${features.map((f) => `    ${JSON.stringify(f)}`).join(",\n")}\n  ]`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
