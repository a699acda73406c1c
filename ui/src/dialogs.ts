// Modal dialogs drawn by the app itself: naming things, confirming deletions, choosing how to
// resolve a conflict, and the quick pickers for templates and data sets.

import { fuzzyFilter } from "./fuzzy";
import { nameProblem, typedName } from "./names";

/** Builds an element: `el("div", { class: "x" }, child, "text")`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

let root: HTMLElement | null = null;

export function setModalRoot(node: HTMLElement): void {
  root = node;
}

/** Opens a modal and resolves with what `body` decides; Escape and clicking outside cancel. */
function modal<T>(
  testid: string,
  build: (close: (value: T | null) => void) => HTMLElement,
  wide = false,
): Promise<T | null> {
  return new Promise((resolve) => {
    const host = root ?? document.body;
    const previous = document.activeElement as HTMLElement | null;
    const backdrop = el("div", { class: "modal-backdrop", "data-testid": "modal-backdrop" });
    let done = false;
    const close = (value: T | null) => {
      if (done) return;
      done = true;
      backdrop.remove();
      document.removeEventListener("keydown", onKey, true);
      previous?.focus?.();
      resolve(value);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        close(null);
      }
    };
    const dialog = build(close);
    dialog.classList.add("modal");
    if (wide) dialog.classList.add("wide");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("data-testid", testid);
    backdrop.append(dialog);
    backdrop.addEventListener("mousedown", (e) => {
      if (e.target === backdrop) close(null);
    });
    document.addEventListener("keydown", onKey, true);
    host.append(backdrop);
    const focus = dialog.querySelector<HTMLElement>("[autofocus], input, button.primary, button");
    focus?.focus();
    if (focus instanceof HTMLInputElement) focus.select();
  });
}

export interface NamePrompt {
  title: string;
  label: string;
  value: string;
  taken: readonly string[];
  confirm: string;
  hint?: string;
}

/** A field that asks for a name: the input, the line that says what is wrong with the name, and
 * the button that confirms it. */
interface NameField {
  label: string;
  input: HTMLInputElement;
  problem: HTMLElement;
  ok: HTMLButtonElement;
}

/** A name field whose input corrects what is typed (see `typedName`), then calls `typed`. */
function nameField(label: string, value: string, confirm: string, typed: () => void): NameField {
  const input = el("input", {
    type: "text",
    value,
    spellcheck: "false",
    autocomplete: "off",
    "data-testid": "name-input",
    "aria-label": label,
  });
  input.addEventListener("input", () => {
    const name = typedName(input.value);
    if (name !== input.value) input.value = name;
    typed();
  });
  const problem = el("p", { class: "field-problem", "aria-live": "polite" });
  const ok = el("button", { class: "primary", type: "submit", "data-testid": "name-confirm" }, confirm);
  return { label, input, problem, ok };
}

/** The form around a name field: the title, the labelled input, `body`, and Cancel beside the
 * field's button. Enter and the button call `submit`; Cancel calls `cancel`. */
function nameForm(
  title: string,
  field: NameField,
  body: (Node | null)[],
  submit: () => void,
  cancel: () => void,
): HTMLElement {
  const form = el(
    "form",
    {},
    el("h2", {}, title),
    el("label", { class: "field" }, el("span", {}, field.label), field.input),
    ...body,
    el(
      "div",
      { class: "modal-actions" },
      el("button", { type: "button", "data-action": "cancel" }, "Cancel"),
      field.ok,
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  form.querySelector("[data-action=cancel]")!.addEventListener("click", () => cancel());
  return el("div", {}, form);
}

/** Asks for a template or data set name, checking it as it is typed. */
export function promptName(options: NamePrompt): Promise<string | null> {
  return modal<string>("name-dialog", (close) => {
    const field = nameField(options.label, options.value, options.confirm, () => check());
    const { input, problem, ok } = field;
    const check = () => {
      const message =
        input.value === options.value && options.taken.includes(input.value)
          ? null
          : nameProblem(
              input.value,
              options.taken.filter((t) => t !== options.value),
            );
      const unchanged = input.value === options.value && options.taken.includes(options.value);
      problem.textContent = message ?? "";
      ok.disabled = !!message || unchanged;
    };
    check();
    return nameForm(
      options.title,
      field,
      [options.hint ? el("p", { class: "field-hint" }, options.hint) : null, problem],
      () => {
        if (!ok.disabled) close(input.value);
      },
      () => close(null),
    );
  });
}

export interface Choice {
  id: string;
  label: string;
  kind?: "primary" | "danger";
}

/** Asks a question with a few answers. */
export function choose(
  testid: string,
  title: string,
  message: string | Node,
  choices: Choice[],
): Promise<string | null> {
  return modal<string>(testid, (close) => {
    const buttons = choices.map((c) => {
      const b = el("button", { type: "button", class: c.kind ?? "", "data-choice": c.id }, c.label);
      b.addEventListener("click", () => close(c.id));
      return b;
    });
    return el(
      "div",
      {},
      el("h2", {}, title),
      typeof message === "string" ? el("p", { class: "modal-text" }, message) : message,
      el("div", { class: "modal-actions" }, ...buttons),
    );
  });
}

/** Asks before something that cannot be undone. */
export async function confirmDanger(title: string, message: string, action: string): Promise<boolean> {
  const answer = await choose("confirm-dialog", title, message, [
    { id: "cancel", label: "Cancel" },
    { id: "confirm", label: action, kind: "danger" },
  ]);
  return answer === "confirm";
}

/** Asks for the name and starting point of a new template. */
export function newTemplateDialog(
  starters: readonly string[],
  taken: readonly string[],
): Promise<{ name: string; starter: string | null } | null> {
  return modal<{ name: string; starter: string | null }>(
    "new-template-dialog",
    (close) => {
      let starter: string | null = null;
      let touched = false;
      const field = nameField("Name", "", "Create template", () => {
        touched = true;
        check();
      });
      const { input, problem, ok } = field;
      const check = () => {
        const message = nameProblem(input.value, taken);
        problem.textContent = touched ? (message ?? "") : "";
        ok.disabled = !!message;
      };
      const options = [null, ...starters].map((s) => {
        const card = el(
          "button",
          { type: "button", class: `starter${s === null ? " selected" : ""}`, "data-starter": s ?? "blank" },
          el("strong", {}, s ?? "Blank"),
          el("span", {}, s === null ? "A heading, a paragraph and a button" : "A copy of the bundled template"),
        );
        card.addEventListener("click", () => {
          starter = s;
          for (const other of grid.children) other.classList.toggle("selected", other === card);
          if (!touched && s) {
            input.value = taken.includes(s) ? `my-${s}` : s;
            check();
          }
        });
        return card;
      });
      const grid = el("div", { class: "starter-grid" }, ...options);
      check();
      return nameForm(
        "New template",
        field,
        [problem, el("p", { class: "field-label" }, "Start from"), grid],
        () => {
          touched = true;
          check();
          if (!ok.disabled) close({ name: input.value, starter });
        },
        () => close(null),
      );
    },
    true,
  );
}

export interface PickItem {
  id: string;
  label: string;
  detail?: string;
  group?: string;
}

/** A keyboard-first list with a filter, used by quick open and the data set switcher. */
export function quickPick(
  testid: string,
  placeholder: string,
  items: readonly PickItem[],
  current?: string,
): Promise<string | null> {
  return modal<string>(testid, (close) => {
    const input = el("input", {
      type: "text",
      placeholder,
      spellcheck: "false",
      autocomplete: "off",
      "data-testid": "pick-input",
      "aria-label": placeholder,
    });
    const list = el("ul", { class: "pick-list", role: "listbox" });
    let shown: PickItem[] = [];
    let selected = 0;
    const render = () => {
      const matches = fuzzyFilter(input.value, items, (i) => i.label);
      shown = matches.map((m) => m.item);
      selected = Math.min(selected, Math.max(shown.length - 1, 0));
      list.replaceChildren(
        ...matches.map((m, index) => {
          const label = el("span", { class: "pick-label" });
          let last = 0;
          for (const p of m.positions) {
            label.append(m.item.label.slice(last, p), el("mark", {}, m.item.label[p]));
            last = p + 1;
          }
          label.append(m.item.label.slice(last));
          const row = el(
            "li",
            {
              role: "option",
              class: index === selected ? "selected" : "",
              "data-id": m.item.id,
              "aria-selected": index === selected ? "true" : "false",
            },
            label,
            m.item.detail ? el("span", { class: "pick-detail" }, m.item.detail) : null,
            m.item.id === current ? el("span", { class: "pick-current" }, "current") : null,
          );
          row.addEventListener("mousedown", (e) => {
            e.preventDefault();
            close(m.item.id);
          });
          return row;
        }),
      );
      if (!shown.length) list.append(el("li", { class: "pick-empty" }, "Nothing matches"));
      list.querySelector(".selected")?.scrollIntoView({ block: "nearest" });
    };
    input.addEventListener("input", () => {
      selected = 0;
      render();
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") {
        selected = Math.min(selected + 1, shown.length - 1);
        render();
        e.preventDefault();
      } else if (e.key === "ArrowUp") {
        selected = Math.max(selected - 1, 0);
        render();
        e.preventDefault();
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (shown[selected]) close(shown[selected].id);
      }
    });
    const at = items.findIndex((i) => i.id === current);
    if (at >= 0) selected = at;
    render();
    return el("div", { class: "picker" }, input, list);
  });
}

/** Shows a modal whose body is built by the caller; resolves with the chosen action. */
export function custom<T>(
  testid: string,
  build: (close: (value: T | null) => void) => HTMLElement,
  wide = true,
): Promise<T | null> {
  return modal<T>(testid, build, wide);
}
