<div class="physician-network-seminars d-flex flex-column gap-3" component="physician-network/seminars" data-viewer-zone="{viewerZone}">
	<!-- IMPORT partials/physician-network/seminars-nav.tpl -->
	<!-- IMPORT partials/physician-network/seminars-filters.tpl -->

	<p class="text-body-secondary small mb-0" component="physician-network/seminars-zone">
		<i class="fa fa-clock"></i> [[physician-network:seminars.list.your-zone, {viewerZone}]]
	</p>

	{{{ if seminars.length }}}
	<ul class="list-unstyled d-flex flex-column gap-2 mb-0" component="physician-network/seminar-list">
		{{{ each seminars }}}
		<li class="physician-network-seminar card card-body gap-1 {{{ if ./isCancelled }}}is-cancelled{{{ end }}}" data-tid="{./tid}">
			<div class="d-flex flex-wrap gap-2 align-items-center">
				<a class="physician-network-seminar-title fw-semibold fs-5" href="{config.relative_path}{./path}">{{./title}}</a>
				<span class="badge text-bg-secondary">{./typeLabel}</span>
				{{{ if ./isCancelled }}}<span class="badge text-bg-danger" component="physician-network/seminar-status">{./statusLabel}</span>{{{ end }}}
				{{{ if ./isPostponed }}}<span class="badge text-bg-warning" component="physician-network/seminar-status">{./statusLabel}</span>{{{ end }}}
				{{{ if ./isOngoing }}}<span class="badge text-bg-info">[[physician-network:seminars.list.ongoing]]</span>{{{ end }}}
			</div>
			<div component="physician-network/seminar-time">
				<i class="fa fa-calendar text-body-secondary"></i>
				<!-- IMPORT partials/physician-network/seminar-time.tpl -->
			</div>
			<div class="d-flex flex-wrap column-gap-3 row-gap-1 small">
				<span>
					<i class="fa fa-location-dot text-body-secondary"></i>
					{{{ if ./isOnlineOnly }}}[[physician-network:seminars.attendance.online]]{{{ else }}}{{./place}}{{{ if ./country }}} ({{./country}}){{{ end }}}{{{ if ./isOnline }}} · [[physician-network:seminars.attendance.online]]{{{ end }}}{{{ end }}}
				</span>
				{{{ if ./organiser }}}<span><i class="fa fa-user-tie text-body-secondary"></i> <span class="visually-hidden">[[physician-network:seminars.field.organiser]]:</span> {{./organiser}}</span>{{{ end }}}
				{{{ if ./hasCredits }}}
				<span><i class="fa fa-award text-body-secondary"></i> [[physician-network:seminars.list.credits, {./credits}]]{{{ if ./creditsBody }}} · {{./creditsBody}}{{{ end }}}{{{ if ./creditsArea }}} · {{./creditsArea}}{{{ end }}}</span>
				{{{ end }}}
				<span>
					<i class="fa fa-ticket text-body-secondary"></i>
					{{{ if ./isFree }}}[[physician-network:seminars.free]]{{{ else }}}<span data-pn-amount="{./feeAmount}" data-pn-currency="{./feeCurrency}">{{./fee}}</span>{{{ end }}}
				</span>
			</div>
			<div class="d-flex flex-wrap gap-1">
				{{{ if ./forAllSpecialties }}}
				<span class="badge text-bg-light border">[[physician-network:seminars.specialties.all]]</span>
				{{{ else }}}
				{{{ each ./specialtyNames }}}<span class="badge text-bg-light border">{./name}</span>{{{ end }}}
				{{{ end }}}
			</div>
		</li>
		{{{ end }}}
	</ul>
	{{{ else }}}
	<div class="alert alert-info mb-0" component="physician-network/seminars-empty">{{{ if isPast }}}[[physician-network:seminars.list.empty-past]]{{{ else }}}[[physician-network:seminars.list.empty]]{{{ end }}}</div>
	{{{ end }}}

	{{{ if nextPath }}}
	<nav class="d-flex gap-2" aria-label="[[physician-network:seminars.list.pages]]">
		{{{ if firstPath }}}<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}{firstPath}">[[physician-network:seminars.list.first-page]]</a>{{{ end }}}
		<a class="btn btn-sm btn-outline-primary" href="{config.relative_path}{nextPath}" component="physician-network/seminars-next">[[physician-network:seminars.list.next-page]]</a>
	</nav>
	{{{ else }}}{{{ if firstPath }}}
	<nav class="d-flex gap-2" aria-label="[[physician-network:seminars.list.pages]]">
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}{firstPath}">[[physician-network:seminars.list.first-page]]</a>
	</nav>
	{{{ end }}}{{{ end }}}

	{{{ if isUpcoming }}}
	<section class="card card-body gap-2" component="physician-network/seminar-feeds" aria-labelledby="pn-seminar-feeds-title">
		<h3 class="fs-5 fw-semibold mb-0" id="pn-seminar-feeds-title"><i class="fa fa-calendar-plus"></i> [[physician-network:seminars.feed.title]]</h3>
		<p class="mb-0 small">
			[[physician-network:seminars.feed.public-intro]]
			<a href="{config.relative_path}/seminars.ics" component="physician-network/seminar-public-feed">[[physician-network:seminars.feed.public-link]]</a>
		</p>
		{{{ if feed }}}
		<form class="d-flex flex-column gap-2" component="physician-network/seminar-feed-form">
			<p class="mb-0 small">[[physician-network:seminars.feed.member-intro]]</p>
			<fieldset class="d-flex flex-column gap-1">
				<legend class="fs-6 mb-1">[[physician-network:seminars.feed.choose]]</legend>
				<div class="form-check">
					<input class="form-check-input" type="radio" name="feedScope" id="pn-feed-all" value="all" {{{ if feed.all }}}checked{{{ end }}}>
					<label class="form-check-label" for="pn-feed-all">[[physician-network:seminars.specialties.all]]</label>
				</div>
				<div class="form-check">
					<input class="form-check-input" type="radio" name="feedScope" id="pn-feed-chosen" value="chosen" {{{ if !feed.all }}}checked{{{ end }}}>
					<label class="form-check-label" for="pn-feed-chosen">[[physician-network:seminars.feed.chosen]]</label>
				</div>
				<div class="physician-network-feed-specialties d-flex flex-wrap column-gap-3 ps-4" component="physician-network/seminar-feed-specialties">
					{{{ each feed.specialties }}}
					<div class="form-check">
						<input class="form-check-input" type="checkbox" name="feedSpecialty" id="pn-feed-{./slug}" value="{./slug}" {{{ if ./selected }}}checked{{{ end }}}>
						<label class="form-check-label" for="pn-feed-{./slug}">{./name}</label>
					</div>
					{{{ end }}}
				</div>
			</fieldset>
			<div class="d-flex flex-wrap gap-2">
				<button class="btn btn-sm btn-outline-primary" type="button" component="physician-network/seminar-feed-save">[[physician-network:seminars.feed.save]]</button>
				<button class="btn btn-sm btn-primary" type="button" component="physician-network/seminar-feed-token">{{{ if feed.hasToken }}}[[physician-network:seminars.feed.new-url]]{{{ else }}}[[physician-network:seminars.feed.get-url]]{{{ end }}}</button>
				<button class="btn btn-sm btn-outline-danger {{{ if !feed.hasToken }}}d-none{{{ end }}}" type="button" component="physician-network/seminar-feed-revoke">[[physician-network:seminars.feed.revoke]]</button>
			</div>
			<p class="form-text mb-0 {{{ if !feed.hasToken }}}d-none{{{ end }}}" component="physician-network/seminar-feed-has-token">[[physician-network:seminars.feed.has-token]]</p>
			<div class="d-none flex-column gap-1" component="physician-network/seminar-feed-url-box">
				<label class="form-label small mb-0" for="pn-feed-url">[[physician-network:seminars.feed.your-url]]</label>
				<div class="input-group input-group-sm">
					<input class="form-control font-monospace" type="text" id="pn-feed-url" readonly component="physician-network/seminar-feed-url">
					<button class="btn btn-outline-secondary" type="button" component="physician-network/seminar-feed-copy"><i class="fa fa-copy"></i> [[physician-network:seminars.feed.copy]]</button>
				</div>
				<div class="form-text">[[physician-network:seminars.feed.shown-once]]</div>
			</div>
		</form>
		{{{ end }}}
	</section>
	{{{ end }}}
</div>
