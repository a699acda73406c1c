// The shapes of sending, profiles, the inbox, the history and export, generated from the Rust
// types into `./bindings/` (see `src-tauri/src/bindings.rs`) and re-exported here, and the
// interface the window calls them through.

import type { ConnectionResult } from "./bindings/ConnectionResult";
import type { ExportApplied } from "./bindings/ExportApplied";
import type { ExportChoices } from "./bindings/ExportChoices";
import type { ExportPlan } from "./bindings/ExportPlan";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { HistoryItem } from "./bindings/HistoryItem";
import type { HistoryQuery } from "./bindings/HistoryQuery";
import type { MessageView } from "./bindings/MessageView";
import type { OutboxItem } from "./bindings/OutboxItem";
import type { PasswordChange } from "./bindings/PasswordChange";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { ProfilesView } from "./bindings/ProfilesView";
import type { SendMemory } from "./bindings/SendMemory";
import type { SendReport } from "./bindings/SendReport";
import type { SendRequest } from "./bindings/SendRequest";
import type { TargetChoice } from "./bindings/TargetChoice";
import type { TemplateStats } from "./bindings/TemplateStats";

export type { ExportFormat } from "./bindings/ExportFormat";
export type { ExportTarget } from "./bindings/ExportTarget";
export type { Failure } from "./bindings/Failure";
export type { FailureKind } from "./bindings/FailureKind";
export type { FileChangeKind } from "./bindings/FileChangeKind";
export type { PartView } from "./bindings/PartView";
export type { PlanFile } from "./bindings/PlanFile";
export type { PlanTemplate } from "./bindings/PlanTemplate";
export type { Profile } from "./bindings/Profile";
export type { ProgressStep } from "./bindings/ProgressStep";
export type { Reply } from "./bindings/Reply";
export type { Security } from "./bindings/Security";
export type { SendStatus } from "./bindings/SendStatus";
export type { SendTarget } from "./bindings/SendTarget";
export type {
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
};

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
