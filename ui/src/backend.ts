// The only module that talks to the Tauri shell. Everything else depends on the `Backend`
// interface, so the UI logic can be tested without the app.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import {
  BackendError,
  type DataSetSize,
  type FileText,
  type PreviewRequest,
  type PreviewResult,
  type ProjectChanged,
  type ProjectView,
  type Ready,
  type RecentProject,
  type Saved,
  type SizesRequest,
} from "./types";
import type {
  ConnectionResult,
  ExportApplied,
  ExportChoices,
  ExportPlan,
  ExportProgress,
  ExportRequest,
  HistoryEntry,
  HistoryItem,
  HistoryQuery,
  MessageView,
  OutboxItem,
  PasswordChange,
  ProfileInput,
  ProfilesView,
  SendMemory,
  SendReport,
  SendRequest,
  TargetChoice,
  TemplateStats,
} from "./mail-types";

/** What the shell offers for sending, profiles, the inbox, the history and export. */
export interface MailBackend {
  sendTest(request: SendRequest): Promise<SendReport>;
  resend(id: number, recipients: string[], target: TargetChoice): Promise<SendReport>;
  readSendMemory(): Promise<SendMemory>;
  writeSendMemory(memory: SendMemory): Promise<void>;
  listProfiles(): Promise<ProfilesView>;
  saveProfile(original: string | null, input: ProfileInput, password: PasswordChange): Promise<ProfilesView>;
  deleteProfile(name: string): Promise<ProfilesView>;
  testProfile(input: ProfileInput, password: PasswordChange): Promise<ConnectionResult>;
  pickCaFile(): Promise<string | null>;
  outboxList(): Promise<OutboxItem[]>;
  outboxMessage(name: string): Promise<MessageView>;
  historyList(query: HistoryQuery): Promise<HistoryItem[]>;
  historyEntry(id: number): Promise<HistoryEntry>;
  historyStats(): Promise<TemplateStats[]>;
  exportTargets(): Promise<ExportChoices>;
  exportPickFolder(): Promise<string | null>;
  exportPlan(request: ExportRequest): Promise<ExportPlan>;
  exportApply(id: number): Promise<ExportApplied>;
  onExportProgress(handler: (event: ExportProgress) => void): Promise<() => void>;
}

export interface Backend extends MailBackend {
  openProject(path?: string): Promise<ProjectView | null>;
  pickProject(): Promise<ProjectView | null>;
  recentProjects(): Promise<RecentProject[]>;
  readFile(path: string): Promise<FileText>;
  /** Saves unless the file changed on disk since `baseHash` (null: the file must not exist). */
  saveFile(path: string, text: string, baseHash: string | null): Promise<Saved>;
  renderPreview(request: PreviewRequest): Promise<PreviewResult>;
  /** The size of the final HTML of every data set of a template, with the unsaved buffers. */
  dataSetSizes(request: SizesRequest): Promise<DataSetSize[]>;
  templatesUsing(path: string): Promise<string[]>;
  createTemplate(name: string, starter: string | null): Promise<ProjectView>;
  renameTemplate(from: string, to: string): Promise<ProjectView>;
  duplicateTemplate(from: string, to: string): Promise<ProjectView>;
  deleteTemplate(name: string): Promise<ProjectView>;
  createDataSet(template: string, name: string): Promise<ProjectView>;
  renameDataSet(template: string, from: string, to: string): Promise<ProjectView>;
  duplicateDataSet(template: string, from: string, to: string): Promise<ProjectView>;
  deleteDataSet(template: string, name: string): Promise<ProjectView>;
  setUnsaved(unsaved: boolean): Promise<void>;
  closeWindow(): Promise<void>;
  appReady(): Promise<Ready>;
  /** The journal of unsaved edits of the open project. */
  readJournal(): Promise<string | null>;
  writeJournal(text: string | null): Promise<void>;
  onProjectChanged(handler: (event: ProjectChanged) => void): Promise<() => void>;
  onCloseRequested(handler: () => void): Promise<() => void>;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw BackendError.from(raw);
  }
}

export class TauriBackend implements Backend {
  openProject(path?: string) {
    return call<ProjectView | null>("open_project", { path: path ?? null });
  }
  pickProject() {
    return call<ProjectView | null>("pick_project");
  }
  recentProjects() {
    return call<RecentProject[]>("recent_projects");
  }
  readFile(path: string) {
    return call<FileText>("read_file", { path });
  }
  saveFile(path: string, text: string, baseHash: string | null) {
    return call<Saved>("save_file", { path, text, baseHash });
  }
  renderPreview(request: PreviewRequest) {
    return call<PreviewResult>("render_preview", { request });
  }
  dataSetSizes(request: SizesRequest) {
    return call<DataSetSize[]>("data_set_sizes", { request });
  }
  templatesUsing(path: string) {
    return call<string[]>("templates_using", { path });
  }
  createTemplate(name: string, starter: string | null) {
    return call<ProjectView>("create_template", { name, starter });
  }
  renameTemplate(from: string, to: string) {
    return call<ProjectView>("rename_template", { from, to });
  }
  duplicateTemplate(from: string, to: string) {
    return call<ProjectView>("duplicate_template", { from, to });
  }
  deleteTemplate(name: string) {
    return call<ProjectView>("delete_template", { name });
  }
  createDataSet(template: string, name: string) {
    return call<ProjectView>("create_data_set", { template, name });
  }
  renameDataSet(template: string, from: string, to: string) {
    return call<ProjectView>("rename_data_set", { template, from, to });
  }
  duplicateDataSet(template: string, from: string, to: string) {
    return call<ProjectView>("duplicate_data_set", { template, from, to });
  }
  deleteDataSet(template: string, name: string) {
    return call<ProjectView>("delete_data_set", { template, name });
  }
  setUnsaved(unsaved: boolean) {
    return call<void>("set_unsaved", { unsaved });
  }
  closeWindow() {
    return call<void>("close_window");
  }
  appReady() {
    return call<Ready>("app_ready");
  }
  readJournal() {
    return call<string | null>("read_journal");
  }
  writeJournal(text: string | null) {
    return call<void>("write_journal", { text });
  }
  async onProjectChanged(handler: (event: ProjectChanged) => void) {
    const unlisten: UnlistenFn = await listen<ProjectChanged>("project-changed", (e) => handler(e.payload));
    return unlisten;
  }
  async onCloseRequested(handler: () => void) {
    const unlisten: UnlistenFn = await listen("close-requested", () => handler());
    return unlisten;
  }

  // ---- sending, profiles, inbox, history and export ----

  sendTest(request: SendRequest) {
    return call<SendReport>("send_test", { request });
  }
  resend(id: number, recipients: string[], target: TargetChoice) {
    return call<SendReport>("resend", { id, recipients, target });
  }
  readSendMemory() {
    return call<SendMemory>("read_send_memory");
  }
  writeSendMemory(memory: SendMemory) {
    return call<void>("write_send_memory", { memory });
  }
  listProfiles() {
    return call<ProfilesView>("list_profiles");
  }
  saveProfile(original: string | null, input: ProfileInput, password: PasswordChange) {
    return call<ProfilesView>("save_profile", { original, input, password });
  }
  deleteProfile(name: string) {
    return call<ProfilesView>("delete_profile", { name });
  }
  testProfile(input: ProfileInput, password: PasswordChange) {
    return call<ConnectionResult>("test_profile", { input, password });
  }
  pickCaFile() {
    return call<string | null>("pick_ca_file");
  }
  outboxList() {
    return call<OutboxItem[]>("outbox_list");
  }
  outboxMessage(name: string) {
    return call<MessageView>("outbox_message", { name });
  }
  historyList(query: HistoryQuery) {
    return call<HistoryItem[]>("history_list", { query });
  }
  historyEntry(id: number) {
    return call<HistoryEntry>("history_entry", { id });
  }
  historyStats() {
    return call<TemplateStats[]>("history_stats");
  }
  exportTargets() {
    return call<ExportChoices>("export_targets");
  }
  exportPickFolder() {
    return call<string | null>("export_pick_folder");
  }
  exportPlan(request: ExportRequest) {
    return call<ExportPlan>("export_plan", { request });
  }
  exportApply(id: number) {
    return call<ExportApplied>("export_apply", { id });
  }
  async onExportProgress(handler: (event: ExportProgress) => void) {
    const unlisten: UnlistenFn = await listen<ExportProgress>("export-progress", (e) => handler(e.payload));
    return unlisten;
  }
}
