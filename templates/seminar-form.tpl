<div class="physician-network-seminar-form d-flex flex-column gap-3 mb-4" component="physician-network/seminar-form-page">
	<div class="d-flex flex-wrap align-items-center gap-2">
		<h1 class="fs-3 fw-semibold tracking-tight mb-0">{title}</h1>
		{{{ if isEdit }}}
		<a class="btn btn-sm btn-link" href="{topicPath}">[[physician-network:seminars.form.back-to-topic]]</a>
		{{{ end }}}
	</div>

	{{{ if noCategories }}}
	<div class="alert alert-warning mb-0" component="physician-network/seminar-no-categories">[[physician-network:seminars.form.no-categories]]</div>
	{{{ else }}}
	<form class="d-flex flex-column gap-4" component="physician-network/seminar-form" data-mode="{{{ if isEdit }}}edit{{{ else }}}new{{{ end }}}" data-tid="{tid}" novalidate>
		{{{ if isCancelled }}}
		<div class="alert alert-danger mb-0">[[physician-network:seminars.form.cancelled-notice]]</div>
		{{{ end }}}

		<fieldset class="d-flex flex-column gap-3">
			<legend class="fs-5 fw-semibold mb-0">[[physician-network:seminars.form.section-event]]</legend>
			<div class="row g-3">
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-cid">[[physician-network:seminars.form.category]]</label>
					{{{ if isEdit }}}
					<input class="form-control-plaintext" type="text" id="pn-seminar-cid" value="{{categoryName}}" readonly>
					{{{ else }}}
					<select class="form-select" id="pn-seminar-cid" name="cid" required data-label="[[physician-network:seminars.form.category]]">
						{{{ each categories }}}
						<option value="{./cid}" {{{ if ./selected }}}selected{{{ end }}}>{{./name}}</option>
						{{{ end }}}
					</select>
					{{{ end }}}
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-type">[[physician-network:seminars.form.type]]</label>
					<select class="form-select" id="pn-seminar-type" name="type" required data-label="[[physician-network:seminars.form.type]]">
						{{{ each types }}}
						<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./label}</option>
						{{{ end }}}
					</select>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
			<div class="form-group">
				<label class="form-label" for="pn-seminar-title">[[physician-network:seminars.form.title]]</label>
				<input class="form-control" type="text" id="pn-seminar-title" name="title" value="{{values.title}}" required minlength="{limits.titleMin}" maxlength="{limits.titleMax}" data-label="[[physician-network:seminars.form.title]]">
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			<div class="form-group">
				<label class="form-label" for="pn-seminar-content">[[physician-network:seminars.form.description]]</label>
				<textarea class="form-control" id="pn-seminar-content" name="content" rows="8" required minlength="{limits.contentMin}" maxlength="{limits.contentMax}" data-label="[[physician-network:seminars.form.description]]">{{values.content}}</textarea>
				<div class="form-text">[[physician-network:seminars.form.description-help]]</div>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			{{{ if isEdit }}}
			<div class="form-group col-md-6">
				<label class="form-label" for="pn-seminar-status">[[physician-network:seminars.form.status]]</label>
				<select class="form-select" id="pn-seminar-status" name="status" data-label="[[physician-network:seminars.form.status]]">
					{{{ each statuses }}}
					<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./label}</option>
					{{{ end }}}
				</select>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			{{{ end }}}
		</fieldset>

		<fieldset class="d-flex flex-column gap-3">
			<legend class="fs-5 fw-semibold mb-0">[[physician-network:seminars.form.section-when]]</legend>
			<div class="form-group">
				<label class="form-label" for="pn-seminar-timezone">[[physician-network:seminars.form.timezone]]</label>
				<select class="form-select" id="pn-seminar-timezone" name="timezone" required data-from-browser="{{{ if zoneFromBrowser }}}true{{{ else }}}false{{{ end }}}" data-label="[[physician-network:seminars.form.timezone]]">
					<option value="">[[physician-network:seminars.form.choose]]</option>
					{{{ each zones }}}
					<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./value}</option>
					{{{ end }}}
				</select>
				<div class="form-text">[[physician-network:seminars.form.timezone-help]]</div>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			<div class="form-check form-switch">
				<input class="form-check-input" type="checkbox" role="switch" id="pn-seminar-all-day" name="allDay" value="true" {{{ if values.allDay }}}checked{{{ end }}}>
				<label class="form-check-label" for="pn-seminar-all-day">[[physician-network:seminars.form.all-day]]</label>
			</div>
			<div class="row g-3 {{{ if !show.times }}}d-none{{{ end }}}" component="physician-network/seminar-times">
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-start">[[physician-network:seminars.form.start]]</label>
					<input class="form-control" type="datetime-local" id="pn-seminar-start" name="start" value="{values.start}" required data-label="[[physician-network:seminars.form.start]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-end">[[physician-network:seminars.form.end]]</label>
					<input class="form-control" type="datetime-local" id="pn-seminar-end" name="end" value="{values.end}" required data-label="[[physician-network:seminars.form.end]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
			<div class="row g-3 {{{ if !show.dates }}}d-none{{{ end }}}" component="physician-network/seminar-dates">
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-start-date">[[physician-network:seminars.form.start-date]]</label>
					<input class="form-control" type="date" id="pn-seminar-start-date" name="startDate" value="{values.startDate}" required data-label="[[physician-network:seminars.form.start-date]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-end-date">[[physician-network:seminars.form.end-date]]</label>
					<input class="form-control" type="date" id="pn-seminar-end-date" name="endDate" value="{values.endDate}" data-label="[[physician-network:seminars.form.end-date]]">
					<div class="form-text">[[physician-network:seminars.form.end-date-help]]</div>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
		</fieldset>

		<fieldset class="d-flex flex-column gap-3">
			<legend class="fs-5 fw-semibold mb-0">[[physician-network:seminars.form.section-where]]</legend>
			<div class="form-group col-md-6">
				<label class="form-label" for="pn-seminar-attendance">[[physician-network:seminars.form.attendance]]</label>
				<select class="form-select" id="pn-seminar-attendance" name="attendance" required data-label="[[physician-network:seminars.form.attendance]]">
					{{{ each attendanceModes }}}
					<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{./label}</option>
					{{{ end }}}
				</select>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			<div class="row g-3 {{{ if !show.place }}}d-none{{{ end }}}" component="physician-network/seminar-place">
				<div class="form-group col-md-12">
					<label class="form-label" for="pn-seminar-venue">[[physician-network:seminars.field.venue]]</label>
					<input class="form-control" type="text" id="pn-seminar-venue" name="venue" value="{{values.venue}}" maxlength="{limits.venue}" data-label="[[physician-network:seminars.field.venue]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-city">[[physician-network:seminars.field.city]]</label>
					<input class="form-control" type="text" id="pn-seminar-city" name="city" value="{{values.city}}" maxlength="{limits.city}" required data-label="[[physician-network:seminars.field.city]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-country">[[physician-network:seminars.form.country]]</label>
					<select class="form-select" id="pn-seminar-country" name="country" required data-label="[[physician-network:seminars.form.country]]">
						<option value="">[[physician-network:seminars.form.choose]]</option>
						{{{ each countries }}}
						<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{{./label}}</option>
						{{{ end }}}
					</select>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
			<div class="form-group {{{ if !show.online }}}d-none{{{ end }}}" component="physician-network/seminar-online">
				<label class="form-label" for="pn-seminar-online-url">[[physician-network:seminars.field.onlineUrl]]</label>
				<input class="form-control" type="url" id="pn-seminar-online-url" name="onlineUrl" value="{{values.onlineUrl}}" maxlength="{limits.url}" placeholder="https://" required data-label="[[physician-network:seminars.field.onlineUrl]]">
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
		</fieldset>

		<fieldset class="d-flex flex-column gap-3">
			<legend class="fs-5 fw-semibold mb-0">[[physician-network:seminars.form.section-who]]</legend>
			<div class="row g-3">
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-organiser">[[physician-network:seminars.field.organiser]]</label>
					<input class="form-control" type="text" id="pn-seminar-organiser" name="organiser" value="{{values.organiser}}" maxlength="{limits.organiser}" required data-label="[[physician-network:seminars.field.organiser]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-contact">[[physician-network:seminars.field.contact]]</label>
					<input class="form-control" type="text" id="pn-seminar-contact" name="contact" value="{{values.contact}}" maxlength="{limits.contact}" data-label="[[physician-network:seminars.field.contact]]">
					<div class="form-text">[[physician-network:seminars.form.contact-help]]</div>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
			<div class="form-group">
				<label class="form-label" for="pn-seminar-specialties">[[physician-network:seminars.form.specialties]]</label>
				<div class="form-check mb-2">
					<input class="form-check-input" type="checkbox" id="pn-seminar-all-specialties" name="allSpecialties" value="all" {{{ if forAllSpecialties }}}checked{{{ end }}}>
					<label class="form-check-label" for="pn-seminar-all-specialties">[[physician-network:seminars.specialties.all]]</label>
				</div>
				<select class="form-select" id="pn-seminar-specialties" name="specialties" multiple size="8" required data-label="[[physician-network:seminars.form.specialties]]">
					{{{ each specialties }}}
					<option value="{./slug}" {{{ if ./selected }}}selected{{{ end }}}>{{./name}}</option>
					{{{ end }}}
				</select>
				<div class="form-text">[[physician-network:seminars.form.specialties-help, {limits.specialties}]]</div>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			<div class="form-group col-md-6">
				<label class="form-label" for="pn-seminar-language">[[physician-network:seminars.form.language]]</label>
				<select class="form-select" id="pn-seminar-language" name="language" required data-label="[[physician-network:seminars.form.language]]">
					{{{ each languages }}}
					<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>{{./label}}</option>
					{{{ end }}}
				</select>
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
		</fieldset>

		<fieldset class="d-flex flex-column gap-3">
			<legend class="fs-5 fw-semibold mb-0">[[physician-network:seminars.form.section-credits]]</legend>
			<div class="row g-3">
				<div class="form-group col-md-4">
					<label class="form-label" for="pn-seminar-credits">[[physician-network:seminars.form.credits]]</label>
					<input class="form-control" type="number" id="pn-seminar-credits" name="creditsAmount" value="{values.creditsAmount}" min="0" max="{limits.creditsMax}" step="0.01" inputmode="decimal" data-label="[[physician-network:seminars.form.credits]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-4">
					<label class="form-label" for="pn-seminar-credits-body">[[physician-network:seminars.field.creditsBody]]</label>
					<input class="form-control" type="text" id="pn-seminar-credits-body" name="creditsBody" value="{{values.creditsBody}}" maxlength="{limits.creditsBody}" placeholder="IDI" data-label="[[physician-network:seminars.field.creditsBody]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-4">
					<label class="form-label" for="pn-seminar-credits-area">[[physician-network:seminars.field.creditsArea]]</label>
					<input class="form-control" type="text" id="pn-seminar-credits-area" name="creditsArea" value="{{values.creditsArea}}" maxlength="{limits.creditsArea}" data-label="[[physician-network:seminars.field.creditsArea]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
			<div class="form-check form-switch">
				<input class="form-check-input" type="checkbox" role="switch" id="pn-seminar-free" name="free" value="true" {{{ if values.free }}}checked{{{ end }}}>
				<label class="form-check-label" for="pn-seminar-free">[[physician-network:seminars.form.free]]</label>
			</div>
			<div class="row g-3 {{{ if !show.fee }}}d-none{{{ end }}}" component="physician-network/seminar-fee">
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-fee">[[physician-network:seminars.form.fee]]</label>
					<input class="form-control" type="number" id="pn-seminar-fee" name="feeAmount" value="{values.feeAmount}" min="0" max="{limits.feeMax}" step="0.01" inputmode="decimal" data-label="[[physician-network:seminars.form.fee]]">
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-currency">[[physician-network:seminars.form.currency]]</label>
					<input class="form-control text-uppercase" type="text" id="pn-seminar-currency" name="feeCurrency" value="{{values.feeCurrency}}" list="pn-seminar-currencies" maxlength="3" placeholder="IDR" autocomplete="off" data-label="[[physician-network:seminars.form.currency]]">
					<datalist id="pn-seminar-currencies">
						{{{ each currencies }}}
						<option value="{./value}"></option>
						{{{ end }}}
					</datalist>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
		</fieldset>

		<fieldset class="d-flex flex-column gap-3">
			<legend class="fs-5 fw-semibold mb-0">[[physician-network:seminars.form.section-registration]]</legend>
			<div class="form-group">
				<label class="form-label" for="pn-seminar-registration-url">[[physician-network:seminars.field.registrationUrl]]</label>
				<input class="form-control" type="url" id="pn-seminar-registration-url" name="registrationUrl" value="{{values.registrationUrl}}" maxlength="{limits.url}" placeholder="https://" data-label="[[physician-network:seminars.field.registrationUrl]]">
				<div class="invalid-feedback" component="physician-network/field-error"></div>
			</div>
			<div class="row g-3">
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-deadline">[[physician-network:seminars.form.deadline]]</label>
					<input class="form-control" type="datetime-local" id="pn-seminar-deadline" name="registrationDeadline" value="{values.registrationDeadline}" data-label="[[physician-network:seminars.form.deadline]]">
					<div class="form-text">[[physician-network:seminars.form.deadline-help]]</div>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
				<div class="form-group col-md-6">
					<label class="form-label" for="pn-seminar-capacity">[[physician-network:seminars.form.capacity]]</label>
					<input class="form-control" type="number" id="pn-seminar-capacity" name="capacity" value="{values.capacity}" min="0" max="{limits.capacityMax}" step="1" inputmode="numeric" data-label="[[physician-network:seminars.form.capacity]]">
					<div class="form-text">[[physician-network:seminars.form.capacity-help]]</div>
					<div class="invalid-feedback" component="physician-network/field-error"></div>
				</div>
			</div>
		</fieldset>

		<div class="d-flex flex-wrap gap-2">
			<button type="submit" class="btn btn-primary" component="physician-network/seminar-submit">{{{ if isEdit }}}[[physician-network:seminars.form.save]]{{{ else }}}[[physician-network:seminars.form.create]]{{{ end }}}</button>
			{{{ if isEdit }}}{{{ if !isCancelled }}}
			<button type="button" class="btn btn-outline-danger" component="physician-network/seminar-cancel">[[physician-network:seminars.form.cancel-seminar]]</button>
			{{{ end }}}{{{ end }}}
		</div>
	</form>
	{{{ end }}}
</div>
