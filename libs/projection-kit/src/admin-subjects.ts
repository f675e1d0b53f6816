/** @default 'cim.admin' */
export const DEFAULT_ADMIN_PREFIX = 'cim.admin';

/** Verbs a projector answers on `{prefix}.projector.{name}.{verb}`. */
export const ADMIN_VERBS = ['status', 'pause', 'resume', 'rebuild', 'dlq.list', 'dlq.replay'] as const;
export type AdminVerb = (typeof ADMIN_VERBS)[number];

export const isAdminVerb = (value: string): value is AdminVerb =>
  (ADMIN_VERBS as readonly string[]).includes(value);

export const projectorAdminSubject = (name: string, verb: string, prefix = DEFAULT_ADMIN_PREFIX): string =>
  `${prefix}.projector.${name}.${verb}`;

/** Every projector answers here; callers gather replies for a short window. */
export const fleetStatusSubject = (prefix = DEFAULT_ADMIN_PREFIX): string => `${prefix}.projectors.status`;

/** The reply to an admin request. */
export type AdminReply<T = unknown> =
  | { ok: true; projector: string; result: T }
  | { ok: false; projector?: string; error: { code: string; message: string } };

/** Fire-and-forget notices `{ checkpoint, at }` a projector publishes after each committed batch. */
export const progressSubject = (name: string, prefix = DEFAULT_ADMIN_PREFIX): string =>
  `${prefix}.progress.${name}`;

/** Body of a progress notice. */
export interface ProgressNotice {
  checkpoint: number;
  /** Epoch milliseconds of the commit. */
  at: number;
}
