/// <amd-module name="forum/seminar-form"/>
/**
 * /seminars/new and /seminars/:tid/edit: checks the form, sends it to the seminar API
 * through NodeBB's api module (which adds the CSRF token), shows the server's translated
 * error, and on success goes to the seminar's topic (or, when the post queue holds it, says
 * it awaits review and goes to the listings). Cancelling asks first.
 */
import api = require('api');
import alerts = require('alerts');
import bootbox = require('bootbox');
import seminarForm = require('physician-network/seminar-form');
import type { PublishedSeminar } from 'physician-network/seminar-shapes';

const BASE = '/plugins/physician-network/seminars';

/** What saving answers (lib/shared/seminar-shapes.ts); cancelling answers only the tid. */
type SavedSeminar = Partial<PublishedSeminar> & { queued?: boolean; message?: string };

/** The fixed notice for a queued seminar (the server's `message` names the same key). */
const QUEUED_NOTICE = '[[physician-network:seminars.form.queued]]';

/** A forum path for ajaxify.go: no relative_path, no leading slash. */
export function forumPath(saved: SavedSeminar | null | undefined, fallbackTid: string): string {
  const relative = (window as unknown as { config?: { relative_path?: string } }).config?.relative_path ?? '';
  let path = typeof saved?.path === 'string' && saved.path !== '' ? saved.path : `/topic/${saved?.tid ?? fallbackTid}`;
  if (relative && path.startsWith(relative)) {
    path = path.slice(relative.length);
  }
  return path.replace(/^\/+/, '');
}

function whileSending(form: HTMLFormElement, work: () => Promise<SavedSeminar>): void {
  const buttons = Array.from(form.querySelectorAll<HTMLButtonElement>('button'));
  buttons.forEach((button) => { button.disabled = true; });
  work().then((saved) => {
    if (saved.queued) {
      // Nothing to open yet: say it awaits review and go back to the listings.
      alerts.success(QUEUED_NOTICE, 10_000);
      ajaxify.go('seminars');
      return;
    }
    ajaxify.go(forumPath(saved, form.dataset.tid ?? ''));
  }, (err: unknown) => {
    alerts.error(err);
  }).finally(() => {
    buttons.forEach((button) => { button.disabled = false; });
  });
}

function send(form: HTMLFormElement): void {
  const body = seminarForm.seminarBody(form);
  const tid = form.dataset.tid ?? '';
  if (form.dataset.mode === 'edit') {
    whileSending(form, () => api.put<SavedSeminar>(`${BASE}/${tid}`, { ...seminarForm.changesOnly(form, body) }));
  } else {
    whileSending(form, () => api.post<SavedSeminar>(BASE, { ...body }));
  }
}

export function init(): void {
  const form = document.querySelector<HTMLFormElement>('[component="physician-network/seminar-form"]');
  if (!form) {
    return;
  }
  const lang = (window as unknown as { config?: { userLang?: string } }).config?.userLang ?? document.documentElement.lang;
  seminarForm.defaultZoneFromBrowser(form);
  if (lang) {
    seminarForm.nameOptionsIn(form, lang);
  }
  seminarForm.watchForm(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void seminarForm.checkSeminarForm(form).then((ok) => {
      if (ok) {
        send(form);
      }
    });
  });

  const cancel = form.querySelector<HTMLButtonElement>('[component="physician-network/seminar-cancel"]');
  cancel?.addEventListener('click', () => {
    bootbox.confirm('[[physician-network:seminars.form.cancel-confirm]]', (confirmed) => {
      if (confirmed) {
        whileSending(form, () => api.post<SavedSeminar>(`${BASE}/${form.dataset.tid ?? ''}/cancel`));
      }
    });
  });
}
