// Screenshots taken from the X display instead of through WebDriver. WebKitWebDriver's own
// screenshot command can stall for minutes once the page has hidden a frame or an editor, while
// the display always shows what was painted.

import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { SCREENSHOTS } from "./harness.mjs";

const run = promisify(execFile);

function hasImport() {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, "import")));
}

/** Saves what the app window shows as `screenshots/<name>.png` and answers the file's path. */
export async function capture(session, name) {
  if (!process.env.DISPLAY || !hasImport()) return session.screenshot(name);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Two animation frames and a moment: what is saved is what has been painted.
  await session.browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await new Promise((r) => setTimeout(r, 200));
  const { x, y, width, height } = await session.browser.getWindowRect();
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await run("import", ["-window", "root", "-crop", `${width}x${height}+${Math.max(x, 0)}+${Math.max(y, 0)}`, "+repage", file]);
  return file;
}
