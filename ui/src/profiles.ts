// The SMTP profiles dialog: a list of profiles and a form to add, edit, test and delete them.
// The password field sends what is typed straight to the shell, which puts it in the system
// keyring; nothing ever comes back but whether a password is stored.

import { custom, el } from "./dialogs";
import { formatDuration } from "./history";
import type { MailBackend } from "./backend";
import type { ConnectionResult, PasswordChange, Profile, ProfileInput, ProfilesView, Security } from "./mail-types";
import { present } from "./message-view";
import { sentence } from "./sentence";
import { BackendError } from "./types";

/** The usual port of each kind of connection. */
export const DEFAULT_PORTS: Record<Security, number> = { tls: 465, starttls: 587, none: 25 };

const SECURITY_OPTIONS: [Security, string, string][] = [
  ["tls", "TLS", "Encrypted from the first byte, usually port 465"],
  ["starttls", "STARTTLS", "Upgraded to encryption after connecting, usually port 587"],
  ["none", "None", "No encryption: only for a server on this computer"],
];

function blank(): ProfileInput {
  return {
    name: "",
    host: "",
    port: 587,
    security: "starttls",
    username: null,
    sender: null,
    timeoutSecs: 30,
    caFile: null,
    trustFingerprint: null,
  };
}

/** The saved profiles, or none when they cannot be read. */
export function savedProfiles(backend: MailBackend): Promise<ProfilesView> {
  return backend.listProfiles().catch(() => ({ profiles: [], keyringProblem: null, notice: null }));
}

export async function profilesDialog(backend: MailBackend, select: string | null = null): Promise<void> {
  let view = await savedProfiles(backend);
  await custom<void>(
    "profiles-dialog",
    (close) => {
      let editing: Profile | null = view.profiles.find((p) => p.name === select) ?? view.profiles[0] ?? null;
      let creating = editing === null;
      let security: Security = editing?.security ?? "starttls";
      let forget = false;

      const list = el("ul", {
        class: "profile-list",
        "data-testid": "profile-list",
        role: "listbox",
        "aria-label": "SMTP profiles",
      });
      const banner = el("p", { class: "notice warning", hidden: true, "data-testid": "keyring-problem" });
      const field = (label: string, control: HTMLElement, hint?: HTMLElement | null) =>
        el("label", { class: "field" }, el("span", {}, label), control, hint ?? null);
      const text = (testid: string, placeholder = "", type = "text") =>
        el("input", { type, spellcheck: "false", autocomplete: "off", placeholder, "data-testid": testid });
      const name = text("profile-name", "work");
      const host = text("profile-host", "smtp.example.com");
      const port = text("profile-port", "587", "number");
      port.min = "1";
      port.max = "65535";
      const username = text("profile-username", "Optional");
      const password = text("profile-password", "", "password");
      password.autocomplete = "new-password";
      const passwordState = el("span", { class: "password-state", "data-testid": "profile-password-state" });
      const forgetButton = el(
        "button",
        { type: "button", class: "link small-link", "data-testid": "profile-forget-password" },
        "Forget the stored password",
      );
      const passwordLine = el("p", { class: "password-line" }, passwordState, forgetButton);
      const sender = text("profile-sender", "Team <team@example.com>");
      const fingerprint = text("profile-fingerprint", "SHA256:… (only for a self-signed certificate)");
      const timeout = text("profile-timeout", "30", "number");
      timeout.min = "1";
      timeout.max = "600";
      const caPath = el("span", { class: "ca-path", "data-testid": "profile-ca" });
      const caChoose = el("button", { type: "button", class: "small" }, "Choose…");
      const caClear = el("button", { type: "button", class: "ghost small" }, "Remove");
      let caFile: string | null = null;
      const segmented = el(
        "div",
        {
          class: "segmented security",
          role: "radiogroup",
          "aria-label": "Security",
          "data-testid": "profile-security",
        },
        ...SECURITY_OPTIONS.map(([value, label, title]) =>
          el(
            "button",
            { type: "button", "data-value": value, title, role: "radio", "data-testid": `profile-security-${value}` },
            label,
          ),
        ),
      );
      const securityHint = el("p", { class: "field-hint" });
      const problem = el("p", { class: "field-problem", "aria-live": "polite", "data-testid": "profile-problem" });
      const testResult = el("div", {
        class: "connection-result",
        hidden: true,
        "data-testid": "profile-test-result",
        "aria-live": "polite",
      });
      const testButton = el("button", { type: "button", "data-testid": "profile-test" }, "Test connection");
      const deleteButton = el(
        "button",
        { type: "button", class: "ghost danger-text", "data-testid": "profile-delete" },
        "Delete",
      );
      const saveButton = el(
        "button",
        { type: "submit", class: "primary", "data-testid": "profile-save" },
        "Save profile",
      );
      const done = el("button", { type: "button", "data-testid": "profiles-done" }, "Done");
      const title = el("h3", { class: "form-title" });

      const input = (): ProfileInput => ({
        name: name.value.trim(),
        host: host.value.trim(),
        port: Number(port.value) || DEFAULT_PORTS[security],
        security,
        username: username.value.trim() || null,
        sender: sender.value.trim() || null,
        timeoutSecs: Number(timeout.value) || 30,
        caFile,
        trustFingerprint: fingerprint.value.trim() || null,
      });
      const passwordChange = (): PasswordChange =>
        password.value
          ? { action: "set", password: password.value }
          : forget
            ? { action: "clear" }
            : { action: "keep" };

      const renderSecurity = () => {
        for (const b of segmented.querySelectorAll<HTMLButtonElement>("button")) {
          const on = b.dataset.value === security;
          b.classList.toggle("active", on);
          b.setAttribute("aria-checked", String(on));
        }
        securityHint.textContent = `${SECURITY_OPTIONS.find(([v]) => v === security)![2]}.`;
      };
      const renderPassword = () => {
        const stored = !!editing?.hasPassword && !forget;
        password.placeholder = stored
          ? "Stored in the system keyring — type to replace"
          : username.value.trim()
            ? "Stored in the system keyring, never in a file"
            : "Only needed with a user name";
        passwordState.textContent = forget
          ? "The stored password will be forgotten when you save."
          : stored
            ? "A password is stored in the system keyring."
            : "";
        forgetButton.hidden = !stored;
        passwordLine.hidden = !passwordState.textContent;
      };
      const renderCa = () => {
        caPath.textContent = caFile ?? "Only for a server with a private certificate";
        caPath.classList.toggle("muted", !caFile);
        caClear.hidden = !caFile;
      };
      const renderList = () => {
        banner.hidden = !view.keyringProblem;
        banner.textContent = view.keyringProblem
          ? "Passwords cannot be stored on this computer: it has no system keyring. Profiles without a password still work, and LETTERPRESS_SMTP_PASSWORD can supply one when sending."
          : "";
        banner.title = view.keyringProblem ?? "";
        list.replaceChildren(
          ...view.profiles.map((p) => {
            const item = el(
              "li",
              {
                role: "option",
                class: !creating && editing?.name === p.name ? "selected" : "",
                "aria-selected": String(!creating && editing?.name === p.name),
                "data-testid": `profile-item-${p.name}`,
              },
              el("button", { type: "button" }, el("strong", {}, p.name), el("span", {}, p.url)),
            );
            item.querySelector("button")!.addEventListener("click", () => load(p));
            return item;
          }),
        );
        if (!view.profiles.length)
          list.append(
            el(
              "li",
              { class: "profile-empty" },
              "No profiles yet. The local outbox needs none; add one to send through a real server.",
            ),
          );
        const add = el(
          "li",
          { class: `profile-add${creating ? " selected" : ""}` },
          el("button", { type: "button", "data-testid": "profile-new" }, "+ New profile"),
        );
        add.querySelector("button")!.addEventListener("click", () => load(null));
        list.append(add);
      };
      const load = (profile: Profile | null) => {
        editing = profile;
        creating = profile === null;
        forget = false;
        const values = profile ?? { ...blank(), hasPassword: false, url: "" };
        name.value = values.name;
        host.value = values.host;
        port.value = String(values.port);
        security = values.security;
        username.value = values.username ?? "";
        password.value = "";
        sender.value = values.sender ?? "";
        timeout.value = String(values.timeoutSecs);
        caFile = values.caFile;
        fingerprint.value = values.trustFingerprint ?? "";
        title.textContent = creating ? "New profile" : profile!.name;
        deleteButton.hidden = creating;
        problem.textContent = "";
        testResult.hidden = true;
        renderSecurity();
        renderPassword();
        renderCa();
        renderList();
        (creating ? name : host).focus();
      };
      const showResult = (result: ConnectionResult) => {
        testResult.hidden = false;
        testResult.className = `connection-result ${result.ok ? "ok" : "failed"}`;
        testResult.dataset.ok = String(result.ok);
        testResult.replaceChildren(
          ...present(
            el("strong", {}, `${result.headline}.`),
            result.ok
              ? el(
                  "span",
                  {},
                  `${result.url} answered in ${formatDuration(result.durationMs)}${result.reply ? ` — ${result.reply.code} ${result.reply.text}` : ""}.`,
                )
              : el("span", {}, sentence(result.detail ?? "")),
            !result.ok && result.reply
              ? el("span", { class: "reply-code" }, `${result.reply.code} ${result.reply.text}`)
              : null,
          ),
        );
      };
      const fail = (error: unknown) => {
        const e = BackendError.from(error);
        // The keyring's own reason is for whoever sets up the computer; it stays in the tooltip.
        problem.title = e.code === "no-keyring" ? e.message : "";
        problem.textContent =
          e.code === "no-keyring"
            ? "No system keyring is available on this computer, so the password was not stored anywhere. Save the profile without it, or set LETTERPRESS_SMTP_PASSWORD when sending."
            : `${sentence(e.message)}.`;
      };

      segmented.addEventListener("click", (e) => {
        const button = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-value]");
        if (!button) return;
        const before = security;
        security = button.dataset.value as Security;
        // Follow the usual port unless someone chose another on purpose.
        if (Number(port.value) === DEFAULT_PORTS[before] || !port.value) port.value = String(DEFAULT_PORTS[security]);
        renderSecurity();
      });
      username.addEventListener("input", renderPassword);
      forgetButton.addEventListener("click", () => {
        forget = true;
        password.value = "";
        renderPassword();
      });
      caChoose.addEventListener("click", async () => {
        const picked = await backend.pickCaFile().catch(() => null);
        if (picked) {
          caFile = picked;
          renderCa();
        }
      });
      caClear.addEventListener("click", () => {
        caFile = null;
        renderCa();
      });
      testButton.addEventListener("click", async () => {
        problem.textContent = "";
        testButton.disabled = true;
        testButton.textContent = "Testing…";
        testResult.hidden = false;
        testResult.className = "connection-result pending";
        testResult.replaceChildren(el("span", {}, `Connecting to ${host.value.trim() || "the server"}…`));
        try {
          showResult(await backend.testProfile(input(), passwordChange()));
        } catch (error) {
          testResult.hidden = true;
          fail(error);
        } finally {
          testButton.disabled = false;
          testButton.textContent = "Test connection";
        }
      });
      deleteButton.addEventListener("click", async () => {
        if (!editing) return;
        const gone = editing.name;
        // The confirmation is drawn inside this dialog: a second modal would share its Escape key.
        deleteButton.hidden = true;
        const confirmRow = el(
          "span",
          { class: "confirm-inline" },
          el("span", {}, `Delete ${gone} and its stored password?`),
          el("button", { type: "button", class: "small" }, "Keep"),
          el("button", { type: "button", class: "danger small", "data-testid": "profile-delete-confirm" }, "Delete"),
        );
        deleteButton.after(confirmRow);
        const [keep, confirm] = confirmRow.querySelectorAll("button");
        keep.addEventListener("click", () => {
          confirmRow.remove();
          deleteButton.hidden = false;
        });
        confirm.addEventListener("click", async () => {
          try {
            view = await backend.deleteProfile(gone);
            confirmRow.remove();
            load(view.profiles[0] ?? null);
            if (view.notice) problem.textContent = `${sentence(view.notice)}.`;
          } catch (error) {
            fail(error);
          }
        });
      });
      const form = el(
        "form",
        { class: "profile-form", "data-testid": "profile-form" },
        title,
        field("Name", name),
        el(
          "div",
          { class: "field-row" },
          field("Server", host),
          el("label", { class: "field port" }, el("span", {}, "Port"), port),
        ),
        el("div", { class: "field" }, el("span", { class: "field-label-inline" }, "Security"), segmented, securityHint),
        el("div", { class: "field-row" }, field("User name", username), field("Password", password)),
        passwordLine,
        field(
          "From address",
          sender,
          el(
            "p",
            { class: "field-hint" },
            "Messages sent through this profile come from this address; without one, from mail.from of the project.",
          ),
        ),
        el(
          "div",
          { class: "field-row" },
          el(
            "div",
            { class: "field" },
            el("span", { class: "field-label-inline" }, "CA certificate"),
            el("div", { class: "inline-row ca-row" }, caPath, caChoose, caClear),
          ),
          el("label", { class: "field port" }, el("span", {}, "Timeout (s)"), timeout),
        ),
        field(
          "Trusted certificate fingerprint",
          fingerprint,
          el(
            "p",
            { class: "field-hint" },
            "Trusts exactly the server certificate with this SHA-256 fingerprint, as shown when a test connection reports it untrusted.",
          ),
        ),
        problem,
        testResult,
        el("div", { class: "form-actions" }, testButton, el("div", { class: "spacer" }), deleteButton, saveButton),
      );
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        problem.textContent = "";
        const values = input();
        if (!values.name) return fail(new BackendError("invalid-profile", "give the profile a name"));
        if (!values.host) return fail(new BackendError("invalid-profile", "enter the server's host name"));
        saveButton.disabled = true;
        try {
          view = await backend.saveProfile(creating ? null : (editing?.name ?? null), values, passwordChange());
          password.value = "";
          load(view.profiles.find((p) => p.name === values.name) ?? null);
          testResult.hidden = true;
          problem.textContent = "";
          saveButton.textContent = "Saved";
          setTimeout(() => (saveButton.textContent = "Save profile"), 1200);
        } catch (error) {
          fail(error);
        } finally {
          saveButton.disabled = false;
        }
      });
      done.addEventListener("click", () => close(null));
      queueMicrotask(() => load(editing));
      return el(
        "div",
        { class: "profiles" },
        el("h2", {}, "SMTP profiles"),
        el(
          "p",
          { class: "modal-subtitle" },
          "Servers to send tests through. Profiles are shared with the letterpress command; passwords live in the system keyring.",
        ),
        banner,
        el("div", { class: "profiles-body" }, list, form),
        el("div", { class: "modal-actions" }, done),
      );
    },
    true,
  );
}
