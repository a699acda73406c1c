// Real services for the sending tests: the SMTP server of `tests/smtp/server.py` (STARTTLS,
// AUTH, a private CA) and a private D-Bus session with an unlocked GNOME Keyring as its Secret
// Service. Both live in temporary folders and stop with `stop()`.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

import { REPO } from "./harness.mjs";

export const SMTP_USER = "tester";
export const SMTP_PASSWORD = "letterpress-test-password";

/** Installs aiosmtpd, openssl and gnome-keyring when they are missing. */
export function ensureServices() {
  execFileSync("bash", [path.join(REPO, "tests/smtp/ensure.sh")], { stdio: "inherit" });
}

function firstLine(child, timeout, what) {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeout / 1000} s`)), timeout);
    lines.once("line", (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

async function stopChild(child) {
  if (!child || child.exitCode !== null) return;
  child.kill("SIGTERM");
  await Promise.race([new Promise((r) => child.once("exit", r)), new Promise((r) => setTimeout(r, 3000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** The SMTP test server in its default mode: STARTTLS, then AUTH as `SMTP_USER`. */
export class SmtpServer {
  static async start(flags = []) {
    const server = new SmtpServer();
    server.dir = fs.mkdtempSync(path.join(os.tmpdir(), "letterpress-smtp-"));
    server.child = spawn("python3", [path.join(REPO, "tests/smtp/server.py"), "--dir", server.dir, ...flags], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await firstLine(server.child, 30_000, "the SMTP test server");
    const field = (key) =>
      line
        .split(/\s+/)
        .find((w) => w.startsWith(key))
        ?.slice(key.length);
    if (!line.startsWith("READY ")) throw new Error(`the SMTP test server said ${line}`);
    server.port = Number(field("port="));
    server.ca = field("ca=");
    return server;
  }

  /** The messages received so far, as raw text. */
  received() {
    const mail = path.join(this.dir, "mail");
    if (!fs.existsSync(mail)) return [];
    return fs
      .readdirSync(mail)
      .filter((f) => f.endsWith(".eml"))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
      .map((f) => fs.readFileSync(path.join(mail, f), "utf8"));
  }

  async stop() {
    await stopChild(this.child);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A private session bus with an unlocked GNOME Keyring, for an app started with `address`. */
export class SecretService {
  static async start() {
    const service = new SecretService();
    service.home = fs.mkdtempSync(path.join(os.tmpdir(), "letterpress-keyring-"));
    service.bus = spawn("dbus-daemon", ["--session", "--nofork", "--nopidfile", "--print-address=1"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    service.address = await firstLine(service.bus, 10_000, "dbus-daemon");
    const env = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: service.address,
      HOME: service.home,
      XDG_DATA_HOME: path.join(service.home, "data"),
      XDG_CONFIG_HOME: path.join(service.home, "config"),
      XDG_RUNTIME_DIR: service.home,
    };
    service.keyring = spawn("gnome-keyring-daemon", ["--foreground", "--components=secrets", "--unlock"], {
      env,
      stdio: ["pipe", "ignore", "ignore"],
    });
    // `--unlock` reads the login keyring's password from standard input until it closes.
    service.keyring.stdin.end("test-keyring-password");
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = spawnSync(
        "dbus-send",
        [
          "--session",
          "--dest=org.freedesktop.DBus",
          "--print-reply",
          "/org/freedesktop/DBus",
          "org.freedesktop.DBus.NameHasOwner",
          "string:org.freedesktop.secrets",
        ],
        { env, encoding: "utf8" },
      );
      if (answer.stdout?.includes("boolean true")) break;
      if (Date.now() > deadline) throw new Error("the Secret Service did not appear on the test bus");
      await new Promise((r) => setTimeout(r, 100));
    }
    return service;
  }

  async stop() {
    await stopChild(this.keyring);
    await stopChild(this.bus);
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
