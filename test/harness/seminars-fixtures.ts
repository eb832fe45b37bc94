/**
 * A valid seminar form and helpers to store seminars through the public functions,
 * shared by the seminar tests and the benchmark.
 */
import { type Seminar, type SeminarTopic } from '../../lib/seminars/model';
import { submitSeminar } from '../../lib/seminars/save';

export type SeminarForm = Record<string, unknown>;

export function seminarForm(overrides: SeminarForm = {}): SeminarForm {
  return {
    type: 'course',
    timezone: 'Asia/Jakarta',
    start: '2030-03-12T09:00',
    end: '2030-03-12T17:00',
    attendance: 'in-person',
    venue: 'RSUP Dr. Sardjito',
    city: 'Yogyakarta',
    country: 'ID',
    organiser: 'IDI Cabang Sleman',
    contact: 'panitia@example.org',
    specialties: ['emergency-medicine'],
    creditsAmount: '12',
    creditsBody: 'IDI',
    creditsArea: 'Pembelajaran',
    feeAmount: '2500000',
    feeCurrency: 'IDR',
    registrationUrl: 'https://example.org/atls',
    registrationDeadline: '2030-03-01',
    capacity: '',
    language: 'id',
    status: 'scheduled',
    ...overrides,
  };
}

export function topicFor(tid: number, cid = 1, uid = 1): SeminarTopic {
  return { tid, cid, uid, title: `Seminar ${tid}`, slug: `${tid}/seminar-${tid}` };
}

export async function storeSeminar(tid: number, overrides: SeminarForm = {}, cid = 1): Promise<Seminar> {
  return (await submitSeminar(topicFor(tid, cid), seminarForm(overrides))).seminar;
}
