/**
 * The seminar topic page hook (filter:topic.build) on real Redis: seminar topics are marked
 * for the client panel; public seminars carry schema.org Event JSON-LD in the HTML, which no
 * value can break out of; seminars in closed categories never do, nor do /api responses.
 */
import { expect } from 'chai';

import { submitSeminar } from '../../lib/seminars/save';
import { updateSeminarTopic } from '../../lib/seminars/store';
import { addSeminarToTopicPage, plainDescription, type TopicBuildData } from '../../lib/seminars/topic-panel';
import { testDatabase } from '../harness/root-hooks';
import { provideTestNodeBB } from '../harness/nodebb-stand-ins';
import { provideSeminarStandIns, grantToGroup } from '../harness/seminars-stand-ins';
import { provideSeminarFormStandIns, recordingResponse, pageRequest } from '../harness/seminars-form-stand-ins';
import { seminarForm } from '../harness/seminars-fixtures';

const PUBLIC_CID = 3;
const CLOSED_CID = 4;

interface Built {
  data: TopicBuildData;
  postHeader: string;
}

async function build(tid: number, options: { isAPI?: boolean; content?: string } = {}): Promise<Built> {
  const response = recordingResponse(options.isAPI ? { isAPI: true } : {});
  const data: TopicBuildData = {
    req: pageRequest(0),
    res: response.res,
    templateData: { tid, posts: [{ pid: tid * 10, index: 0, content: options.content ?? '<p>Two days of <strong>ATLS</strong> &amp; skills.</p>' }] },
  };
  const result = await addSeminarToTopicPage(data);
  return { data: result, postHeader: (response.res.locals as { postHeader?: string }).postHeader ?? '' };
}

function jsonLdOf(postHeader: string): Record<string, unknown>[] {
  return [...postHeader.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map(m => JSON.parse(m[1] ?? '') as Record<string, unknown>);
}

describe('seminars: the topic page (marker and JSON-LD)', () => {
  before(() => {
    provideSeminarStandIns(testDatabase());
    provideSeminarFormStandIns(testDatabase(), () => undefined);
  });
  after(() => { provideTestNodeBB(testDatabase()); });

  beforeEach(async () => {
    const db = testDatabase();
    await db.flushAll();
    // As NodeBB's defaults: guests may read the public category; the closed one only its members.
    await grantToGroup(db, PUBLIC_CID, 'topics:read', 'guests');
    await grantToGroup(db, PUBLIC_CID, 'topics:read', 'registered-users');
    await grantToGroup(db, CLOSED_CID, 'topics:read', 'cardiology-physicians');
  });

  async function seminarIn(tid: number, cid: number, overrides: Record<string, unknown> = {}, title = 'ATLS Provider Course'): Promise<void> {
    await submitSeminar({ tid, cid, uid: 2, title, slug: `${tid}/atls-provider-course` }, seminarForm(overrides));
  }

  it('puts schema.org Event JSON-LD for a public seminar in the HTML page and marks the topic', async () => {
    await seminarIn(7, PUBLIC_CID, { type: 'course', attendance: 'hybrid', onlineUrl: 'https://meet.example.org/atls' });
    const { data, postHeader } = await build(7);
    expect(data.templateData.physicianNetworkSeminar).to.deep.equal({ tid: 7 });
    const [event, ...others] = jsonLdOf(postHeader);
    expect(others).to.have.length(0);
    expect(event).to.include({
      '@context': 'https://schema.org',
      '@type': 'EducationEvent',
      name: 'ATLS Provider Course',
      url: 'https://forum.example.org/topic/7/atls-provider-course',
      startDate: '2030-03-12T09:00:00+07:00',
      endDate: '2030-03-12T17:00:00+07:00',
      eventAttendanceMode: 'https://schema.org/MixedEventAttendanceMode',
      eventStatus: 'https://schema.org/EventScheduled',
      description: 'Two days of ATLS & skills.',
    });
    expect(event?.location).to.deep.include({ '@type': 'VirtualLocation', url: 'https://meet.example.org/atls' });
  });

  it('never gives a seminar in a closed category JSON-LD, though members still get the panel marker', async () => {
    await seminarIn(8, CLOSED_CID);
    const { data, postHeader } = await build(8);
    expect(postHeader).to.equal('');
    expect(data.templateData.physicianNetworkSeminar).to.deep.equal({ tid: 8 });
  });

  it('adds nothing to /api responses, ordinary topics or deleted seminars', async () => {
    await seminarIn(7, PUBLIC_CID);
    expect((await build(7, { isAPI: true })).postHeader).to.equal('');
    const plain = await build(99);
    expect(plain.postHeader).to.equal('');
    expect(plain.data.templateData).to.not.have.property('physicianNetworkSeminar');
    await updateSeminarTopic(7, { hidden: true });
    const hidden = await build(7);
    expect(hidden.postHeader).to.equal('');
    expect(hidden.data.templateData).to.not.have.property('physicianNetworkSeminar');
  });

  it('keeps every value inside its script element, and marks a cancellation', async () => {
    await seminarIn(9, PUBLIC_CID, { organiser: '</script><script>alert(1)</script>', status: 'cancelled' }, 'Course </script><img src=x onerror=alert(1)>');
    const { postHeader } = await build(9, { content: '<p>&lt;/script&gt; in text</p>' });
    expect(postHeader.match(/<\/script/gi)).to.have.length(1);
    expect(postHeader).to.not.contain('<img');
    const [event] = jsonLdOf(postHeader);
    expect(event?.name).to.equal('Course </script><img src=x onerror=alert(1)>');
    expect(event?.eventStatus).to.equal('https://schema.org/EventCancelled');
    expect(event?.description).to.equal('</script> in text');
  });

  it('appends to what other plugins put after the header', async () => {
    await seminarIn(7, PUBLIC_CID);
    const response = recordingResponse({ postHeader: '<div id="other"></div>' });
    await addSeminarToTopicPage({ req: pageRequest(0), res: response.res, templateData: { tid: 7, posts: [] } });
    const header = String((response.res.locals as { postHeader?: string }).postHeader);
    expect(header.startsWith('<div id="other"></div><script type="application/ld+json"')).to.equal(true);
  });

  it('describes the first post as short plain text', () => {
    expect(plainDescription('<p>A&nbsp;&amp;&#39;B&#x27;</p><script>x()</script><p>C</p>')).to.equal('A &\'B\' C');
    expect(plainDescription(`<p>${'word '.repeat(200)}</p>`)).to.have.length.at.most(500);
  });
});
