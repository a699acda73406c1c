// What can be done to templates and data sets: create a template from a starter, rename, duplicate
// or delete one, and create, edit, duplicate, rename or delete a data set. Each asks first, calls
// the shell, puts the new project into the store and opens what follows.

import type { Backend } from "./backend";
import type { BufferStore } from "./buffers";
import { errorText } from "./diagnostics";
import { confirmDanger, newTemplateDialog, promptName, quickPick } from "./dialogs";
import { copyName } from "./names";
import type { Store } from "./store";
import { previewTemplate, templateView, type WorkspaceState } from "./workspace-state";

export interface TemplateActionsHooks {
  /** The open files of the project. */
  buffers(): BufferStore;
  /** Takes changes to the buffers into the state. */
  syncBuffers(): void;
  /** Drops the editor states of the files that match, which are closed or moved. */
  forget(match: (path: string) => boolean): void;
  selectTemplate(name: string): Promise<void>;
  selectDataSet(name: string): Promise<void>;
  openFile(path: string): Promise<void>;
  showNoTemplates(): void;
  /** Renders the preview now. */
  refreshPreview(): Promise<void>;
  toast(message: string, level: "info" | "success" | "warning" | "error"): void;
}

export class TemplateActions {
  constructor(
    private readonly backend: Backend,
    private readonly store: Store<WorkspaceState>,
    private readonly hooks: TemplateActionsHooks,
  ) {}

  private get s(): Readonly<WorkspaceState> {
    return this.store.state;
  }

  private templateNames(): string[] {
    return this.s.project?.templates.map((t) => t.name) ?? [];
  }

  async create(): Promise<void> {
    const project = this.s.project;
    if (!project) return;
    const answer = await newTemplateDialog(
      project.starters,
      project.templates.map((t) => t.name),
    );
    if (!answer) return;
    try {
      this.store.update({ project: await this.backend.createTemplate(answer.name, answer.starter) });
      await this.hooks.selectTemplate(answer.name);
      this.hooks.toast(`Created ${answer.name}.`, "success");
    } catch (error) {
      this.hooks.toast(errorText(error).message, "error");
    }
  }

  async templateMenu(name: string): Promise<void> {
    const choice = await quickPick("template-actions", `Template ${name}`, [
      { id: "rename", label: "Rename…" },
      { id: "duplicate", label: "Duplicate…" },
      { id: "delete", label: "Delete…" },
    ]);
    if (choice === "rename") await this.renameTemplate(name);
    else if (choice === "duplicate") await this.duplicateTemplate(name);
    else if (choice === "delete") await this.deleteTemplate(name);
  }

  private async renameTemplate(name: string): Promise<void> {
    if (
      this.hooks
        .buffers()
        .dirty()
        .some((b) => b.path.startsWith(`${name}/`))
    ) {
      this.hooks.toast(`Save or discard the changes in ${name} before renaming it.`, "warning");
      return;
    }
    const to = await promptName({
      title: `Rename ${name}`,
      label: "New name",
      value: name,
      taken: this.templateNames(),
      confirm: "Rename",
    });
    if (!to || to === name) return;
    try {
      const project = await this.backend.renameTemplate(name, to);
      this.hooks.buffers().move(name, to);
      this.hooks.forget((path) => path.startsWith(`${name}/`));
      this.store.update({ project, template: this.s.template === name ? null : this.s.template });
      this.hooks.syncBuffers();
      await this.hooks.selectTemplate(to);
    } catch (error) {
      this.hooks.toast(errorText(error).message, "error");
    }
  }

  private async duplicateTemplate(name: string): Promise<void> {
    const names = this.templateNames();
    const to = await promptName({
      title: `Duplicate ${name}`,
      label: "Name of the copy",
      value: copyName(name, names),
      taken: names,
      confirm: "Duplicate",
    });
    if (!to) return;
    try {
      this.store.update({ project: await this.backend.duplicateTemplate(name, to) });
      await this.hooks.selectTemplate(to);
    } catch (error) {
      this.hooks.toast(errorText(error).message, "error");
    }
  }

  private async deleteTemplate(name: string): Promise<void> {
    const ok = await confirmDanger(
      `Delete ${name}?`,
      `The folder ${name} with its MJML, subject and every data set will be deleted from disk.`,
      "Delete template",
    );
    if (!ok) return;
    try {
      const project = await this.backend.deleteTemplate(name);
      this.hooks.buffers().closeUnder(name);
      this.hooks.forget((path) => path.startsWith(`${name}/`));
      this.store.update({ project, template: null });
      this.hooks.syncBuffers();
      const first = project.templates[0];
      if (first) await this.hooks.selectTemplate(first.name);
      else this.hooks.showNoTemplates();
      this.hooks.toast(`Deleted ${name}.`, "success");
    } catch (error) {
      this.hooks.toast(errorText(error).message, "error");
    }
  }

  async switchDataSet(): Promise<void> {
    const t = templateView(this.s, previewTemplate(this.s));
    if (!t?.dataSets.length) return;
    const choice = await quickPick(
      "data-set-picker",
      "Switch data set",
      t.dataSets.map((d) => ({ id: d, label: d })),
      this.s.dataSet ?? undefined,
    );
    if (choice) await this.hooks.selectDataSet(choice);
  }

  async dataSetMenu(): Promise<void> {
    const t = templateView(this.s, previewTemplate(this.s));
    if (!t) return;
    const current = this.s.dataSet;
    const items = [
      { id: "new", label: "New data set…" },
      ...(current
        ? [
            { id: "edit", label: `Edit ${current}` },
            { id: "duplicate", label: `Duplicate ${current}…` },
            { id: "rename", label: `Rename ${current}…` },
            { id: "delete", label: `Delete ${current}…` },
          ]
        : []),
    ];
    const choice = await quickPick("data-set-actions", `Data sets of ${t.name}`, items);
    if (!choice) return;
    try {
      if (choice === "edit" && current) {
        await this.hooks.openFile(`${t.name}/data/${current}.json`);
      } else if (choice === "new") {
        const name = await promptName({
          title: "New data set",
          label: "Name",
          value: "",
          taken: t.dataSets,
          confirm: "Create",
          hint: "For example es, long-values or empty-order.",
        });
        if (!name) return;
        this.store.update({ project: await this.backend.createDataSet(t.name, name) });
        await this.afterDataSetChange(t.name, name, true);
      } else if (choice === "duplicate" && current) {
        const name = await promptName({
          title: `Duplicate ${current}`,
          label: "Name of the copy",
          value: copyName(current, t.dataSets),
          taken: t.dataSets,
          confirm: "Duplicate",
        });
        if (!name) return;
        this.store.update({ project: await this.backend.duplicateDataSet(t.name, current, name) });
        await this.afterDataSetChange(t.name, name, true);
      } else if (choice === "rename" && current) {
        const path = `${t.name}/data/${current}.json`;
        if (this.hooks.buffers().isDirty(path)) {
          this.hooks.toast(`Save or discard the changes in ${current} before renaming it.`, "warning");
          return;
        }
        const name = await promptName({
          title: `Rename ${current}`,
          label: "New name",
          value: current,
          taken: t.dataSets,
          confirm: "Rename",
        });
        if (!name || name === current) return;
        const project = await this.backend.renameDataSet(t.name, current, name);
        this.hooks.buffers().close(path);
        this.hooks.forget((p) => p === path);
        this.store.update({ project });
        this.hooks.syncBuffers();
        await this.afterDataSetChange(t.name, name, this.s.activePath === path);
      } else if (choice === "delete" && current) {
        const ok = await confirmDanger(
          `Delete data set ${current}?`,
          `${t.name}/data/${current}.json will be deleted from disk.`,
          "Delete data set",
        );
        if (!ok) return;
        const path = `${t.name}/data/${current}.json`;
        const project = await this.backend.deleteDataSet(t.name, current);
        this.hooks.buffers().close(path);
        this.hooks.forget((p) => p === path);
        this.store.update({ project });
        this.hooks.syncBuffers();
        const next = templateView(this.s, t.name)?.dataSets[0] ?? null;
        await this.afterDataSetChange(t.name, next, this.s.activePath === path);
      }
    } catch (error) {
      this.hooks.toast(errorText(error).message, "error");
    }
  }

  private async afterDataSetChange(template: string, dataSet: string | null, open: boolean): Promise<void> {
    this.store.update({ dataSet });
    if (open && dataSet) await this.hooks.openFile(`${template}/data/${dataSet}.json`);
    else if (open) await this.hooks.openFile(`${template}/template.mjml`);
    await this.hooks.refreshPreview();
  }
}
