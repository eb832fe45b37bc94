/**
 * Verification API shapes both sides use, written once: what the reviewer's request page
 * sends for each decision (static/src/physician-verification-request.ts) and what the
 * service accepts (lib/verification/decisions.ts). Types only: importing them emits nothing,
 * so no plugin.json "modules" entry is needed.
 */

/** The body of each decision, POST /api/v3/plugins/physician-network/verification/requests/:rid/<action>. */
export interface DecisionBodies {
  approve: { specialties: string[] };
  reject: { reasonCode: string; reasonText: string };
  'request-info': { message: string };
  revoke: { reasonText: string };
}

export type DecisionAction = keyof DecisionBodies;

/** A body as the server receives it: any field may be missing or of another type until checked. */
export type Unchecked<T> = { [K in keyof T]?: unknown };
