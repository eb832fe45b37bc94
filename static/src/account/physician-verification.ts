/// <amd-module name="forum/account/physician-verification"/>
/**
 * The member's "Physician verification" profile tab: submit (multipart, through NodeBB's api
 * module, which adds the CSRF token), answer a reviewer's question with a corrected form, withdraw.
 */
import api = require('api');
import alerts = require('alerts');
import bootbox = require('bootbox');
import verificationForm = require('physician-network/verification-form');

const BASE = '/plugins/physician-network/verification';

/** FormData from the form, without empty file inputs (the server counts every file part). */
function formDataOf(form: HTMLFormElement): FormData {
  const data = new FormData();
  for (const [name, value] of new FormData(form).entries()) {
    if (typeof value !== 'string' && value.size === 0) {
      continue;
    }
    if (typeof value === 'string' && value === '' && name !== 'registrationNumber') {
      continue;
    }
    data.append(name, value);
  }
  return data;
}

function whileSending(form: HTMLFormElement, work: () => Promise<unknown>): void {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) {
    button.disabled = true;
  }
  work().then(() => {
    alerts.success('[[physician-network:verification.member.sent]]');
    ajaxify.refresh();
  }, (err: unknown) => {
    alerts.error(err);
  }).finally(() => {
    if (button) {
      button.disabled = false;
    }
  });
}

/** Checks a form with the shared form module, then sends it to `route` as multipart. */
function sendWhenValid(form: HTMLFormElement, route: () => string): void {
  verificationForm.watchRegistrationType(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void verificationForm.checkVerificationForm(form).then((ok) => {
      if (ok) {
        whileSending(form, () => api.post(route(), formDataOf(form)));
      }
    });
  });
}

export function init(): void {
  // A new request; or, while a reviewer waits for an answer, the same form filled in from the
  // open request, with the answer (and optional replacement documents) sent to "resubmit".
  const form = document.querySelector<HTMLFormElement>('[component="physician-network/verification-form"]');
  if (form) {
    sendWhenValid(form, () => `${BASE}/requests`);
  }
  const resubmit = document.querySelector<HTMLFormElement>('[component="physician-network/verification-resubmit"]');
  if (resubmit) {
    sendWhenValid(resubmit, () => `${BASE}/requests/${resubmit.dataset.rid ?? ''}/resubmit`);
  }

  const withdraw = document.querySelector<HTMLButtonElement>('[component="physician-network/verification-withdraw"]');
  withdraw?.addEventListener('click', () => {
    bootbox.confirm('[[physician-network:verification.member.withdraw-confirm]]', (confirmed) => {
      if (!confirmed) {
        return;
      }
      api.post(`${BASE}/requests/${withdraw.dataset.rid ?? ''}/withdraw`).then(() => {
        ajaxify.refresh();
      }, (err: unknown) => {
        alerts.error(err);
      });
    });
  });
}
