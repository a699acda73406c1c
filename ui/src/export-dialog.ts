// The export dialog: choose where (a target from letterpress.toml or any folder) and how, review
// what will change before anything is written, then write exactly that.

import { custom, el } from "./dialogs";
import {
  applyLabel,
  counts,
  exportWarnings,
  formatInfo,
  folderLabel,
  formatSize,
  groupFiles,
  noted,
  planSummary,
  progressText,
  skipped,
} from "./export";
import { humanMessage, location } from "./diagnostics";
import type { MailBackend } from "./backend";
import type { ExportChoices, ExportFormat, ExportPlan, ExportProgress } from "./mail-types";
import { present } from "./message-view";
import { sentence } from "./sentence";
import { BackendError, type Diagnostic } from "./types";

export interface ExportContext {
  /** How many files have unsaved edits; export reads the saved files. */
  unsaved: number;
}

/** What the dialog opens with, remembered between exports. */
export interface ExportSettings {
  /** `config:<index>` or `folder`. */
  destination: string;
  format: ExportFormat;
  folder: string;
  minify: boolean;
}

export async function exportDialog(
  backend: MailBackend,
  context: ExportContext,
  settings: ExportSettings | null,
): Promise<ExportSettings | null> {
  const choices: ExportChoices = await backend.exportTargets();
  return custom<ExportSettings>(
    "export-dialog",
    (close) => {
      let state: ExportSettings = {
        destination: settings?.destination ?? (choices.configured.length ? "config:0" : "folder"),
        format: settings?.format ?? "plain",
        folder: settings?.folder ?? "",
        minify: settings?.minify ?? false,
      };
      if (state.destination.startsWith("config:") && !choices.configured[Number(state.destination.slice(7))])
        state.destination = "folder";
      let plan: ExportPlan | null = null;
      let busy = false;
      let unlisten: (() => void) | null = null;

      const body = el("div", { class: "export-body" });
      const progress = el(
        "div",
        { class: "progress", hidden: true, "data-testid": "export-progress" },
        el("div", { class: "progress-bar" }, el("div", { class: "progress-fill" })),
        el("span", { class: "progress-text" }),
      );
      const problem = el("p", { class: "field-problem", "aria-live": "polite", "data-testid": "export-problem" });
      const back = el("button", { type: "button", hidden: true, "data-testid": "export-back" }, "Back");
      const cancel = el("button", { type: "button", "data-testid": "export-cancel" }, "Cancel");
      const primary = el(
        "button",
        { type: "submit", class: "primary", "data-testid": "export-primary" },
        "Review changes",
      );

      const showProgress = (event: ExportProgress) => {
        const { text, fraction } = progressText(event);
        progress.hidden = false;
        (progress.querySelector(".progress-fill") as HTMLElement).style.width = `${Math.round(fraction * 100)}%`;
        progress.querySelector(".progress-text")!.textContent = text;
      };
      void backend
        .onExportProgress((event) => {
          // A dialog closed with Escape stops listening at the next event.
          if (!body.isConnected) return unlisten?.();
          if (busy) showProgress(event);
        })
        .then((u) => {
          unlisten = u;
        });
      const finish = (value: ExportSettings | null) => {
        unlisten?.();
        close(value);
      };

      const request = () => {
        if (state.destination.startsWith("config:")) {
          const target = choices.configured[Number(state.destination.slice(7))];
          return { format: target.format, out: target.out, minify: target.minify || state.minify };
        }
        return { format: state.format, out: state.folder.trim(), minify: state.minify };
      };

      const renderChoose = () => {
        plan = null;
        back.hidden = true;
        primary.textContent = "Review changes";
        primary.disabled = false;
        const destinations = el("div", {
          class: "choices destinations",
          role: "radiogroup",
          "aria-label": "Destination",
        });
        choices.configured.forEach((target, index) => {
          const id = `config:${index}`;
          const option = el(
            "label",
            { class: "choice card" },
            el("input", {
              type: "radio",
              name: "export-destination",
              value: id,
              checked: state.destination === id,
              "data-testid": `export-config-${index}`,
            }),
            el(
              "span",
              {},
              el("strong", {}, target.label),
              el(
                "span",
                { class: "choice-detail" },
                `${formatInfo(choices.formats, target.format).label}${target.minify ? ", minified" : ""} · from letterpress.toml`,
              ),
            ),
          );
          destinations.append(option);
        });
        const folderInput = el("input", {
          type: "text",
          spellcheck: "false",
          autocomplete: "off",
          placeholder: "/path/to/folder",
          value: state.folder,
          "data-testid": "export-folder",
          "aria-label": "Folder",
        });
        const browse = el("button", { type: "button", class: "small", "data-testid": "export-browse" }, "Choose…");
        const formatSelect = el(
          "select",
          { "data-testid": "export-format", "aria-label": "Format" },
          ...choices.formats.map((f) =>
            el("option", { value: f.format, selected: f.format === state.format }, f.label),
          ),
        );
        const formatHint = el("p", { class: "field-hint" }, formatInfo(choices.formats, state.format).description);
        const folderCard = el(
          "label",
          { class: "choice card" },
          el("input", {
            type: "radio",
            name: "export-destination",
            value: "folder",
            checked: state.destination === "folder",
            "data-testid": "export-folder-choice",
          }),
          el(
            "span",
            { class: "folder-choice" },
            el("strong", {}, choices.configured.length ? "Another folder" : "A folder"),
            el("span", { class: "inline-row" }, folderInput, browse),
            el("span", { class: "inline-row" }, el("span", { class: "field-label-inline" }, "Format"), formatSelect),
            formatHint,
          ),
        );
        destinations.append(folderCard);
        const minify = el("input", { type: "checkbox", checked: state.minify, "data-testid": "export-minify" });
        const update = () => {
          const checked = destinations.querySelector<HTMLInputElement>("input[name=export-destination]:checked");
          state = {
            ...state,
            destination: checked?.value ?? "folder",
            folder: folderInput.value,
            format: formatSelect.value as ExportFormat,
            minify: minify.checked,
          };
          formatHint.textContent = formatInfo(choices.formats, state.format).description;
          folderCard.classList.toggle("selected", state.destination === "folder");
          for (const card of destinations.querySelectorAll(".choice"))
            card.classList.toggle("selected", !!card.querySelector<HTMLInputElement>("input[type=radio]")?.checked);
          problem.textContent = "";
        };
        destinations.addEventListener("change", update);
        folderInput.addEventListener("input", () => {
          (folderCard.querySelector("input[type=radio]") as HTMLInputElement).checked = true;
          update();
        });
        formatSelect.addEventListener("change", () => {
          (folderCard.querySelector("input[type=radio]") as HTMLInputElement).checked = true;
          update();
        });
        minify.addEventListener("change", update);
        browse.addEventListener("click", async () => {
          const picked = await backend.exportPickFolder().catch(() => null);
          if (!picked) return;
          folderInput.value = picked;
          (folderCard.querySelector("input[type=radio]") as HTMLInputElement).checked = true;
          update();
        });
        body.replaceChildren(
          ...present(
            choices.problem ? el("p", { class: "notice warning" }, `${sentence(choices.problem)}.`) : null,
            el("p", { class: "field-label" }, "Export to"),
            destinations,
            el("label", { class: "check" }, minify, el("span", {}, "Minify the HTML (drop whitespace between tags)")),
            context.unsaved
              ? el(
                  "p",
                  { class: "notice", "data-testid": "export-unsaved" },
                  `Exports the saved files; ${context.unsaved} file${context.unsaved === 1 ? " has" : "s have"} unsaved changes that will not be included.`,
                )
              : null,
          ),
        );
        update();
      };

      const renderPlan = (p: ExportPlan) => {
        plan = p;
        back.hidden = false;
        const c = counts(p);
        const held = p.conflicts.length > 0 && !p.force;
        primary.textContent = held ? "Nothing can be written" : applyLabel(p);
        primary.disabled = held || c.created + c.updated === 0;
        const where = folderLabel(p.root, choices.projectRoot);
        const groups = groupFiles(p.files).map((group) => {
          const list = el(
            "ul",
            { class: "file-list" },
            ...group.files.map((f) =>
              el(
                "li",
                {
                  class: `file ${f.change}`,
                  "data-testid": "export-file",
                  "data-change": f.change,
                  "data-path": f.path,
                },
                el("span", { class: "file-path" }, f.path),
                el("span", { class: "file-size" }, formatSize(f.bytes)),
              ),
            ),
          );
          const open = group.change !== "unchanged" || c.created + c.updated === 0;
          return el(
            "details",
            { class: `file-group ${group.change}`, open },
            el(
              "summary",
              {},
              el("span", { class: `change-badge ${group.change}` }, group.title),
              el("span", { class: "muted" }, String(group.files.length)),
            ),
            list,
          );
        });
        const left = skipped(p);
        const notes = noted(p);
        const replace = el(
          "button",
          { type: "button", "data-testid": "export-force" },
          `Replace ${p.conflicts.length === 1 ? "it" : "them"}`,
        );
        replace.addEventListener("click", () => {
          if (busy) return;
          void run(async () => renderPlan(await backend.exportPlan({ ...request(), force: true })));
        });
        body.replaceChildren(
          ...present(
            held
              ? el(
                  "div",
                  { class: "notice danger", "data-testid": "export-conflicts" },
                  el(
                    "strong",
                    {},
                    `${p.conflicts.length} file${p.conflicts.length === 1 ? " here was" : "s here were"} not written by an export, or changed since; nothing is written over someone else's work.`,
                  ),
                  el(
                    "ul",
                    { class: "file-list" },
                    ...p.conflicts
                      .slice(0, 10)
                      .map((path) => el("li", { class: "file" }, el("span", { class: "file-path" }, path))),
                  ),
                  el(
                    "p",
                    {},
                    p.conflicts.length === 1
                      ? "Move it away, or replace it and let exports take it over. "
                      : "Move them away, or replace them and let exports take them over. ",
                    replace,
                  ),
                )
              : null,
            el(
              "div",
              { class: `plan-summary ${c.created + c.updated ? "changes" : "clean"}`, "data-testid": "export-summary" },
              el("strong", {}, planSummary(p)),
              el(
                "span",
                { class: "muted" },
                ` ${formatInfo(choices.formats, p.format).label}${p.minify ? ", minified" : ""} → ${where}`,
              ),
            ),
            left.length
              ? el(
                  "div",
                  { class: "notice danger", "data-testid": "export-skipped" },
                  el(
                    "strong",
                    {},
                    `${left.length} template${left.length === 1 ? " has" : "s have"} errors and ${left.length === 1 ? "is" : "are"} left out; ${left.length === 1 ? "its" : "their"} files stay as they are.`,
                  ),
                  ...left.map((t) =>
                    el(
                      "div",
                      { class: "skipped-template" },
                      el("strong", {}, t.name),
                      el(
                        "ul",
                        {},
                        ...t.diagnostics
                          .filter((d) => d.severity === "error")
                          .slice(0, 5)
                          .map(problemItem),
                      ),
                    ),
                  ),
                )
              : null,
            notes.length
              ? el(
                  "details",
                  { class: "notice", "data-testid": "export-notes" },
                  el("summary", {}, `Notes on ${notes.length} template${notes.length === 1 ? "" : "s"}`),
                  ...notes.map((t) =>
                    el(
                      "div",
                      { class: "skipped-template" },
                      el("strong", {}, t.name),
                      t.notes.length ? el("p", {}, t.notes.map(sentence).join(" ")) : null,
                      el("ul", {}, ...exportWarnings(t).slice(0, 5).map(problemItem)),
                    ),
                  ),
                )
              : null,
            el("div", { class: "file-groups" }, ...groups),
          ),
        );
      };

      const renderDone = (written: string[], unchanged: number, root: string) => {
        back.hidden = true;
        cancel.hidden = true;
        primary.textContent = "Done";
        primary.disabled = false;
        plan = null;
        body.replaceChildren(
          ...present(
            el(
              "div",
              { class: "plan-summary done", "data-testid": "export-done" },
              el(
                "strong",
                {},
                written.length
                  ? `Wrote ${written.length} file${written.length === 1 ? "" : "s"}`
                  : "Nothing needed writing",
              ),
              el(
                "span",
                { class: "muted" },
                ` to ${folderLabel(root, choices.projectRoot)}${unchanged ? `; ${unchanged} unchanged` : ""}.`,
              ),
            ),
            written.length
              ? el(
                  "ul",
                  { class: "file-list" },
                  ...written.map((path) =>
                    el("li", { class: "file created" }, el("span", { class: "file-path" }, path)),
                  ),
                )
              : null,
          ),
        );
      };

      const run = async (work: () => Promise<void>) => {
        busy = true;
        primary.disabled = true;
        back.disabled = true;
        problem.textContent = "";
        try {
          await work();
        } catch (error) {
          problem.textContent = `${sentence(BackendError.from(error).message)}.`;
          primary.disabled = false;
        } finally {
          busy = false;
          back.disabled = false;
          progress.hidden = true;
        }
      };

      const form = el(
        "form",
        { class: "export-form" },
        el("h2", {}, "Export templates"),
        el(
          "p",
          { class: "modal-subtitle" },
          "Compiled HTML with the Handlebars placeholders kept, plus the text part and subject of every template.",
        ),
        body,
        progress,
        problem,
        el("div", { class: "modal-actions" }, back, el("div", { class: "spacer" }), cancel, primary),
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        if (busy) return;
        if (primary.textContent === "Done") return finish(state);
        if (plan) {
          const id = plan.id;
          void run(async () => {
            const applied = await backend.exportApply(id);
            renderDone(applied.written, applied.unchanged, applied.root);
          });
          return;
        }
        const req = request();
        if (!req.out) {
          problem.textContent = "Choose a folder to export into.";
          return;
        }
        void run(async () => renderPlan(await backend.exportPlan(req)));
      });
      back.addEventListener("click", () => renderChoose());
      cancel.addEventListener("click", () => finish(null));
      renderChoose();
      return el("div", {}, form);
    },
    true,
  );
}

/** One problem of a template in the export's lists: where, then what. */
function problemItem(d: Diagnostic): HTMLElement {
  return el("li", {}, el("span", { class: "problem-location" }, location(d)), " ", humanMessage(d.message));
}
