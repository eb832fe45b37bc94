/**
 * What the capability keeps per member: the single open slot (see claimOpenSlot in
 * submit.ts), the verified request, the request history and the submission times.
 */
import { nodebb } from '../nodebb';
import { keys } from './keys';

export interface MemberSlot {
  /** Counts released slots: claiming increments `openClaim:<openSeq>`, which only one caller sees at 1. */
  openSeq: number;
  openRequestId: number;
  verifiedRequestId: number;
}

export async function readMemberSlot(uid: number): Promise<MemberSlot> {
  const member = await nodebb.db.getObjectFields(keys.member(uid), ['openSeq', 'openRequestId', 'verifiedRequestId']);
  return {
    openSeq: Number(member.openSeq) || 0,
    openRequestId: Number(member.openRequestId) || 0,
    verifiedRequestId: Number(member.verifiedRequestId) || 0,
  };
}

/** True for exactly one caller per slot sequence number. */
export async function claimSlot(uid: number, seq: number): Promise<boolean> {
  return await nodebb.db.incrObjectField(keys.member(uid), `openClaim:${seq}`) === 1;
}

export async function markSlotClaimed(uid: number, seq: number, at: number): Promise<void> {
  await nodebb.db.setObjectField(keys.member(uid), `openClaimedAt:${seq}`, at);
}

/** When the slot was claimed, 0 if unknown. */
export async function slotClaimedAt(uid: number, seq: number): Promise<number> {
  return Number(await nodebb.db.getObjectField(keys.member(uid), `openClaimedAt:${seq}`)) || 0;
}

/** Releasing a stale claim: true for exactly one caller per slot sequence number. */
export async function claimSlotHealing(uid: number, seq: number): Promise<boolean> {
  return await nodebb.db.incrObjectField(keys.member(uid), `openHeal:${seq}`) === 1;
}

/** Frees the slot claimed at `seq`, so the next claim counts from `seq + 1`. */
export async function freeSlot(uid: number, seq: number): Promise<void> {
  await nodebb.db.setObject(keys.member(uid), { openRequestId: 0, openSeq: seq + 1 });
}

export async function releaseOpenSlot(uid: number): Promise<void> {
  const seq = Number(await nodebb.db.getObjectField(keys.member(uid), 'openSeq')) || 0;
  await freeSlot(uid, seq);
}

export async function setOpenRequest(uid: number, rid: number): Promise<void> {
  await nodebb.db.setObjectField(keys.member(uid), 'openRequestId', rid);
}

/** The member's approved request, or 0 when they are not verified. */
export async function setVerifiedRequest(uid: number, rid: number): Promise<void> {
  await nodebb.db.setObject(keys.member(uid), { verifiedRequestId: rid });
}

export async function addMemberRequest(uid: number, rid: number, at: number): Promise<void> {
  await nodebb.db.sortedSetAdd(keys.memberRequests(uid), at, String(rid));
}

export async function removeMemberRequest(uid: number, rid: number): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.memberRequests(uid), String(rid));
}

/** The member's request ids, newest first (stop -1: all). */
export async function memberRequestIds(uid: number, start: number, stop: number): Promise<string[]> {
  return nodebb.db.getSortedSetRevRange(keys.memberRequests(uid), start, stop);
}

/** The member's request ids, oldest first. */
export async function allMemberRequestIds(uid: number): Promise<string[]> {
  return nodebb.db.getSortedSetRange(keys.memberRequests(uid), 0, -1);
}

export async function countSubmissionsSince(uid: number, since: number): Promise<number> {
  return nodebb.db.sortedSetCount(keys.memberSubmissions(uid), since, '+inf');
}

/** One submission (`count`-th of the request) at `at`, for the 24-hour limit. */
export async function recordSubmission(uid: number, rid: number, count: number, at: number): Promise<void> {
  await nodebb.db.sortedSetAdd(keys.memberSubmissions(uid), at, `${rid}:${count}`);
}

export async function removeSubmission(uid: number, rid: number, count: number): Promise<void> {
  await nodebb.db.sortedSetRemove(keys.memberSubmissions(uid), `${rid}:${count}`);
}

/** The member's own keys (slot, history, submission times), once their requests are gone. */
export async function forgetMember(uid: number): Promise<void> {
  await nodebb.db.deleteAll([keys.member(uid), keys.memberRequests(uid), keys.memberSubmissions(uid)]);
}
