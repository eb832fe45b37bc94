/// <amd-module name="forum/physician-verification-request"/>
/**
 * A reviewer's decisions on one request. A reviewer who loses a race gets the server's
 * translated "already decided by X" and the page reloads to show what happened.
 */
import api = require('api');
import alerts = require('alerts');
import type { DecisionAction, DecisionBodies } from 'physician-network/verification-shapes';

const BASE = '/plugins/physician-network/verification/requests';

function bindDecision<A extends DecisionAction>(component: string, action: A, body: (form: HTMLFormElement) => DecisionBodies[A]): void {
  const form = document.querySelector<HTMLFormElement>(`[component="physician-network/${component}"]`);
  const page = document.querySelector<HTMLElement>('[component="physician-network/verification-request"]');
  if (!form || !page) {
    return;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) {
      return;
    }
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) {
      button.disabled = true;
    }
    api.post(`${BASE}/${page.dataset.rid ?? ''}/${action}`, body(form)).then(() => {
      alerts.success('[[physician-network:verification.request.decided]]');
    }, (err: unknown) => {
      alerts.error(err);
    }).finally(() => {
      ajaxify.refresh();
    });
  });
}

function value(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement ? control.value : '';
}

export function init(): void {
  bindDecision('verification-approve', 'approve', (form) => {
    const select = form.elements.namedItem('specialties');
    const specialties = select instanceof HTMLSelectElement ? Array.from(select.selectedOptions).map(o => o.value) : [];
    return { specialties };
  });
  bindDecision('verification-reject', 'reject', form => ({ reasonCode: value(form, 'reasonCode'), reasonText: value(form, 'reasonText') }));
  bindDecision('verification-request-info', 'request-info', form => ({ message: value(form, 'message') }));
  bindDecision('verification-revoke', 'revoke', form => ({ reasonText: value(form, 'reasonText') }));
}
