<div class="physician-network-seminars-widget d-flex flex-column gap-2" component="physician-network/seminars-widget">
	{{{ if seminars.length }}}
	<ul class="list-unstyled d-flex flex-column gap-2 mb-0">
		{{{ each seminars }}}
		<li class="physician-network-seminar small {{{ if ./isCancelled }}}is-cancelled{{{ end }}}" data-tid="{./tid}">
			<a class="physician-network-seminar-title fw-semibold d-block" href="{relative_path}{./path}">{{./title}}</a>
			{{{ if ./isCancelled }}}<span class="badge text-bg-danger">{./statusLabel}</span>{{{ end }}}
			{{{ if ./isPostponed }}}<span class="badge text-bg-warning">{./statusLabel}</span>{{{ end }}}
			<div class="text-body-secondary">
				<!-- IMPORT partials/physician-network/seminar-time.tpl -->
			</div>
			<div class="text-body-secondary">{{{ if ./isOnlineOnly }}}[[physician-network:seminars.attendance.online]]{{{ else }}}{{./place}}{{{ end }}}</div>
		</li>
		{{{ end }}}
	</ul>
	{{{ else }}}
	<p class="text-body-secondary small mb-0">[[physician-network:seminars.widget.empty]]</p>
	{{{ end }}}
	<a class="small" href="{relative_path}{listPath}">[[physician-network:seminars.widget.all]]</a>
</div>
