/**
 * A status change in flight, as its claimant records it before applying any effect: enough
 * for anyone who finds the round stale to finish it (write it) or undo it (see round-store.ts).
 */
import { z } from 'zod';

import {
  AUDIT_ACTIONS, DOCUMENT_KINDS, DOCUMENT_TYPES, REGISTRATION_TYPES, REQUEST_STATUSES,
  type AuditAction, type RegistrationType, type RequestStatus, type StoredDocument,
} from './model';
import { NOTIFICATION_EVENTS, type NotificationEvent } from './notify';

export interface RoundIntent {
  rid: number;
  uid: number;
  from: RequestStatus;
  to: RequestStatus;
  action: AuditAction;
  actorUid: number;
  at: number;
  /** The type the request is queued under now, and the one it has once written (a resubmission may change it). */
  registrationType: RegistrationType;
  newType: RegistrationType;
  submittedAt: number;
  /** Record fields written with the status, as stored. */
  fields: Record<string, string | number>;
  reasonCode: string;
  reasonText: string;
  specialties: string[];
  /** Membership change applied before the status is written. */
  effect: 'none' | 'grant' | 'remove';
  grant: string[];
  /** Membership as it was when the round was claimed: what undoing the effect restores. */
  restore: { verified: boolean; specialties: string[] } | null;
  notify: { event: NotificationEvent; args: string[] } | null;
  deleteDocuments: StoredDocument[];
}

const intentSchema = z.object({
  rid: z.number().int().positive(),
  uid: z.number().int().positive(),
  from: z.enum(REQUEST_STATUSES),
  to: z.enum(REQUEST_STATUSES),
  action: z.enum(AUDIT_ACTIONS),
  actorUid: z.number().int().nonnegative(),
  at: z.number(),
  registrationType: z.enum(REGISTRATION_TYPES),
  newType: z.enum(REGISTRATION_TYPES),
  submittedAt: z.number(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
  reasonCode: z.string(),
  reasonText: z.string(),
  specialties: z.array(z.string()),
  effect: z.enum(['none', 'grant', 'remove']),
  grant: z.array(z.string()),
  restore: z.object({ verified: z.boolean(), specialties: z.array(z.string()) }).nullable(),
  notify: z.object({ event: z.enum(NOTIFICATION_EVENTS), args: z.array(z.string()) }).nullable(),
  deleteDocuments: z.array(z.object({
    id: z.string().regex(/^[0-9a-f]{32}$/),
    kind: z.enum(DOCUMENT_KINDS),
    contentType: z.enum(DOCUMENT_TYPES),
    size: z.number(),
  })),
});

/** The stored intent, or null when there is none (the claimant died before writing it) or it is unreadable. */
export function parseIntent(stored: string): RoundIntent | null {
  if (!stored) {
    return null;
  }
  try {
    const parsed = intentSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
