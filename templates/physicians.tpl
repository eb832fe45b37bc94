<div class="physician-network-directory d-flex flex-column gap-3">
	<div class="d-flex flex-wrap justify-content-between align-items-center gap-2">
		<h2 class="fs-4 fw-semibold mb-0">[[physician-network:directory.title]]</h2>
		<form class="d-flex gap-2 align-items-center" method="get" action="{config.relative_path}/physicians" role="search">
			<label class="visually-hidden" for="pn-directory-specialty">[[physician-network:directory.filter]]</label>
			<select class="form-select form-select-sm" id="pn-directory-specialty" name="specialty" onchange="this.form.submit()">
				<option value="">[[physician-network:directory.all-specialties]]</option>
				{{{ each specialties }}}
				<option value="{./slug}" {{{ if ./selected }}}selected{{{ end }}}>{./name}</option>
				{{{ end }}}
			</select>
			<noscript><button class="btn btn-sm btn-primary" type="submit">[[physician-network:directory.filter]]</button></noscript>
		</form>
	</div>

	{{{ if isVerifiedMember }}}
	<div class="form-check form-switch">
		<input class="form-check-input" type="checkbox" id="pn-directory-listed" component="physician-network/directory-listed" {{{ if listed }}}checked{{{ end }}}>
		<label class="form-check-label" for="pn-directory-listed">[[physician-network:directory.list-me]]</label>
	</div>
	{{{ end }}}

	<p class="text-muted mb-0">[[physician-network:directory.count, {total}]]</p>

	{{{ if members.length }}}
	<ul class="list-unstyled d-flex flex-column gap-2 mb-0" component="physician-network/directory">
		{{{ each members }}}
		<li class="d-flex gap-2 align-items-center border-bottom pb-2" data-uid="{./uid}">
			<a href="{config.relative_path}/user/{./userslug}" class="fw-semibold">{./username}</a>
			{{{ each ./specialties }}}
			<span class="badge text-bg-light border">{./name}{{{ if ./title }}} ({./title}){{{ end }}}</span>
			{{{ end }}}
		</li>
		{{{ end }}}
	</ul>
	{{{ else }}}
	<div class="alert alert-info mb-0">[[physician-network:directory.empty]]</div>
	{{{ end }}}

	<nav class="d-flex gap-2" aria-label="[[physician-network:directory.pages]]">
		{{{ if pagination.prev }}}<a class="btn btn-sm btn-outline-secondary" href="?specialty={specialty}&amp;page={pagination.prev}">[[physician-network:directory.previous]]</a>{{{ end }}}
		{{{ if pagination.next }}}<a class="btn btn-sm btn-outline-secondary" href="?specialty={specialty}&amp;page={pagination.next}">[[physician-network:directory.next]]</a>{{{ end }}}
	</nav>
</div>
