/// <amd-module name="admin/plugins/physician-network/specialties"/>
/**
 * ACP › Physician network › Specialties: add, rename, enable/disable, re-order, merge,
 * moderators, provisioning, and "re-apply policy", which always shows the plan first.
 */
import api = require('api');
import alerts = require('alerts');
import bootbox = require('bootbox');
import translator = require('translator');

const BASE = '/plugins/physician-network/specialties';

interface PlanChange { cid: number; target: string; group: string; privilege: string; change: 'give' | 'rescind'; undoesAdminEdit: boolean }
interface Plan { planId: string; changes: PlanChange[] }

function rowSlug(el: Element): string {
  return el.closest<HTMLElement>('tr[data-slug]')?.dataset.slug ?? '';
}

function refreshAfter(work: Promise<unknown>, message = '[[physician-network:acp.saved]]'): void {
  work.then(() => {
    alerts.success(message);
    ajaxify.refresh();
  }, (err: unknown) => { alerts.error(err); });
}

async function showPlan(container: HTMLElement, plan: Plan): Promise<void> {
  container.textContent = '';
  if (!plan.changes.length) {
    const none = document.createElement('div');
    none.className = 'alert alert-success';
    none.textContent = await translator.translate('[[physician-network:acp.specialties.plan-empty]]');
    container.appendChild(none);
    return;
  }
  const intro = document.createElement('p');
  intro.textContent = await translator.translate(translator.compile('physician-network:acp.specialties.plan-intro', plan.changes.length));
  const list = document.createElement('ul');
  list.className = 'small';
  for (const change of plan.changes) {
    const item = document.createElement('li');
    const key = change.change === 'give' ? 'physician-network:acp.specialties.plan-give' : 'physician-network:acp.specialties.plan-rescind';
    item.textContent = await translator.translate(translator.compile(key, change.privilege, change.group, change.target));
    if (change.undoesAdminEdit) {
      item.classList.add('text-danger');
      item.textContent += ` ${await translator.translate('[[physician-network:acp.specialties.plan-undoes-edit]]')}`;
    }
    list.appendChild(item);
  }
  const apply = document.createElement('button');
  apply.className = 'btn btn-danger btn-sm';
  apply.textContent = await translator.translate('[[physician-network:acp.specialties.plan-apply]]');
  apply.addEventListener('click', () => {
    void translator.translate('[[physician-network:acp.specialties.plan-confirm]]').then((question) => {
      bootbox.confirm(question, (confirmed) => {
        if (confirmed) {
          refreshAfter(api.post(`${BASE}/plan`, { planId: plan.planId }));
        }
      });
    });
  });
  container.append(intro, list, apply);
}

export function init(): void {
  const page = document.querySelector<HTMLElement>('.physician-network-specialties');
  if (!page) {
    return;
  }
  const planContainer = page.querySelector<HTMLElement>('[component="physician-network/plan"]');

  page.querySelector('[data-action="provision"]')?.addEventListener('click', () => {
    refreshAfter(api.post(`${BASE}/provision`), '[[physician-network:acp.specialties.provisioned]]');
  });
  page.querySelector('[data-action="plan"]')?.addEventListener('click', () => {
    api.get<Plan>(`${BASE}/plan`).then(async (plan) => {
      if (planContainer) {
        await showPlan(planContainer, plan);
      }
    }, (err: unknown) => { alerts.error(err); });
  });

  page.querySelector<HTMLFormElement>('[component="physician-network/add-specialty"]')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string): string => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    refreshAfter(api.post(BASE, { name: field('name'), nameId: field('nameId'), title: field('title') }));
  });

  const rows = page.querySelector('[component="physician-network/specialties"]');
  rows?.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLElement>('button[data-action]');
    if (!button) {
      return;
    }
    event.preventDefault();
    const slug = rowSlug(button);
    const row = button.closest('tr');
    const action = button.dataset.action;
    if (action === 'rename') {
      refreshAfter(api.put(`${BASE}/${slug}`, { name: row?.querySelector<HTMLInputElement>('input[name="name"]')?.value ?? '' }));
    } else if (action === 'moderators') {
      const uids = (row?.querySelector<HTMLInputElement>('input[name="moderators"]')?.value ?? '').split(',').map(s => s.trim()).filter(Boolean);
      refreshAfter(api.put(`${BASE}/${slug}/moderators`, { uids }));
    } else if (action === 'merge') {
      const into = row?.querySelector<HTMLSelectElement>('select[name="into"]')?.value ?? '';
      void translator.translate(translator.compile('physician-network:acp.specialties.merge-confirm', slug, into)).then((question) => {
        bootbox.confirm(question, (confirmed) => {
          if (confirmed) {
            refreshAfter(api.post(`${BASE}/${slug}/merge`, { into }));
          }
        });
      });
    } else if (action === 'up' || action === 'down') {
      const slugs = Array.from(rows.querySelectorAll<HTMLElement>('tr[data-slug]')).map(r => r.dataset.slug ?? '');
      const at = slugs.indexOf(slug);
      const to = action === 'up' ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= slugs.length) {
        return;
      }
      [slugs[at], slugs[to]] = [slugs[to] ?? '', slugs[at] ?? ''];
      refreshAfter(api.put(`${BASE}/order`, { slugs }));
    }
  });
  rows?.addEventListener('change', (event) => {
    const target = event.target as HTMLElement;
    const slug = rowSlug(target);
    if (target instanceof HTMLInputElement && target.dataset.action === 'enabled') {
      refreshAfter(api.put(`${BASE}/${slug}`, { enabled: target.checked }));
    } else if (target instanceof HTMLSelectElement && target.dataset.action === 'policy') {
      // Storing the policy changes no privileges yet: the plan is shown, then applied on request.
      api.put<Plan>(`${BASE}/${slug}`, { policy: target.value }).then(async (plan) => {
        if (planContainer) {
          await showPlan(planContainer, plan);
        }
      }, (err: unknown) => { alerts.error(err); });
    }
  });
}
