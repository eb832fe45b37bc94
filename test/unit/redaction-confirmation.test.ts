/**
 * The server's check of the composer's "nothing identifies a patient" confirmation in clinical categories.
 */
import { expect } from 'chai';

import { isUserFacingError } from '../../lib/common/user-error';
import { CONFIRMATION_FIELD, contentShowsImage, lacksPatientConfirmation, requirePatientConfirmation } from '../../lib/redaction/confirmation';

const CLINICAL = [5, '7'];

describe('redaction: clinical-category confirmation', () => {
  it('recognises markdown and HTML images, and not links or plain text', () => {
    expect(contentShowsImage('look ![x-ray](/assets/uploads/files/a.png) here')).to.equal(true);
    expect(contentShowsImage('<p><IMG src="/a.png"></p>')).to.equal(true);
    expect(contentShowsImage('[a link](/assets/uploads/files/a.pdf) and ! [not] (an image)')).to.equal(false);
    expect(contentShowsImage(undefined)).to.equal(false);
  });

  it('refuses an image post in a clinical category without the confirmation, with a translated message', () => {
    for (const flag of [undefined, false, 'false', 1]) {
      const data = { cid: '5', content: '![scan](/assets/uploads/files/scan.png)', [CONFIRMATION_FIELD]: flag };
      expect(lacksPatientConfirmation(data, CLINICAL)).to.equal(true);
      let caught: unknown;
      try {
        requirePatientConfirmation(data, CLINICAL);
      } catch (err) {
        caught = err;
      }
      expect(isUserFacingError(caught)).to.equal(true);
      expect((caught as Error).message).to.equal('[[physician-network:error.redaction-confirmation-required]]');
    }
  });

  it('accepts the confirmation and strips the field so it is not stored', () => {
    const data = { cid: 7, content: '![scan](/x.png)', title: 't', [CONFIRMATION_FIELD]: true };
    expect(requirePatientConfirmation(data, CLINICAL)).to.deep.equal({ cid: 7, content: '![scan](/x.png)', title: 't' });
    expect(lacksPatientConfirmation({ ...data, [CONFIRMATION_FIELD]: 'true' }, CLINICAL)).to.equal(false);
  });

  it('lets through posts outside clinical categories and clinical posts without images', () => {
    expect(lacksPatientConfirmation({ cid: 6, content: '![scan](/x.png)' }, CLINICAL)).to.equal(false);
    expect(lacksPatientConfirmation({ cid: 5, content: 'text only' }, CLINICAL)).to.equal(false);
    expect(lacksPatientConfirmation({ cid: 5, content: '![scan](/x.png)' }, [])).to.equal(false);
    expect(requirePatientConfirmation({ cid: 6, content: 'x' }, CLINICAL)).to.deep.equal({ cid: 6, content: 'x' });
  });
});
