<div class="physician-network-verification-request d-flex flex-column gap-3" component="physician-network/verification-request" data-rid="{request.rid}">
	<div class="d-flex flex-wrap align-items-center gap-2">
		<h2 class="fs-4 fw-semibold mb-0">[[physician-network:verification.request.title, {request.rid}]]</h2>
		<span class="badge text-bg-secondary" component="physician-network/verification-status" data-status="{request.status}">{request.statusLabel}</span>
	</div>

	<dl class="row mb-0">
		<dt class="col-sm-3">[[physician-network:verification.queue.member]]</dt>
		<dd class="col-sm-9"><a href="{config.relative_path}/user/{member.userslug}">{member.username}</a></dd>
		<dt class="col-sm-3">[[physician-network:verification.form.full-name]]</dt>
		<dd class="col-sm-9">{request.fullName}</dd>
		<dt class="col-sm-3">[[physician-network:verification.form.type]]</dt>
		<dd class="col-sm-9">{request.typeLabel}{{{ if request.country }}} ({request.country}){{{ end }}}</dd>
		<dt class="col-sm-3">[[physician-network:verification.form.number]]</dt>
		<dd class="col-sm-9">
			<code component="physician-network/verification-number">{request.registrationNumber}</code>
			{{{ if registryLink }}}
			<a class="ms-2" href="{registryLink.url}" target="_blank" rel="noopener noreferrer" component="physician-network/registry-link">[[physician-network:verification.request.registry-lookup]] <i class="fa fa-external-link"></i></a>
			{{{ end }}}
		</dd>
		<dt class="col-sm-3">[[physician-network:verification.form.specialties-label]]</dt>
		<dd class="col-sm-9">{{{ each request.specialtyNames }}}<span class="badge text-bg-light border me-1">{./name}</span>{{{ end }}}{{{ if request.inTraining }}} <span class="badge text-bg-info">[[physician-network:verification.form.in-training-short]]</span>{{{ end }}}</dd>
		<dt class="col-sm-3">[[physician-network:verification.form.institution]]</dt>
		<dd class="col-sm-9">{request.institution}</dd>
		<dt class="col-sm-3">[[physician-network:verification.form.expiry]]</dt>
		<dd class="col-sm-9">{{{ if request.expiryDay }}}{request.expiryDay}{{{ else }}}[[physician-network:verification.request.no-expiry]]{{{ end }}}</dd>
		<dt class="col-sm-3">[[physician-network:verification.queue.submitted]]</dt>
		<dd class="col-sm-9"><span class="timeago" title="{request.submittedIso}"></span></dd>
		{{{ if request.infoRequest }}}
		<dt class="col-sm-3">[[physician-network:verification.member.reviewer-asks]]</dt>
		<dd class="col-sm-9">{request.infoRequest}</dd>
		{{{ end }}}
		{{{ if request.infoAnswer }}}
		<dt class="col-sm-3">[[physician-network:verification.member.answer]]</dt>
		<dd class="col-sm-9">{request.infoAnswer}</dd>
		{{{ end }}}
		{{{ if request.reasonCode }}}
		<dt class="col-sm-3">[[physician-network:verification.member.reason]]</dt>
		<dd class="col-sm-9">[[physician-network:verification.reason.{request.reasonCode}]] {request.reasonText}</dd>
		{{{ end }}}
	</dl>

	<h3 class="fs-5 fw-semibold mb-0">[[physician-network:verification.request.documents]]</h3>
	{{{ if request.documentsDeleted }}}
	<div class="alert alert-secondary mb-0">[[physician-network:verification.request.documents-deleted]]</div>
	{{{ end }}}
	<div class="d-flex flex-column gap-3" component="physician-network/verification-documents">
		{{{ each request.documents }}}
		<figure class="mb-0" data-document-id="{./id}">
			<figcaption class="mb-1"><a href="{./url}" target="_blank" rel="noopener">{./kindLabel}</a></figcaption>
			{{{ if ./isPdf }}}
			<iframe class="w-100 border rounded" style="height: 70vh;" src="{./url}" title="{./kindLabel}"></iframe>
			{{{ else }}}
			<img class="img-fluid border rounded" style="max-height: 70vh;" src="{./url}" alt="{./kindLabel}" referrerpolicy="no-referrer">
			{{{ end }}}
		</figure>
		{{{ end }}}
	</div>

	{{{ if isOwn }}}
	<div class="alert alert-warning mb-0">[[physician-network:error.verification-own-request]]</div>
	{{{ end }}}

	{{{ if canDecide }}}
	<div class="row g-3">
		<form class="col-md-6 d-flex flex-column gap-2" component="physician-network/verification-approve">
			<h3 class="fs-6 fw-semibold mb-0">[[physician-network:verification.request.approve]]</h3>
			<label class="form-label mb-0" for="pn-approve-specialties">[[physician-network:verification.request.confirm-specialties]]</label>
			<select class="form-select" id="pn-approve-specialties" name="specialties" multiple required size="5">
				{{{ each specialties }}}
				<option value="{./slug}" {{{ if ./selected }}}selected{{{ end }}}>{./name}</option>
				{{{ end }}}
			</select>
			<div><button type="submit" class="btn btn-success">[[physician-network:verification.request.approve]]</button></div>
		</form>
		<form class="col-md-6 d-flex flex-column gap-2" component="physician-network/verification-reject">
			<h3 class="fs-6 fw-semibold mb-0">[[physician-network:verification.request.reject]]</h3>
			<label class="form-label mb-0" for="pn-reject-reason">[[physician-network:verification.member.reason]]</label>
			<select class="form-select" id="pn-reject-reason" name="reasonCode" required>
				{{{ each rejectionReasons }}}
				<option value="{./value}">{./label}</option>
				{{{ end }}}
			</select>
			<textarea class="form-control" name="reasonText" rows="2" maxlength="2000" placeholder="[[physician-network:verification.request.reason-text]]" aria-label="[[physician-network:verification.request.reason-text]]"></textarea>
			<div><button type="submit" class="btn btn-danger">[[physician-network:verification.request.reject]]</button></div>
		</form>
		<form class="col-md-6 d-flex flex-column gap-2" component="physician-network/verification-request-info">
			<h3 class="fs-6 fw-semibold mb-0">[[physician-network:verification.request.ask-info]]</h3>
			<textarea class="form-control" name="message" rows="2" maxlength="2000" required aria-label="[[physician-network:verification.request.ask-info]]"></textarea>
			<div><button type="submit" class="btn btn-outline-primary">[[physician-network:verification.request.ask-info]]</button></div>
		</form>
	</div>
	{{{ end }}}

	{{{ if canRevoke }}}
	<form class="d-flex flex-column gap-2" component="physician-network/verification-revoke">
		<h3 class="fs-6 fw-semibold mb-0">[[physician-network:verification.request.revoke]]</h3>
		<textarea class="form-control" name="reasonText" rows="2" maxlength="2000" required aria-label="[[physician-network:verification.member.reason]]" placeholder="[[physician-network:verification.member.reason]]"></textarea>
		<div><button type="submit" class="btn btn-outline-danger">[[physician-network:verification.request.revoke]]</button></div>
	</form>
	{{{ end }}}

	{{{ if history.length }}}
	<h3 class="fs-5 fw-semibold mb-0">[[physician-network:verification.request.other-requests]]</h3>
	<ul class="list-group">
		{{{ each history }}}
		<li class="list-group-item"><a href="{config.relative_path}/physician-verification/requests/{./rid}">#{./rid}</a> {./statusLabel} · {./typeLabel} · <span class="timeago" title="{./submittedIso}"></span></li>
		{{{ end }}}
	</ul>
	{{{ end }}}

	<h3 class="fs-5 fw-semibold mb-0">[[physician-network:verification.request.audit]] <a class="fs-6 fw-normal" href="{config.relative_path}/physician-verification/audit?rid={request.rid}">[[physician-network:verification.audit-page.full-log]]</a></h3>
	<ul class="list-group" component="physician-network/verification-audit">
		{{{ each audit }}}
		<li class="list-group-item d-flex flex-wrap gap-2">
			<span class="timeago text-muted" title="{./atIso}"></span>
			<span>{./actionLabel}</span>
			<span class="text-muted">{./actorName}</span>
			{{{ if ./reasonText }}}<span>{./reasonText}</span>{{{ end }}}
		</li>
		{{{ end }}}
	</ul>
</div>
