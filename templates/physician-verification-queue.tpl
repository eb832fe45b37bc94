<div class="physician-network-verification-queue d-flex flex-column gap-3" component="physician-network/verification-queue">
	<div class="d-flex flex-wrap justify-content-between align-items-center gap-2">
		<h2 class="fs-4 fw-semibold mb-0">[[physician-network:verification.queue.title]] <span class="badge text-bg-primary" component="physician-network/verification-pending-count">{pending}</span></h2>
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}/physician-verification/audit" component="physician-network/verification-audit-link"><i class="fa fa-clock-rotate-left"></i> [[physician-network:verification.request.audit]]</a>
		<form class="d-flex flex-wrap gap-2 align-items-center" method="get" action="{config.relative_path}/physician-verification/queue">
			<label class="visually-hidden" for="pn-queue-status">[[physician-network:verification.queue.status]]</label>
			<select class="form-select form-select-sm w-auto" id="pn-queue-status" name="status" onchange="this.form.submit()">
				{{{ each statuses }}}
				<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./label}</option>
				{{{ end }}}
			</select>
			<label class="visually-hidden" for="pn-queue-type">[[physician-network:verification.queue.type]]</label>
			<select class="form-select form-select-sm w-auto" id="pn-queue-type" name="type" onchange="this.form.submit()">
				<option value="">[[physician-network:verification.queue.all-types]]</option>
				{{{ each types }}}
				<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./label}</option>
				{{{ end }}}
			</select>
			<noscript><button class="btn btn-sm btn-primary" type="submit">[[physician-network:verification.queue.filter]]</button></noscript>
		</form>
	</div>

	<p class="text-muted mb-0">[[physician-network:verification.queue.count, {total}]]</p>

	{{{ if items.length }}}
	<div class="table-responsive">
		<table class="table table-sm align-middle mb-0">
			<thead>
				<tr>
					<th scope="col">[[physician-network:verification.queue.member]]</th>
					<th scope="col">[[physician-network:verification.form.full-name]]</th>
					<th scope="col">[[physician-network:verification.form.type]]</th>
					<th scope="col">[[physician-network:verification.form.specialties-label]]</th>
					<th scope="col">[[physician-network:verification.queue.submitted]]</th>
					<th scope="col">[[physician-network:verification.queue.status]]</th>
				</tr>
			</thead>
			<tbody component="physician-network/verification-queue-items">
				{{{ each items }}}
				<tr data-rid="{./rid}">
					<td><a href="{config.relative_path}/physician-verification/requests/{./rid}">{./username}</a></td>
					<td>{./fullName}{{{ if ./inTraining }}} <span class="badge text-bg-light border">[[physician-network:verification.form.in-training-short]]</span>{{{ end }}}</td>
					<td>{./typeLabel}{{{ if ./country }}} ({./country}){{{ end }}}</td>
					<td>{{{ each ./specialtyNames }}}<span class="badge text-bg-light border me-1">{./name}</span>{{{ end }}}</td>
					<td><span class="timeago" title="{./submittedIso}"></span></td>
					<td>{./statusLabel}</td>
				</tr>
				{{{ end }}}
			</tbody>
		</table>
	</div>
	{{{ else }}}
	<div class="alert alert-info mb-0">[[physician-network:verification.queue.empty]]</div>
	{{{ end }}}

	<nav class="d-flex gap-2" aria-label="[[physician-network:verification.queue.pages]]">
		{{{ if pagination.prev }}}
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}/physician-verification/queue?status={status}&type={type}&page={pagination.prev}">[[physician-network:verification.queue.previous]]</a>
		{{{ end }}}
		<span class="align-self-center text-muted">[[physician-network:verification.queue.page, {page}, {pageCount}]]</span>
		{{{ if pagination.next }}}
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}/physician-verification/queue?status={status}&type={type}&page={pagination.next}">[[physician-network:verification.queue.next]]</a>
		{{{ end }}}
	</nav>
</div>
