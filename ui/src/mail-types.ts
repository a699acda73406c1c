// The shapes of sending, profiles, the inbox, the history and export as the shell sends and
// receives them, mirrored from `src-tauri/src/{sending,profiles,mailbox,exporting}.rs`.

import type { Diagnostic } from "./types";

/** Where a message goes. */
export type TargetChoice = { kind: "outbox" } | { kind: "profile"; name: string };

/** Where a send went, as the history records it; `url` never holds a password. */
export type SendTarget =
  | { kind: "outbox" }
  | { kind: "profile"; name: string; url: string }
  | { kind: "url"; url: string };

export interface SendRequest {
  template: string;
  dataSet: string | null;
  recipients: string[];
  target: TargetChoice;
  buffers: { path: string; text: string }[];
}

export interface Reply {
  code: number;
  text: string;
}

export interface Failure {
  /** A stable code to branch on, e.g. `timeout`, `rejected`, `untrusted-certificate`, `outbox`. */
  code: string;
  /** What went wrong, in plain words, worded by the shell. */
  headline: string;
  /** The exact reason, for whoever runs the server. */
  detail: string;
  transient: boolean;
}

export interface SendReport {
  ok: boolean;
  historyId: number;
  template: string;
  dataSet: string | null;
  recipients: string[];
  subject: string;
  target: SendTarget;
  durationMs: number;
  size: number;
  messageId: string;
  reply: Reply | null;
  outboxName: string | null;
  failure: Failure | null;
}

export interface SendMemory {
  /** The recipients of the last send from this project. */
  recipients: string[];
  /** Addresses used before, most recent first. */
  recent: string[];
  target: TargetChoice | null;
}

export type Security = "tls" | "starttls" | "none";

export interface Profile {
  name: string;
  host: string;
  port: number;
  security: Security;
  username: string | null;
  sender: string | null;
  timeoutSecs: number;
  caFile: string | null;
  /** A server certificate trusted exactly, as `SHA256:AB:CD:…`. */
  trustFingerprint: string | null;
  /** The server as an SMTP URL, never with a password. */
  url: string;
  hasPassword: boolean;
}

export interface ProfilesView {
  profiles: Profile[];
  /** Why passwords cannot be stored on this system, when they cannot. */
  keyringProblem: string | null;
}

export type ProfileInput = Omit<Profile, "url" | "hasPassword">;

export type PasswordChange = { action: "keep" } | { action: "set"; password: string } | { action: "clear" };

export interface ConnectionResult {
  ok: boolean;
  url: string;
  encrypted: boolean;
  loggedIn: boolean;
  durationMs: number;
  reply: Reply | null;
  /** A stable code for the failure, when the test failed. */
  code: string | null;
  headline: string;
  detail: string | null;
}

export interface OutboxItem {
  name: string;
  subject: string | null;
  from: string | null;
  to: string[];
  date: string | null;
  size: number;
  /** The recipients a message was sent again to (its Resent-To field). */
  resentTo: string | null;
}

export interface MessageView {
  subject: string | null;
  from: string | null;
  to: string[];
  date: string | null;
  messageId: string | null;
  /** The recipients a message was sent again to (its Resent-To field). */
  resentTo: string | null;
  headers: [string, string][];
  text: string | null;
  /** The HTML part with embedded images as data URIs; shown only in the sandboxed frame. */
  html: string | null;
  parts: { contentId: string | null; contentType: string; size: number }[];
  raw: string;
  rawTruncated: boolean;
  size: number;
}

export type SendStatus = "pending" | "sent" | "failed" | "interrupted";

export interface HistoryItem {
  id: number;
  status: SendStatus;
  template: string;
  dataSet: string | null;
  recipients: string[];
  subject: string;
  target: SendTarget;
  messageId: string;
  size: number;
  reply: Reply | null;
  failure: "transient" | "permanent" | null;
  error: string | null;
  durationMs: number | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface HistoryQuery {
  search: string | null;
  template: string | null;
  status: SendStatus | null;
  limit: number | null;
}

export interface HistoryEntry {
  send: HistoryItem;
  data: string | null;
  message: MessageView;
}

export interface TemplateStats {
  template: string;
  sent: number;
  failed: number;
  lastSent: string | null;
}

export type ExportFormat = "plain" | "postmark" | "sendgrid" | "mailgun" | "ses";

export interface ExportTarget {
  format: ExportFormat;
  out: string;
  label: string;
  minify: boolean;
}

export interface ExportChoices {
  formats: ExportFormat[];
  configured: ExportTarget[];
  problem: string | null;
  projectRoot: string;
}

export interface ExportRequest {
  format: ExportFormat;
  out: string;
  minify: boolean;
  /** Replace files in the folder that no export wrote. */
  force?: boolean;
}

export type FileChangeKind = "created" | "updated" | "unchanged";

export interface PlanFile {
  path: string;
  change: FileChangeKind;
  bytes: number;
  template: string | null;
}

export interface PlanTemplate {
  name: string;
  exported: boolean;
  dataSet: string | null;
  diagnostics: Diagnostic[];
  notes: string[];
}

export interface ExportPlan {
  id: number;
  format: ExportFormat;
  root: string;
  minify: boolean;
  files: PlanFile[];
  templates: PlanTemplate[];
  /** Files no export wrote, or changed since, that the export would replace. */
  conflicts: string[];
  force: boolean;
}

export interface ExportApplied {
  root: string;
  written: string[];
  unchanged: number;
}

export interface ExportProgress {
  step: "compiling" | "writing";
  done: number;
  total: number;
  name: string;
}

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
