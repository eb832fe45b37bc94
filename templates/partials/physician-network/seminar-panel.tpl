<div class="physician-network-seminar-panel card mb-3{{{ if isCancelled }}} border-danger{{{ end }}}{{{ if isPostponed }}} border-warning{{{ end }}}" component="physician-network/seminar-panel" data-tid="{tid}" data-rsvp-state="{state}">
	<div class="card-body d-flex flex-column gap-3">
		<div class="d-flex flex-wrap align-items-center gap-2">
			<span class="badge text-bg-light border">{typeLabel}</span>
			<span class="badge text-bg-light border">{attendanceLabel}</span>
			{{{ if isCancelled }}}<span class="badge text-bg-danger fs-6" component="physician-network/seminar-status">{statusLabel}</span>{{{ end }}}
			{{{ if isPostponed }}}<span class="badge text-bg-warning fs-6" component="physician-network/seminar-status">{statusLabel}</span>{{{ end }}}
		</div>
		{{{ if isCancelled }}}
		<div class="alert alert-danger mb-0 fw-semibold">[[physician-network:seminars.panel.cancelled]]</div>
		{{{ end }}}
		{{{ if isPostponed }}}
		<div class="alert alert-warning mb-0 fw-semibold">[[physician-network:seminars.panel.postponed]]</div>
		{{{ end }}}

		<dl class="row mb-0 small">
			<dt class="col-sm-3">[[physician-network:seminars.panel.when]]</dt>
			<dd class="col-sm-9" component="physician-network/seminar-when"><time datetime="{startIso}">{{when}}</time>{{{ if yourTime }}} <span class="text-muted" component="physician-network/seminar-your-time">({{yourTime}})</span>{{{ end }}}</dd>
			{{{ if hasPlace }}}
			<dt class="col-sm-3">[[physician-network:seminars.panel.where]]</dt>
			<dd class="col-sm-9">{{place}}</dd>
			{{{ end }}}
			{{{ if onlineUrl }}}
			<dt class="col-sm-3">[[physician-network:seminars.field.onlineUrl]]</dt>
			<dd class="col-sm-9 text-break"><a href="{{onlineUrl}}" rel="nofollow noopener noreferrer" target="_blank">{{onlineUrl}}</a></dd>
			{{{ end }}}
			<dt class="col-sm-3">[[physician-network:seminars.field.organiser]]</dt>
			<dd class="col-sm-9">{{organiser}}{{{ if contact }}} · {{contact}}{{{ end }}}</dd>
			{{{ if hasCredits }}}
			<dt class="col-sm-3">[[physician-network:seminars.panel.credits]]</dt>
			<dd class="col-sm-9">{{credits}}{{{ if creditsBody }}} · {{creditsBody}}{{{ end }}}{{{ if creditsArea }}} · {{creditsArea}}{{{ end }}}</dd>
			{{{ end }}}
			<dt class="col-sm-3">[[physician-network:seminars.panel.fee]]</dt>
			<dd class="col-sm-9">{{{ if isFree }}}[[physician-network:seminars.free]]{{{ else }}}{{fee}}{{{ end }}}</dd>
			{{{ if registrationUrl }}}
			<dt class="col-sm-3">[[physician-network:seminars.panel.registration]]</dt>
			<dd class="col-sm-9 text-break"><a href="{{registrationUrl}}" rel="nofollow noopener noreferrer" target="_blank">{{registrationUrl}}</a>{{{ if registrationDeadline }}} · [[physician-network:seminars.panel.deadline]] {{registrationDeadline}}{{{ end }}}</dd>
			{{{ end }}}
			{{{ if !registrationUrl }}}{{{ if registrationDeadline }}}
			<dt class="col-sm-3">[[physician-network:seminars.panel.registration]]</dt>
			<dd class="col-sm-9">[[physician-network:seminars.panel.deadline]] {{registrationDeadline}}</dd>
			{{{ end }}}{{{ end }}}
			<dt class="col-sm-3">[[physician-network:seminars.panel.attendees]]</dt>
			<dd class="col-sm-9" component="physician-network/seminar-counts">
				{{{ if hasCapacity }}}[[physician-network:seminars.panel.places, {counts.going}, {capacity}]]{{{ else }}}[[physician-network:seminars.panel.going-count, {counts.going}]]{{{ end }}}
				· [[physician-network:seminars.panel.interested-count, {counts.interested}]]
				{{{ if counts.waitlisted }}}· [[physician-network:seminars.panel.waitlist-count, {counts.waitlisted}]]{{{ end }}}
			</dd>
		</dl>

		{{{ if isWaitlisted }}}
		<div class="alert alert-info mb-0" component="physician-network/seminar-waitlisted">[[physician-network:seminars.panel.on-waitlist]]</div>
		{{{ end }}}

		<div class="d-flex flex-wrap align-items-center gap-2">
			{{{ if canRsvp }}}
			<div class="btn-group btn-group-sm" role="group" aria-label="[[physician-network:seminars.panel.rsvp]]" component="physician-network/seminar-rsvp">
				{{{ each buttons }}}
				<button type="button" class="btn {{{ if ./active }}}btn-primary{{{ else }}}btn-outline-primary{{{ end }}}" data-rsvp="{./choice}" aria-pressed="{{{ if ./active }}}true{{{ else }}}false{{{ end }}}">{./label}</button>
				{{{ end }}}
			</div>
			{{{ if hasRsvp }}}
			<button type="button" class="btn btn-sm btn-link" data-rsvp="withdraw">[[physician-network:seminars.panel.withdraw]]</button>
			{{{ end }}}
			{{{ end }}}
			{{{ if rsvpClosed }}}
			<span class="text-muted small">[[physician-network:seminars.panel.rsvp-closed]]</span>
			{{{ end }}}
			{{{ if !loggedIn }}}
			<a class="btn btn-sm btn-outline-primary" href="{loginUrl}" component="physician-network/seminar-login">[[physician-network:seminars.panel.login-to-rsvp]]</a>
			{{{ end }}}
			<a class="btn btn-sm btn-outline-secondary" href="{{icsUrl}}" download="{{icsFilename}}" component="physician-network/seminar-ics"><i class="fa fa-calendar-plus-o"></i> [[physician-network:seminars.panel.ics]]</a>
			{{{ if canEdit }}}
			<a class="btn btn-sm btn-outline-secondary" href="{editUrl}" component="physician-network/seminar-edit">[[physician-network:seminars.panel.edit]]</a>
			{{{ end }}}
			{{{ if canCancel }}}
			<button type="button" class="btn btn-sm btn-outline-danger" component="physician-network/seminar-panel-cancel">[[physician-network:seminars.form.cancel-seminar]]</button>
			{{{ end }}}
		</div>
	</div>
</div>
