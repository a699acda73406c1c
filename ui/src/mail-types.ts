// The shapes of sending, profiles, the inbox, the history and export as the shell sends and
// receives them: generated from the Rust types into `./bindings/` (see
// `src-tauri/src/bindings.rs`) and re-exported here.

export type { ConnectionResult } from "./bindings/ConnectionResult";
export type { ExportApplied } from "./bindings/ExportApplied";
export type { ExportChoices } from "./bindings/ExportChoices";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { ExportPlan } from "./bindings/ExportPlan";
export type { ExportProgress } from "./bindings/ExportProgress";
export type { ExportRequest } from "./bindings/ExportRequest";
export type { ExportTarget } from "./bindings/ExportTarget";
export type { Failure } from "./bindings/Failure";
export type { FailureKind } from "./bindings/FailureKind";
export type { FileChangeKind } from "./bindings/FileChangeKind";
export type { HistoryEntry } from "./bindings/HistoryEntry";
export type { HistoryItem } from "./bindings/HistoryItem";
export type { HistoryQuery } from "./bindings/HistoryQuery";
export type { MessageView } from "./bindings/MessageView";
export type { OutboxItem } from "./bindings/OutboxItem";
export type { PartView } from "./bindings/PartView";
export type { PasswordChange } from "./bindings/PasswordChange";
export type { PlanFile } from "./bindings/PlanFile";
export type { PlanTemplate } from "./bindings/PlanTemplate";
export type { Profile } from "./bindings/Profile";
export type { ProfileInput } from "./bindings/ProfileInput";
export type { ProfilesView } from "./bindings/ProfilesView";
export type { ProgressStep } from "./bindings/ProgressStep";
export type { Reply } from "./bindings/Reply";
export type { Security } from "./bindings/Security";
export type { SendMemory } from "./bindings/SendMemory";
export type { SendReport } from "./bindings/SendReport";
export type { SendRequest } from "./bindings/SendRequest";
export type { SendStatus } from "./bindings/SendStatus";
export type { SendTarget } from "./bindings/SendTarget";
export type { TargetChoice } from "./bindings/TargetChoice";
export type { TemplateStats } from "./bindings/TemplateStats";
