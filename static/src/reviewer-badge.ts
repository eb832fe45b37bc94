/**
 * Every page: shows reviewers how many verification requests are pending, as a badge on the
 * queue's navigation entry. The number comes in NodeBB's config, for reviewers only.
 */
interface PhysicianNetworkConfig {
  physicianNetwork?: { pendingVerifications?: number };
}

(function showPendingVerifications(): void {
  const pending = (window as unknown as { config?: PhysicianNetworkConfig }).config?.physicianNetwork?.pendingVerifications;
  if (typeof pending !== 'number' || pending <= 0) {
    return;
  }
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href$="/physician-verification/queue"]'))) {
    if (link.querySelector('[component="physician-network/pending-count"]')) {
      continue;
    }
    const badge = document.createElement('span');
    badge.className = 'badge rounded-pill text-bg-danger ms-1';
    badge.setAttribute('component', 'physician-network/pending-count');
    badge.textContent = String(pending);
    link.appendChild(badge);
  }
})();
