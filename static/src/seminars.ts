/// <amd-module name="forum/seminars"/>
/**
 * /seminars and /seminars/past: dates and fees in the reader's language, and the member's
 * calendar subscription (choose specialties, get a secret feed URL shown once, revoke it)
 * through the plugin's API.
 */
import api = require('api');
import alerts = require('alerts');
import bootbox = require('bootbox');
import translator = require('translator');
import dates = require('physician-network/seminar-dates');

const FEED_API = '/plugins/physician-network/seminars/feed';

function part(root: ParentNode, name: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[component="physician-network/${name}"]`);
}

function urlInput(root: ParentNode): HTMLInputElement | null {
  return root.querySelector<HTMLInputElement>('input[component="physician-network/seminar-feed-url"]');
}

/** 'all', or the checked specialties; null when "chosen" is picked with none ticked. */
function chosenSpecialties(form: HTMLElement): string[] | 'all' | null {
  const scope = form.querySelector<HTMLInputElement>('input[name="feedScope"]:checked')?.value ?? 'all';
  if (scope === 'all') {
    return 'all';
  }
  const slugs = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="feedSpecialty"]:checked')).map(box => box.value);
  return slugs.length ? slugs : null;
}

function showToken(form: HTMLElement, hasToken: boolean, url: string): void {
  part(form, 'seminar-feed-revoke')?.classList.toggle('d-none', !hasToken);
  part(form, 'seminar-feed-has-token')?.classList.toggle('d-none', !hasToken || url !== '');
  const box = part(form, 'seminar-feed-url-box');
  box?.classList.toggle('d-none', url === '');
  box?.classList.toggle('d-flex', url !== '');
  const input = urlInput(form);
  if (input) {
    input.value = url;
  }
  const tokenButton = part(form, 'seminar-feed-token');
  if (tokenButton) {
    void translator.translate(hasToken ? '[[physician-network:seminars.feed.new-url]]' : '[[physician-network:seminars.feed.get-url]]').then((text) => {
      tokenButton.textContent = text;
    });
  }
}

async function confirmed(token: string): Promise<boolean> {
  const message = await translator.translate(token);
  return new Promise((resolve) => {
    bootbox.confirm(message, resolve);
  });
}

function bindFeedForm(form: HTMLElement): void {
  let hasToken = part(form, 'seminar-feed-revoke')?.classList.contains('d-none') === false;

  part(form, 'seminar-feed-save')?.addEventListener('click', () => {
    const specialties = chosenSpecialties(form);
    if (specialties === null) {
      alerts.error('[[physician-network:seminars.feed.choose-one]]');
      return;
    }
    api.put(`${FEED_API}/specialties`, { specialties }).then(() => {
      alerts.success('[[physician-network:seminars.feed.saved]]');
    }, (err: unknown) => { alerts.error(err); });
  });

  part(form, 'seminar-feed-token')?.addEventListener('click', () => {
    void (async () => {
      if (hasToken && !await confirmed('[[physician-network:seminars.feed.confirm-new]]')) {
        return;
      }
      try {
        const { url } = await api.post<{ url: string }>(`${FEED_API}/token`);
        hasToken = true;
        showToken(form, true, url);
      } catch (err) {
        alerts.error(err);
      }
    })();
  });

  part(form, 'seminar-feed-revoke')?.addEventListener('click', () => {
    void (async () => {
      if (!await confirmed('[[physician-network:seminars.feed.confirm-revoke]]')) {
        return;
      }
      try {
        await api.del(`${FEED_API}/token`);
        hasToken = false;
        showToken(form, false, '');
        alerts.success('[[physician-network:seminars.feed.revoked]]');
      } catch (err) {
        alerts.error(err);
      }
    })();
  });

  part(form, 'seminar-feed-copy')?.addEventListener('click', () => {
    const input = urlInput(form);
    if (!input?.value) {
      return;
    }
    input.select();
    const done = (): void => { alerts.success('[[physician-network:seminars.feed.copied]]'); };
    // Browsers leave navigator.clipboard undefined outside secure contexts (plain http).
    const clipboard = (navigator as { clipboard?: Clipboard }).clipboard;
    if (clipboard) {
      clipboard.writeText(input.value).then(done, () => { alerts.error('[[physician-network:seminars.feed.copy-failed]]'); });
    } else {
      alerts.error('[[physician-network:seminars.feed.copy-failed]]');
    }
  });

  form.addEventListener('submit', (event) => { event.preventDefault(); });
}

export function init(): void {
  const page = document.querySelector<HTMLElement>('[component="physician-network/seminars"]');
  if (!page) {
    return;
  }
  dates.formatAll(page);
  const form = part(page, 'seminar-feed-form');
  if (form) {
    bindFeedForm(form);
  }
  dates.reloadOnceForZone(page.dataset.viewerZone ?? 'UTC');
}
