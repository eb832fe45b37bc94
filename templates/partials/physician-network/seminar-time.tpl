{{{ if ./when.allDay }}}
<time datetime="{./when.startDate}" data-pn-date="{./when.startDate}">{./when.startDate}</time>{{{ if ./when.multiDay }}} – <time datetime="{./when.endDate}" data-pn-date="{./when.endDate}">{./when.endDate}</time>{{{ end }}}
<span class="badge text-bg-light border">[[physician-network:seminars.list.all-day]]</span>
{{{ else }}}
<time datetime="{./when.startIso}"><span data-pn-date="{./when.startDate}">{./when.startDate}</span> {./when.startLabel}</time> – {{{ if ./when.multiDay }}}<span data-pn-date="{./when.endDate}">{./when.endDate}</span> {{{ end }}}{./when.endLabel}
{{{ if ./when.viewerLabel }}}<span class="text-body-secondary">([[physician-network:seminars.time-yours, {./when.viewerLabel}]])</span>{{{ end }}}
{{{ end }}}
