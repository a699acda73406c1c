// Runs the real debug build of the app under tauri-driver and WebKitWebDriver, each session on a
// temporary copy of a fixture project with its own HOME, so tests never touch the repository or
// the person's settings.

import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, "..");
export const REPO = path.resolve(E2E_DIR, "../..");
export const FIXTURES = path.join(E2E_DIR, "fixtures");
export const SCREENSHOTS = path.join(E2E_DIR, "screenshots");
export const RESULTS = path.join(E2E_DIR, "results");
export const APP = process.env.LETTERPRESS_APP ?? path.join(REPO, "target", "debug", "letterpress-app");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Copies a folder recursively. */
export function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/** The largest official MJML template, when the corpus is next to the project. */
export const LARGE_TEMPLATE = path.resolve(REPO, "../shared/corpus/mjml-email-templates/ugg-royale.mjml");

/** Adds the largest official template to a project as `ugg-royale`, when it is there. Remote
 * images would make tests and measurements depend on the network: they become a tiny inline
 * image, so the frame's load event marks the preview as painted. */
export function addLargeTemplate(dir) {
  if (!fs.existsSync(LARGE_TEMPLATE)) return;
  fs.mkdirSync(path.join(dir, "ugg-royale/data"), { recursive: true });
  const pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==";
  const mjml = fs
    .readFileSync(LARGE_TEMPLATE, "utf8")
    .replace(/(src|background-url|background)="https?:[^"]*"/g, `$1="${pixel}"`);
  fs.writeFileSync(path.join(dir, "ugg-royale/template.mjml"), mjml);
  fs.writeFileSync(path.join(dir, "ugg-royale/subject.hbs"), "UGG Royale\n");
  fs.writeFileSync(path.join(dir, "ugg-royale/data/default.json"), "{}\n");
}

function commandExists(name) {
  return (process.env.PATH ?? "").split(":").some((dir) => dir && fs.existsSync(path.join(dir, name)));
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A free loopback port: nothing listens on it once this resolves. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * WebKitGTK paints through DMA-BUF buffers, which need a GPU render node. Without one (a virtual
 * display, CI) it falls back to a path that took about 450 ms per preview of the largest corpus
 * template against about 70 ms with its older renderer, so the tests choose that one there, as
 * `scripts/run-app.sh` does. Set the variable yourself to measure either way.
 */
function rendererEnv() {
  if (process.env.WEBKIT_DISABLE_DMABUF_RENDERER !== undefined) return {};
  const hasRenderNode =
    fs.existsSync("/dev/dri") && fs.readdirSync("/dev/dri").some((name) => name.startsWith("renderD"));
  return hasRenderNode ? {} : { WEBKIT_DISABLE_DMABUF_RENDERER: "1" };
}

function driverBinary() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo");
  const candidate = path.join(cargoHome, "bin", "tauri-driver");
  return fs.existsSync(candidate) ? candidate : "tauri-driver";
}

/** Process ids of `pid` and all its descendants, from /proc. */
export function processTree(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Resident memory in KiB of a process, or 0 when it is gone. */
export function rssKiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export function commandOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * A running app session. `project` is the fixture folder to copy (or a function that fills the
 * project folder), `starters` the folder whose templates serve as starters.
 */
export class Session {
  static async start({
    project = path.join(FIXTURES, "project"),
    starters = path.join(FIXTURES, "project"),
    extraTemplates = [],
    env = {},
    resume = null,
  } = {}) {
    const session = new Session();
    await session.#start({ project, starters, extraTemplates, env, resume });
    return session;
  }

  async #start({ project, starters, extraTemplates, env, resume }) {
    if (!fs.existsSync(APP)) throw new Error(`the app is not built: ${APP} is missing`);
    // `resume` starts the app again on the folders of an earlier session: same project, same HOME.
    this.tmp = resume ?? fs.mkdtempSync(path.join(os.tmpdir(), "letterpress-e2e-"));
    this.project = path.join(this.tmp, "project");
    if (resume) {
      // Everything is in place already.
    } else if (typeof project === "function") {
      fs.mkdirSync(this.project, { recursive: true });
      project(this.project);
    } else {
      copyDir(project, this.project);
    }
    if (!resume) for (const [name, from] of extraTemplates) copyDir(from, path.join(this.project, name));
    this.starters = path.join(this.tmp, "starters");
    if (!resume) copyDir(starters, this.starters);
    const home = path.join(this.tmp, "home");
    for (const dir of ["", ".config", ".cache", ".local/share", "runtime"])
      fs.mkdirSync(path.join(home, dir), { recursive: true, mode: 0o700 });
    this.dataDir = path.join(this.tmp, "data");
    const port = await freePort();
    const nativePort = await freePort();
    this.driverLog = path.join(this.tmp, `tauri-driver-${port}.log`);
    const log = fs.openSync(this.driverLog, "w");
    this.driver = spawn(driverBinary(), ["--port", String(port), "--native-port", String(nativePort)], {
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        XDG_CACHE_HOME: path.join(home, ".cache"),
        XDG_DATA_HOME: path.join(home, ".local/share"),
        XDG_RUNTIME_DIR: path.join(home, "runtime"),
        LETTERPRESS_PROJECT: this.project,
        LETTERPRESS_STARTERS: this.starters,
        LETTERPRESS_DATA_DIR: this.dataDir,
        NO_AT_BRIDGE: "1",
        ...rendererEnv(),
        ...env,
      },
      stdio: ["ignore", log, log],
    });
    const deadline = Date.now() + 30_000;
    while (!(await portOpen(port))) {
      if (Date.now() > deadline) throw new Error(`tauri-driver did not start; see ${this.driverLog}`);
      if (this.driver.exitCode !== null)
        throw new Error(`tauri-driver exited with ${this.driver.exitCode}; see ${this.driverLog}`);
      await sleep(100);
    }
    this.startedAt = Date.now();
    this.browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      connectionRetryCount: 5,
      connectionRetryTimeout: 120_000,
      capabilities: { "tauri:options": { application: APP } },
    });
    await this.browser.setTimeout({ implicit: 0, script: 30_000 });
    await this.waitFor(
      async () => (await this.browser.$("#app").getAttribute("data-state")) === "ready",
      60_000,
      "the app to be ready",
    );
    // From asking the driver for a session (which launches the app) to an app that answers.
    this.sessionToReadyMs = Date.now() - this.startedAt;
  }

  /** The pid of the app process, found below tauri-driver. */
  appPid() {
    for (const pid of processTree(this.driver.pid)) {
      const cmd = commandOf(pid);
      if (cmd[0] && path.resolve(cmd[0]) === path.resolve(APP)) return pid;
    }
    return null;
  }

  /** Resident memory of the app and its WebKit processes, in MiB. */
  memoryMiB() {
    const pid = this.appPid();
    if (!pid) return null;
    const tree = processTree(pid);
    const app = rssKiB(pid) / 1024;
    const total = tree.reduce((sum, p) => sum + rssKiB(p), 0) / 1024;
    return { app, total, processes: tree.length };
  }

  async waitFor(condition, timeout = 10_000, what = "a condition") {
    const deadline = Date.now() + timeout;
    let lastError;
    while (Date.now() < deadline) {
      try {
        if (await condition()) return;
      } catch (error) {
        lastError = error;
      }
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError.message}` : ""}`);
  }

  $(selector) {
    return this.browser.$(selector);
  }

  testid(id) {
    return this.browser.$(`[data-testid="${id}"]`);
  }

  /** The text of the element with `data-testid` `id`. WebKitWebDriver's own text command answers
   * an empty string for some visible elements, so this reads the DOM. */
  async text(id) {
    return this.browser.execute(
      (sel) => document.querySelector(sel)?.textContent?.trim() ?? null,
      `[data-testid="${id}"]`,
    );
  }

  /** Opens the editor's search panel. */
  async openSearch() {
    await this.click("[data-testid=editor] .cm-content");
    await this.browser.keys(["Control", "f"]);
    await this.waitFor(
      () => this.browser.execute(() => !!document.querySelector(".cm-search input[name=search]")),
      5000,
      "the search panel",
    );
  }

  /** Clicks the element once it can be clicked. The element is looked up afresh on every try,
   * because the interface re-renders lists and an old reference goes stale. */
  async click(selector) {
    await this.waitFor(
      async () => {
        const element = await this.browser.$(selector);
        if (!(await element.isExisting()) || !(await element.isDisplayed())) return false;
        // A tall dialog scrolls inside itself, where the driver does not scroll for us; a person
        // scrolls to the button first, and so does the test.
        await this.browser.execute((el) => el.scrollIntoView({ block: "center" }), element);
        // The driver refuses a click on an element that is covered or moving; then try again.
        await element.click();
        return true;
      },
      10_000,
      `\`${selector}\` to be clickable`,
    );
  }

  async clickTestid(id) {
    await this.click(`[data-testid="${id}"]`);
  }

  /** The text in the editor, as CodeMirror shows it (one line per `.cm-line`). */
  async editorText() {
    return this.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=editor] .cm-line")].map((l) => l.textContent).join("\n"),
    );
  }

  /** Focuses the editor and puts the cursor at the start of the document. */
  async focusEditorStart() {
    await this.click("[data-testid=editor] .cm-content");
    await this.browser.keys(["Control", "Home"]);
  }

  /** Uses the editor's own search and replace panel, as a person would. */
  async replaceAll(find, replace) {
    await this.openSearch();
    const search = await this.browser.$(".cm-search input[name=search]");
    await search.setValue(find);
    const field = await this.browser.$(".cm-search input[name=replace]");
    await field.setValue(replace);
    await this.click(".cm-search button[name=replaceAll]");
    await this.browser.keys(["Escape"]);
  }

  /** Puts the cursor right after the first occurrence of `text` in the editor. */
  async cursorAfter(text) {
    await this.focusEditorStart();
    await this.openSearch();
    const search = await this.browser.$(".cm-search input[name=search]");
    await search.setValue(text);
    await this.browser.keys(["Enter"]);
    await this.browser.keys(["Escape"]);
    await this.browser.keys(["ArrowRight"]);
  }

  /** Opens the actions menu of a template; its button shows when the row is hovered. The row is
   * looked up afresh on every try, because the list re-renders when the folder changes. */
  async templateMenu(name) {
    await this.waitFor(
      async () => {
        const row = await this.browser.$(`[data-template="${name}"]`);
        if (!(await row.isExisting())) return false;
        await row.moveTo();
        const button = await this.browser.$(`[data-testid="template-menu-${name}"]`);
        if (!(await button.isDisplayed())) return false;
        await button.click();
        return true;
      },
      10_000,
      `the menu of \`${name}\``,
    );
  }

  /** The entries of the problems panel with diagnostic code `code`. */
  async problems(code) {
    return this.browser.$$(`[data-testid=problem][data-code="${code}"]`);
  }

  /** How many previews have been painted so far. */
  async renderedCount() {
    return Number((await this.testid("preview-pane").getAttribute("data-rendered")) ?? 0);
  }

  /** Waits for a new preview after `action`, then returns the text inside the preview frame. */
  async afterNewPreview(action) {
    const before = await this.renderedCount();
    await action();
    await this.waitFor(async () => (await this.renderedCount()) > before, 15_000, "a new preview");
    return this.previewText();
  }

  /** Waits for the first preview of the session, for `timeout` ms at most. */
  async firstPreview(timeout = 15_000) {
    await this.waitFor(async () => (await this.renderedCount()) > 0, timeout, "the first preview");
  }

  /** The visible text of the email in the sandboxed preview frame. */
  async previewText() {
    return this.frameText("preview-frame");
  }

  /** The visible text of the email in the sandboxed frame with `data-testid` `id`. */
  async frameText(id) {
    const frame = await this.testid(id);
    await this.browser.switchFrame(frame);
    try {
      return await this.browser.execute(() => document.body?.innerText ?? "");
    } finally {
      await this.leaveFrame();
    }
  }

  /** Back to the app's document. WebKit keeps sending keys to the frame until the top window
   * takes focus again. */
  async leaveFrame() {
    await this.browser.switchFrame(null);
    await this.browser.execute(() => window.focus());
  }

  async screenshot(name) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // Two animation frames: what is saved is what has been painted.
    await this.browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await sleep(150);
    const file = path.join(SCREENSHOTS, `${name}.png`);
    // The picture comes from the X display itself: WebKitWebDriver's own screenshot never answers
    // on some screens (the welcome screen, for one). The window sits at the display's top left.
    const size = await this.browser.execute(() => [window.outerWidth, window.outerHeight]);
    if (process.env.DISPLAY && commandExists("import")) {
      execFileSync("import", ["-window", "root", "-crop", `${size[0]}x${size[1]}+0+0`, "+repage", file]);
    } else {
      await this.browser.saveScreenshot(file);
    }
    return file;
  }

  /**
   * Ends the session. `crash` kills the app without warning first, as a crash or a power cut
   * would; `keepFiles` leaves the folders for a session started with `resume`.
   */
  async stop({ crash = false, keepFiles = false } = {}) {
    const appPid = this.appPid();
    if (crash && appPid) process.kill(appPid, "SIGKILL");
    try {
      await this.browser?.deleteSession();
    } catch {
      // The session may already be gone; the processes are cleaned up below either way.
    }
    const tree = appPid ? processTree(appPid) : [];
    if (this.driver && this.driver.exitCode === null) {
      this.driver.kill("SIGTERM");
      await Promise.race([new Promise((r) => this.driver.once("exit", r)), sleep(5000)]);
      if (this.driver.exitCode === null) this.driver.kill("SIGKILL");
    }
    // The app and its WebKit children take a few seconds to go after their driver.
    const deadline = Date.now() + 10_000;
    while (tree.some((p) => fs.existsSync(`/proc/${p}`)) && Date.now() < deadline) await sleep(100);
    for (const p of tree) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    if (!keepFiles && !process.env.LETTERPRESS_KEEP_TMP) fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** A session started with `options` (see `Session.start`), once it shows its first preview. */
export async function previewShown(options = {}) {
  const s = await Session.start(options);
  await s.firstPreview();
  return s;
}

/**
 * One session for the tests of the enclosing `describe`: `start` makes it before the first test and
 * hands it to `use`, and it stops after the last one, whether the tests passed or not.
 */
export function sessionHooks(start, use) {
  let session;
  before(async () => {
    session = await start();
    await use(session);
  });
  after(async () => {
    await session?.stop();
  });
}
