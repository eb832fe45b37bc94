<div class="d-flex flex-wrap justify-content-between align-items-center gap-2">
	<h2 class="fs-4 fw-semibold mb-0">{title}</h2>
	{{{ if canCreate }}}
	<a class="btn btn-primary btn-sm" href="{config.relative_path}/seminars/new" component="physician-network/seminars-create"><i class="fa fa-plus"></i> [[physician-network:seminars.list.create]]</a>
	{{{ end }}}
</div>
<ul class="nav nav-pills gap-1" aria-label="[[physician-network:seminars.list.views]]">
	<li class="nav-item"><a class="nav-link {{{ if isUpcoming }}}active{{{ end }}}" {{{ if isUpcoming }}}aria-current="page"{{{ end }}} href="{config.relative_path}{upcomingPath}"><i class="fa fa-list"></i> [[physician-network:seminars.list.upcoming]]</a></li>
	<li class="nav-item"><a class="nav-link {{{ if isPast }}}active{{{ end }}}" {{{ if isPast }}}aria-current="page"{{{ end }}} href="{config.relative_path}{pastPath}"><i class="fa fa-box-archive"></i> [[physician-network:seminars.list.past]]</a></li>
	<li class="nav-item"><a class="nav-link {{{ if isCalendar }}}active{{{ end }}}" {{{ if isCalendar }}}aria-current="page"{{{ end }}} href="{config.relative_path}{calendarPath}"><i class="fa fa-calendar-days"></i> [[physician-network:seminars.calendar.title]]</a></li>
</ul>
