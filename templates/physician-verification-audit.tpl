<div class="physician-network-verification-audit d-flex flex-column gap-3" component="physician-network/verification-audit-page">
	<div class="d-flex flex-wrap justify-content-between align-items-center gap-2">
		<h2 class="fs-4 fw-semibold mb-0">[[physician-network:verification.audit-page.title]]</h2>
		<form class="d-flex flex-wrap gap-2 align-items-center" method="get" action="{config.relative_path}/physician-verification/audit">
			<label class="form-label mb-0" for="pn-audit-rid">[[physician-network:verification.audit-page.request-number]]</label>
			<input class="form-control form-control-sm w-auto" type="number" min="1" step="1" id="pn-audit-rid" name="rid" value="{rid}">
			<button class="btn btn-sm btn-primary" type="submit">[[physician-network:verification.queue.filter]]</button>
			{{{ if filtered }}}
			<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}/physician-verification/audit">[[physician-network:verification.audit-page.all-requests]]</a>
			{{{ end }}}
		</form>
	</div>

	<p class="text-muted mb-0">[[physician-network:verification.audit-page.count, {total}]]</p>

	{{{ if items.length }}}
	<div class="table-responsive">
		<table class="table table-sm align-middle mb-0">
			<thead>
				<tr>
					<th scope="col">[[physician-network:verification.audit-page.when]]</th>
					<th scope="col">[[physician-network:verification.audit-page.who]]</th>
					<th scope="col">[[physician-network:verification.audit-page.what]]</th>
					<th scope="col">[[physician-network:verification.queue.member]]</th>
					<th scope="col">[[physician-network:verification.audit-page.request]]</th>
					<th scope="col">[[physician-network:verification.audit-page.reason]]</th>
				</tr>
			</thead>
			<tbody component="physician-network/verification-audit-items">
				{{{ each items }}}
				<tr data-eid="{./eid}" data-rid="{./rid}">
					<td><time class="text-nowrap" datetime="{./atIso}" title="{./atIso}">{./atUtc}</time></td>
					<td>{{{ if ./bySystem }}}<span class="text-muted">[[physician-network:verification.audit-page.system]]</span>{{{ else }}}{./actorName}{{{ end }}}</td>
					<td>{./actionLabel}{{{ if ./statusChanged }}} <span class="text-muted">({./fromLabel} → {./toLabel})</span>{{{ end }}}</td>
					<td>{{{ if ./subjectDeleted }}}<span class="text-muted">[[physician-network:verification.audit-page.deleted-member]]</span>{{{ else }}}{./subjectName}{{{ end }}}</td>
					<td class="text-nowrap">
						{{{ if ./requestExists }}}<a href="{config.relative_path}/physician-verification/requests/{./rid}" component="physician-network/verification-audit-request">#{./rid}</a>{{{ else }}}<span class="text-muted" title="[[physician-network:verification.audit-page.request-gone]]">#{./rid}</span>{{{ end }}}
						<a class="ms-1 small" href="{config.relative_path}/physician-verification/audit?rid={./rid}" title="[[physician-network:verification.audit-page.only-this]]" aria-label="[[physician-network:verification.audit-page.only-this]]"><i class="fa fa-filter"></i></a>
					</td>
					<td>{{{ if ./reasonLabel }}}{./reasonLabel}{{{ end }}} {./reasonText}</td>
				</tr>
				{{{ end }}}
			</tbody>
		</table>
	</div>
	{{{ else }}}
	<div class="alert alert-info mb-0">[[physician-network:verification.audit-page.empty]]</div>
	{{{ end }}}

	<nav class="d-flex gap-2" aria-label="[[physician-network:verification.audit-page.pages]]">
		{{{ if pagination.prev }}}
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}/physician-verification/audit{pagination.prev}">[[physician-network:verification.queue.previous]]</a>
		{{{ end }}}
		<span class="align-self-center text-muted">[[physician-network:verification.queue.page, {page}, {pageCount}]]</span>
		{{{ if pagination.next }}}
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}/physician-verification/audit{pagination.next}">[[physician-network:verification.queue.next]]</a>
		{{{ end }}}
	</nav>
</div>
