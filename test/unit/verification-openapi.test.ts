/**
 * The OpenAPI file and the service agree: every route names a service function that
 * exists, and every caller-facing service function has a route.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createVerificationService } from '../../lib/verification/service';

const spec = readFileSync(join(__dirname, '..', '..', '..', 'openapi', 'physician-network.yaml'), 'utf8');

describe('verification: OpenAPI file', () => {
  const service = createVerificationService({
    membership: { grantVerification: async () => undefined, removeVerification: async () => undefined, verificationOf: async () => ({ verified: false, specialties: [] }) },
    isKnownSpecialty: async () => true,
  });
  const routed = [...spec.matchAll(/x-service: (\w+)/g)].map(match => match[1] ?? '');
  const jobsAndHelpers = ['runExpiryJob', 'runRetentionJob', 'runInactivityJob', 'runRecoveryJob', 'deleteAccountData', 'canReview'];

  it('routes only to service functions that exist', () => {
    expect(routed.filter(name => !(name in service))).to.deep.equal([]);
  });

  it('has a route for every function a caller can reach', () => {
    const callable = Object.keys(service).filter(name => !jobsAndHelpers.includes(name));
    expect(callable.filter(name => !routed.includes(name))).to.deep.equal([]);
  });

  it('keeps every route under /verification, /seminars or /startup and says who may call each', () => {
    const paths = [...spec.matchAll(/^ {2}(\/\S+):$/gm)].map(match => match[1] ?? '');
    expect(paths.length).to.be.greaterThan(10);
    expect(paths.filter(path => !path.startsWith('/verification/') && !/^\/(seminars|startup)(\/|$)/.test(path))).to.deep.equal([]);
    const verbs = [...spec.matchAll(/^ {4}(get|post|put|delete):$/gm)].length;
    expect([...spec.matchAll(/x-callers: /g)].length).to.equal(verbs);
    // Verification routes each name the service function they call (the 10 seminar and 2 start-up routes do not).
    expect(routed.length).to.equal(verbs - 12);
  });
});
