/**
 * Keys the verification code builds from data (statuses, reasons, notifications, registry
 * names, types, document kinds) exist in en-GB; the generic language test cannot see them.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DOCUMENT_KINDS, REGISTRATION_TYPES, REJECTION_REASONS, REQUEST_STATUSES } from '../../lib/verification/model';
import { registryLookupLink } from '../../lib/verification/registry-links';

const en = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'languages', 'en-GB', 'physician-network.json'), 'utf8')) as Record<string, string>;

describe('verification: keys built from data', () => {
  it('every status, reason, notification, type, document kind and registry has its text', () => {
    const needed = [
      'verification.another-reviewer',
      ...['none', ...REQUEST_STATUSES].map(s => `verification.status.${s}`),
      ...REJECTION_REASONS.map(r => `verification.reason.${r}`),
      ...['approved', 'rejected', 'needs-info', 'revoked', 'expired', 'expiry-warning'].map(e => `verification.notification.${e}`),
      ...REGISTRATION_TYPES.map(t => `verification.type.${t}`),
      ...DOCUMENT_KINDS.map(k => `verification.document.${k}`),
      ...REGISTRATION_TYPES.map(t => registryLookupLink(t, '1')?.labelKey).filter((k): k is string => k !== undefined),
    ];
    expect(needed.filter(key => !(key in en))).to.deep.equal([]);
  });

  it('the rejection notification carries the reason and the reviewer\'s text', () => {
    expect(en['verification.notification.rejected']).to.contain('%1').and.contain('%2');
    expect(en['error.verification-already-decided']).to.contain('%1');
  });
});
