<form class="physician-network-seminar-filters card card-body gap-2" method="get" action="{config.relative_path}{formAction}" role="search" component="physician-network/seminar-filters">
	<div class="row g-2">
		<div class="col-12 col-sm-6 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-specialty">[[physician-network:seminars.filter.specialty]]</label>
			<select class="form-select form-select-sm" id="pn-seminars-specialty" name="specialty">
				<option value="">[[physician-network:seminars.specialties.all]]</option>
				{{{ each filters.specialtyOptions }}}
				<option value="{./slug}" {{{ if ./selected }}}selected{{{ end }}}>{./name}</option>
				{{{ end }}}
			</select>
		</div>
		<div class="col-12 col-sm-6 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-type">[[physician-network:seminars.filter.type]]</label>
			<select class="form-select form-select-sm" id="pn-seminars-type" name="type">
				<option value="">[[physician-network:seminars.filter.all-types]]</option>
				{{{ each filters.typeOptions }}}
				<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./label}</option>
				{{{ end }}}
			</select>
		</div>
		<div class="col-6 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-city">[[physician-network:seminars.filter.city]]</label>
			<input class="form-control form-control-sm" type="text" id="pn-seminars-city" name="city" value="{filters.city}" maxlength="100" autocomplete="address-level2">
		</div>
		<div class="col-6 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-country">[[physician-network:seminars.filter.country]]</label>
			<input class="form-control form-control-sm text-uppercase" type="text" id="pn-seminars-country" name="country" value="{filters.country}" maxlength="2" placeholder="ID" autocomplete="country" aria-describedby="pn-seminars-country-help">
			<div class="form-text small" id="pn-seminars-country-help">[[physician-network:seminars.filter.country-help]]</div>
		</div>
		{{{ if !isCalendar }}}
		<div class="col-6 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-from">[[physician-network:seminars.filter.from]]</label>
			<input class="form-control form-control-sm" type="date" id="pn-seminars-from" name="from" value="{filters.from}">
		</div>
		<div class="col-6 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-to">[[physician-network:seminars.filter.to]]</label>
			<input class="form-control form-control-sm" type="date" id="pn-seminars-to" name="to" value="{filters.to}">
		</div>
		<div class="col-12 col-lg-3">
			<label class="form-label small mb-1" for="pn-seminars-month">[[physician-network:seminars.filter.month]]</label>
			<input class="form-control form-control-sm" type="month" id="pn-seminars-month" name="month" value="{filters.month}" placeholder="2030-03" aria-describedby="pn-seminars-month-help">
			<div class="form-text small" id="pn-seminars-month-help">[[physician-network:seminars.filter.month-help]]</div>
		</div>
		{{{ end }}}
	</div>
	<div class="d-flex flex-wrap gap-3 align-items-center">
		<div class="form-check mb-0">
			<input class="form-check-input" type="checkbox" id="pn-seminars-online" name="online" value="1" {{{ if filters.online }}}checked{{{ end }}}>
			<label class="form-check-label" for="pn-seminars-online">[[physician-network:seminars.filter.online]]</label>
		</div>
		<div class="form-check mb-0">
			<input class="form-check-input" type="checkbox" id="pn-seminars-credits" name="credits" value="1" {{{ if filters.credits }}}checked{{{ end }}}>
			<label class="form-check-label" for="pn-seminars-credits">[[physician-network:seminars.filter.credits]]</label>
		</div>
		<div class="form-check mb-0">
			<input class="form-check-input" type="checkbox" id="pn-seminars-free" name="free" value="1" {{{ if filters.free }}}checked{{{ end }}}>
			<label class="form-check-label" for="pn-seminars-free">[[physician-network:seminars.filter.free]]</label>
		</div>
		<div class="d-flex gap-2 ms-auto">
			{{{ if filters.active }}}
			<a class="btn btn-sm btn-outline-secondary" href="{config.relative_path}{formAction}">[[physician-network:seminars.filter.clear]]</a>
			{{{ end }}}
			<button class="btn btn-sm btn-primary" type="submit"><i class="fa fa-filter"></i> [[physician-network:seminars.filter.apply]]</button>
		</div>
	</div>
</form>
