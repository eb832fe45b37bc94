<div class="physician-network-seminars physician-network-seminar-calendar d-flex flex-column gap-3" component="physician-network/seminar-calendar" data-viewer-zone="{viewerZone}">
	<!-- IMPORT partials/physician-network/seminars-nav.tpl -->
	<!-- IMPORT partials/physician-network/seminars-filters.tpl -->

	<div class="d-flex flex-wrap justify-content-between align-items-center gap-2">
		<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}{prevPath}" rel="prev" component="physician-network/calendar-prev"><i class="fa fa-chevron-left"></i> [[physician-network:seminars.calendar.previous]]</a>
		<h3 class="fs-5 fw-semibold mb-0 text-center" data-pn-month="{monthLabel}" component="physician-network/calendar-month">{monthLabel}</h3>
		<div class="d-flex gap-2">
			<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}{todayPath}">[[physician-network:seminars.calendar.today]]</a>
			<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}{nextPath}" rel="next" component="physician-network/calendar-next">[[physician-network:seminars.calendar.next]] <i class="fa fa-chevron-right"></i></a>
		</div>
	</div>

	<p class="text-body-secondary small mb-0" component="physician-network/seminars-zone">
		<i class="fa fa-clock"></i> [[physician-network:seminars.calendar.zone, {viewerZone}]]
	</p>

	<div class="table-responsive">
		<table class="table table-bordered physician-network-calendar-grid mb-0">
			<thead>
				<tr>
					{{{ each weekdays }}}<th scope="col" class="text-center small">{./label}</th>{{{ end }}}
				</tr>
			</thead>
			<tbody>
				{{{ each weeks }}}
				<tr>
					{{{ each ./days }}}
					<td class="physician-network-calendar-day {{{ if !./inMonth }}}is-other-month text-body-tertiary{{{ end }}} {{{ if ./isToday }}}is-today{{{ end }}}" data-date="{./date}">
						<div class="small fw-semibold {{{ if ./isToday }}}text-primary{{{ end }}}">{./day}</div>
						{{{ if ./hasSeminars }}}
						<ul class="list-unstyled mb-0 d-flex flex-column gap-1">
							{{{ each ./seminars }}}
							<li class="physician-network-calendar-entry small {{{ if ./isCancelled }}}is-cancelled{{{ end }}}" data-tid="{./tid}">
								<a href="{config.relative_path}{./path}" class="d-block text-truncate" title="{{./title}}">{{{ if ./continued }}}<i class="fa fa-arrow-right-long" aria-hidden="true"></i> {{{ end }}}{{{ if ./time }}}<span class="fw-semibold">{./time}</span> {{{ end }}}{{./title}}</a>
								{{{ if ./isCancelled }}}<span class="badge text-bg-danger">[[physician-network:seminars.status.cancelled]]</span>{{{ end }}}
								{{{ if ./isPostponed }}}<span class="badge text-bg-warning">[[physician-network:seminars.status.postponed]]</span>{{{ end }}}
							</li>
							{{{ end }}}
						</ul>
						{{{ end }}}
					</td>
					{{{ end }}}
				</tr>
				{{{ end }}}
			</tbody>
		</table>
	</div>
	{{{ if !seminarCount }}}
	<div class="alert alert-info mb-0">[[physician-network:seminars.calendar.empty]]</div>
	{{{ end }}}
</div>
