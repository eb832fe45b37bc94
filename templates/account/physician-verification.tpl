<!-- IMPORT partials/account/header.tpl -->

<div class="physician-network-verification d-flex flex-column gap-3" component="physician-network/verification">
	<div class="d-flex flex-wrap align-items-center gap-2">
		<h2 class="fs-5 fw-semibold mb-0">[[physician-network:verification.title]]</h2>
		<span class="badge text-bg-secondary" component="physician-network/verification-status" data-status="{verificationStatus}">{verificationStatusLabel}</span>
	</div>

	{{{ if current }}}
	<div class="card">
		<div class="card-body d-flex flex-column gap-2">
			<p class="mb-0">[[physician-network:verification.member.current, {current.rid}]] <span class="timeago" title="{current.submittedIso}"></span></p>
			<p class="mb-0 text-muted">{current.typeLabel} · {current.registrationNumber}</p>
			{{{ if current.reasonCode }}}
			<p class="mb-0" component="physician-network/verification-reason"><strong>[[physician-network:verification.member.reason]]</strong> [[physician-network:verification.reason.{current.reasonCode}]] {current.reasonText}</p>
			{{{ end }}}
			{{{ if needsInfo }}}
			<div class="alert alert-warning mb-0" component="physician-network/verification-question"><strong>[[physician-network:verification.member.reviewer-asks]]</strong> {current.infoRequest}</div>
			{{{ end }}}
			{{{ if canWithdraw }}}
			<div><button type="button" class="btn btn-outline-danger btn-sm" component="physician-network/verification-withdraw" data-rid="{current.rid}">[[physician-network:verification.member.withdraw]]</button></div>
			{{{ end }}}
		</div>
	</div>
	{{{ end }}}

	{{{ if lastRejected }}}{{{ if showForm }}}
	<div class="alert alert-info mb-0" component="physician-network/verification-rejected">[[physician-network:verification.member.prefilled-from-rejected]]</div>
	{{{ end }}}{{{ end }}}

	{{{ if limitReached }}}
	<div class="alert alert-secondary mb-0" component="physician-network/verification-limit">[[physician-network:verification.member.limit-reached]]</div>
	{{{ end }}}

	{{{ if showForm }}}
	<!-- One form for a new request and for answering a reviewer: needs-info adds the answer and makes documents optional replacements. -->
	<form class="d-flex flex-column gap-3" {{{ if needsInfo }}}component="physician-network/verification-resubmit" data-rid="{current.rid}"{{{ else }}}component="physician-network/verification-form"{{{ end }}} data-max-specialties="{maxSpecialties}" novalidate>
		{{{ if needsInfo }}}
		<p class="text-muted mb-0">[[physician-network:verification.member.resubmit-intro, {submissionsLeft}]]</p>
		<div class="form-group">
			<label class="form-label" for="pn-verification-answer">[[physician-network:verification.member.answer]]</label>
			<textarea class="form-control" id="pn-verification-answer" name="answer" rows="3" maxlength="2000" required data-label="[[physician-network:verification.member.answer]]"></textarea>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		{{{ else }}}
		<p class="text-muted mb-0">[[physician-network:verification.form.intro, {submissionsLeft}]]</p>
		{{{ end }}}
		<div class="form-group">
			<label class="form-label" for="pn-verification-full-name">[[physician-network:verification.form.full-name]]</label>
			<input class="form-control" type="text" id="pn-verification-full-name" name="fullName" value="{form.fullName}" minlength="2" maxlength="200" required autocomplete="name" data-label="[[physician-network:verification.form.full-name]]">
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div class="row g-2">
			<div class="form-group col-sm-6">
				<label class="form-label" for="pn-verification-type">[[physician-network:verification.form.type]]</label>
				<select class="form-select" id="pn-verification-type" name="registrationType" required data-label="[[physician-network:verification.form.type]]">
					<option value="">[[physician-network:verification.form.choose]]</option>
					{{{ each registrationTypes }}}
					<option value="{./value}"{{{ if ./selected }}} selected{{{ end }}}>{./label}</option>
					{{{ end }}}
				</select>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			<div class="form-group col-sm-6{{{ if !form.isOther }}} d-none{{{ end }}}" component="physician-network/verification-country">
				<label class="form-label" for="pn-verification-country">[[physician-network:verification.form.country]]</label>
				<input class="form-control" type="text" id="pn-verification-country" name="country" value="{form.country}" pattern="[A-Za-z][A-Za-z]" maxlength="2" placeholder="ID" data-label="[[physician-network:verification.form.country]]">
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
		</div>
		<div class="form-group">
			<label class="form-label" for="pn-verification-number">[[physician-network:verification.form.number]]</label>
			<input class="form-control" type="text" id="pn-verification-number" name="registrationNumber" value="{form.registrationNumber}" maxlength="64" required autocomplete="off" data-label="[[physician-network:verification.form.number]]">
			<div class="form-text">[[physician-network:verification.form.number-help]]</div>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div class="form-group">
			<label class="form-label" for="pn-verification-specialties">[[physician-network:verification.form.specialties, {maxSpecialties}]]</label>
			<select class="form-select" id="pn-verification-specialties" name="specialties" multiple required size="6" data-label="[[physician-network:verification.form.specialties-label]]">
				{{{ each specialties }}}
				<option value="{./slug}"{{{ if ./selected }}} selected{{{ end }}}>{./name}</option>
				{{{ end }}}
			</select>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div class="form-check">
			<input class="form-check-input" type="checkbox" id="pn-verification-in-training" name="inTraining" value="true"{{{ if form.inTraining }}} checked{{{ end }}}>
			<label class="form-check-label" for="pn-verification-in-training">[[physician-network:verification.form.in-training]]</label>
		</div>
		<div class="form-group">
			<label class="form-label" for="pn-verification-institution">[[physician-network:verification.form.institution]]</label>
			<input class="form-control" type="text" id="pn-verification-institution" name="institution" value="{form.institution}" minlength="2" maxlength="200" required data-label="[[physician-network:verification.form.institution]]">
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div class="form-group">
			<label class="form-label" for="pn-verification-expiry">[[physician-network:verification.form.expiry]]</label>
			<input class="form-control" type="date" id="pn-verification-expiry" name="licenceExpiry" value="{form.licenceExpiry}" min="{today}" data-label="[[physician-network:verification.form.expiry]]">
			<div class="form-text">[[physician-network:verification.form.expiry-help]]</div>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		{{{ if needsInfo }}}
		<div class="form-group">
			<label class="form-label" for="pn-verification-licence">[[physician-network:verification.form.licence-replace]]</label>
			<input class="form-control" type="file" id="pn-verification-licence" name="licence" accept="application/pdf,image/jpeg,image/png" data-max-mb="{maxDocumentMb}" data-label="[[physician-network:verification.form.licence]]">
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div class="form-group">
			<label class="form-label" for="pn-verification-photo-id">[[physician-network:verification.form.photo-id-replace]]</label>
			<input class="form-control" type="file" id="pn-verification-photo-id" name="photoId" accept="application/pdf,image/jpeg,image/png" data-max-mb="{maxDocumentMb}" data-label="[[physician-network:verification.form.photo-id]]">
			<div class="form-text">[[physician-network:verification.form.documents-replace-help, {maxDocumentMb}]]</div>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		{{{ else }}}
		<div class="form-group">
			<label class="form-label" for="pn-verification-licence">[[physician-network:verification.form.licence]]</label>
			<input class="form-control" type="file" id="pn-verification-licence" name="licence" required accept="application/pdf,image/jpeg,image/png" data-max-mb="{maxDocumentMb}" data-label="[[physician-network:verification.form.licence]]">
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div class="form-group">
			<label class="form-label" for="pn-verification-photo-id">[[physician-network:verification.form.photo-id]]</label>
			<input class="form-control" type="file" id="pn-verification-photo-id" name="photoId" accept="application/pdf,image/jpeg,image/png" data-max-mb="{maxDocumentMb}" data-label="[[physician-network:verification.form.photo-id]]">
			<div class="form-text">[[physician-network:verification.form.documents-help, {maxDocumentMb}]]</div>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		{{{ end }}}
		<div class="form-group form-check">
			<input class="form-check-input" type="checkbox" id="pn-verification-consent" name="consent" value="true" required data-label="[[physician-network:verification.form.consent-label]]">
			<label class="form-check-label" for="pn-verification-consent">[[physician-network:verification.form.consent]]</label>
			<div class="invalid-feedback" component="physician-network/field-error"></div>
		</div>
		<div><button type="submit" class="btn btn-primary" component="physician-network/verification-submit">{{{ if needsInfo }}}[[physician-network:verification.member.resubmit]]{{{ else }}}[[physician-network:verification.form.submit]]{{{ end }}}</button></div>
	</form>
	{{{ end }}}

	{{{ if history.length }}}
	<h3 class="fs-6 fw-semibold mb-0">[[physician-network:verification.member.history]]</h3>
	<ul class="list-group" component="physician-network/verification-history">
		{{{ each history }}}
		<li class="list-group-item d-flex flex-wrap gap-2 align-items-center">
			<span class="badge text-bg-light border">{./statusLabel}</span>
			<span>{./typeLabel} · {./registrationNumber}</span>
			<span class="timeago text-muted" title="{./submittedIso}"></span>
			{{{ if ./reasonCode }}}<span class="text-muted">[[physician-network:verification.reason.{./reasonCode}]] {./reasonText}</span>{{{ end }}}
		</li>
		{{{ end }}}
	</ul>
	{{{ end }}}
</div>

<!-- IMPORT partials/account/footer.tpl -->
