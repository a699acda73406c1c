// The shapes the shell sends and receives are generated from the Rust types into `./bindings/`
// (see `src-tauri/src/bindings.rs`) and re-exported here; only what the window adds is written
// by hand below.

import type { ErrorCode } from "./bindings/ErrorCode";

export type { ChangedFile } from "./bindings/ChangedFile";
export type { ChangeKind } from "./bindings/ChangeKind";
export type { ClientRow } from "./bindings/ClientRow";
export type { ClientSupport } from "./bindings/ClientSupport";
export type { Code } from "./bindings/Code";
export type { CommandError } from "./bindings/CommandError";
export type { DataSetSize } from "./bindings/DataSetSize";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { Diagnostic } from "./bindings/Diagnostic";
export type { FileText } from "./bindings/FileText";
export type { PartialSupport } from "./bindings/PartialSupport";
export type { Place } from "./bindings/Place";
export type { Position } from "./bindings/Position";
export type { PreviewRequest } from "./bindings/PreviewRequest";
export type { PreviewResult } from "./bindings/PreviewResult";
export type { ProjectChanged } from "./bindings/ProjectChanged";
export type { ProjectView } from "./bindings/ProjectView";
export type { Ready } from "./bindings/Ready";
export type { RecentProject } from "./bindings/RecentProject";
export type { Saved } from "./bindings/Saved";
export type { Severity } from "./bindings/Severity";
export type { SizesRequest } from "./bindings/SizesRequest";
export type { SupportProblem } from "./bindings/SupportProblem";
export type { TemplateView } from "./bindings/TemplateView";

/** An error from a command, as `{ code, message }`. */
export class BackendError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BackendError";
  }

  /** Turns whatever a command threw into a `BackendError`. */
  static from(raw: unknown): BackendError {
    if (raw instanceof BackendError) return raw;
    if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
      const { code, message } = raw as { code: unknown; message: unknown };
      return new BackendError(String(code) as ErrorCode, String(message));
    }
    return new BackendError("internal", raw instanceof Error ? raw.message : String(raw));
  }
}
