/**
 * The system's use cases: the daily jobs (licence expiry, document retention, inactive
 * requests, recovery of interrupted changes) and forgetting a deleted account. They act as
 * uid 0; hooks.ts runs them (the daily jobs only where nconf runJobs is true).
 */
import { log } from '../nodebb';
import { getSettings } from '../settings';
import { recordAudit } from './audit-store';
import { deleteDocumentFiles, retryDocumentDeletions } from './documents';
import { INACTIVITY_REASON, OPEN_STATUSES, type VerificationRequest } from './model';
import { notifyMember } from './notify';
import { DAY_MS, licenceExpiresAt } from './registration';
import {
  STALE_ROUND_MS, allMemberRequestIds, claimExpiryWarning, deleteRequest, expiringUntil, forgetMember, forgetSubject, inflightSince,
  loadRequest, queuedUntil, readRoundState, removeFromAllQueues, removeFromExpiry, removeFromInflight, removeFromRetention,
  removeFromTimeIndexes, retentionUntil, toStored, writeRequest,
} from './store';
import type { ServiceContext } from './context';
import { endVerification, healStaleRound, transition } from './transition';

async function deleteDocumentsOf(ctx: ServiceContext, request: VerificationRequest, actorUid: number, audit: boolean): Promise<void> {
  if (!request.documents.length) {
    return;
  }
  const at = ctx.now();
  // The record forgets the files only once they are listed for deletion (done or retried daily).
  await deleteDocumentFiles(request.documents, at);
  await writeRequest(request.rid, toStored({ documents: [], documentsDeletedAt: at }));
  await removeFromRetention(String(request.rid));
  if (audit) {
    await recordAudit({
      rid: request.rid, action: 'documents-deleted', actorUid, subjectUid: request.uid, at,
      fromStatus: request.status, toStatus: request.status, registrationType: request.registrationType,
    });
  }
}

/**
 * Daily (the caller runs it only where nconf runJobs is true): warns members whose given
 * licence expiry is within verificationExpiryWarningDays, and ends verifications at expiry.
 * Each warning and each expiry is claimed atomically, so a rerun never acts twice.
 */
export async function runExpiryJob(ctx: ServiceContext): Promise<{ warned: number[]; expired: number[] }> {
  const { verificationExpiryWarningDays } = await getSettings();
  const at = ctx.now();
  const due = await expiringUntil(at + verificationExpiryWarningDays * DAY_MS);
  const warned: number[] = [];
  const expired: number[] = [];
  for (const member of due) {
    const rid = Number(member);
    const loaded = await loadRequest(rid);
    const expiresAt = loaded?.request.status === 'approved' ? licenceExpiresAt(loaded.request.licenceExpiry) : null;
    if (!loaded || expiresAt === null) {
      await removeFromExpiry(member);
      continue;
    }
    try {
      if (expiresAt <= at) {
        await endVerification(ctx, loaded, 'expired', 0, '', false);
        expired.push(rid);
      } else if (await claimExpiryWarning(rid, at)) {
        await recordAudit({
          rid, action: 'expiry-warning', actorUid: 0, subjectUid: loaded.request.uid, at,
          fromStatus: 'approved', toStatus: 'approved', registrationType: loaded.request.registrationType,
        });
        await notifyMember({ rid, uid: loaded.request.uid, event: 'expiry-warning', occurrence: 0, args: [loaded.request.licenceExpiry] });
        warned.push(rid);
      }
    } catch (error) {
      // Another process or a reviewer got there first; the next run sees the new state.
      log.warn(`expiry job skipped request ${rid}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { warned, expired };
}

/** Daily: deletes documents verificationRetentionDays after the decision. The audit log stays. */
export async function runRetentionJob(ctx: ServiceContext): Promise<{ deleted: number[] }> {
  const { verificationRetentionDays } = await getSettings();
  const cutoff = ctx.now() - verificationRetentionDays * DAY_MS;
  const due = await retentionUntil(cutoff);
  const deleted: number[] = [];
  for (const member of due) {
    const loaded = await loadRequest(Number(member));
    if (loaded) {
      await deleteDocumentsOf(ctx, loaded.request, 0, true);
      deleted.push(loaded.request.rid);
    }
    await removeFromRetention(member);
  }
  return { deleted };
}

/**
 * Daily: a request left pending or needing information for longer than
 * verificationRetentionDays after the member's last action (submission or answer) expires,
 * with reason "inactive": its documents are deleted and the member is told.
 */
export async function runInactivityJob(ctx: ServiceContext): Promise<{ expired: number[] }> {
  const { verificationRetentionDays } = await getSettings();
  const at = ctx.now();
  const cutoff = at - verificationRetentionDays * DAY_MS;
  const expired: number[] = [];
  for (const status of OPEN_STATUSES) {
    // Open queues are scored by submission time, which is never after the last action.
    const candidates = await queuedUntil(status, cutoff);
    for (const member of candidates) {
      const loaded = await loadRequest(Number(member));
      if (!loaded || !OPEN_STATUSES.includes(loaded.request.status) || loaded.request.memberActedAt > cutoff) {
        continue;
      }
      try {
        await transition(ctx, loaded, {
          to: 'expired', actorUid: 0, action: 'expire', byReviewer: false, reasonCode: INACTIVITY_REASON,
          fields: { reasonCode: INACTIVITY_REASON, reasonText: '', documents: [], documentsDeletedAt: at },
          deleteDocuments: loaded.request.documents,
          notify: { event: 'request-expired', args: [String(verificationRetentionDays)] },
        });
        expired.push(loaded.request.rid);
      } catch (error) {
        // The member or a reviewer acted meanwhile; the next run sees the new state.
        log.warn(`inactivity job skipped request ${loaded.request.rid}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { expired };
}

/**
 * Daily: finishes rounds a dead process left claimed and unwritten (so those requests are
 * decidable again) and retries document files whose deletion failed.
 */
export async function runRecoveryJob(ctx: ServiceContext): Promise<{ healed: number[]; filesDeleted: number; filesFailing: number }> {
  const at = ctx.now();
  const healed: number[] = [];
  const listed = await inflightSince(at - STALE_ROUND_MS);
  for (const member of listed) {
    const loaded = await loadRequest(Number(member));
    if (!loaded) {
      await removeFromInflight(member);
      continue;
    }
    try {
      if (await healStaleRound(ctx, loaded.request.rid, loaded.round)) {
        healed.push(loaded.request.rid);
      } else if (!(await readRoundState(loaded.request.rid, loaded.round, at)).claimed) {
        // Listed by a caller that lost its claim or finished: nothing is in flight.
        await removeFromInflight(member);
      }
    } catch (error) {
      log.warn(`could not finish the stale change of verification request ${member}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const files = await retryDocumentDeletions();
  return { healed, filesDeleted: files.deleted.length, filesFailing: files.failed.length };
}

/**
 * `static:user.delete`: documents go at once, requests and the member's plugin keys are
 * purged, and audit entries keep the decision without the member's personal data.
 */
export async function deleteAccountData(uidInput: unknown): Promise<void> {
  const uid = Number(uidInput);
  if (!Number.isSafeInteger(uid) || uid <= 0) {
    return;
  }
  const rids = await allMemberRequestIds(uid);
  for (const member of rids) {
    const rid = Number(member);
    const loaded = await loadRequest(rid);
    if (loaded) {
      await deleteDocumentFiles(loaded.request.documents);
      await removeFromAllQueues(rid, loaded.request.registrationType);
    }
    await removeFromTimeIndexes(member);
    // The request's audit index stays: it holds entry ids only, and the entries outlive the request.
    await deleteRequest(rid);
  }
  await forgetSubject(uid);
  await forgetMember(uid);
}
