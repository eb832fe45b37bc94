<div class="acp-page-container">
	<!-- IMPORT admin/partials/settings/header.tpl -->

	<div class="row m-0">
		<div id="spy-container" class="col-12 col-md-8 px-0 mb-4" tabindex="0">
			{{{ if hasAttention }}}
			<div class="alert alert-warning" role="alert" component="physician-network/startup-attention">
				<h5 class="alert-heading">[[physician-network:acp.startup.needs-attention]]</h5>
				<p>[[physician-network:acp.startup.needs-attention.help]]</p>
				<ul>
					{{{ each needsAttention }}}
					<li><strong>[[physician-network:{./labelKey}]]</strong>: <code>{./message}</code> <span class="form-text">({./at}, {./process})</span></li>
					{{{ end }}}
				</ul>
				<button type="button" class="btn btn-warning btn-sm" component="physician-network/startup-retry">[[physician-network:acp.startup.retry]]</button>
			</div>
			{{{ end }}}
			<form role="form" class="physician-network-settings" novalidate>
				{{{ each sections }}}
				<div class="mb-4" id="physician-network-{./section}">
					<h5 class="fw-bold tracking-tight settings-header">[[physician-network:acp.section.{./section}]]</h5>
					<p class="form-text">[[physician-network:acp.section.{./section}.help]]</p>
					{{{ each ./fields }}}
					<div class="mb-3 form-group" data-field="{./key}">
						{{{ if ./isBoolean }}}
						<div class="form-check form-switch">
							<input type="checkbox" class="form-check-input" id="pn-{./key}" name="{./key}">
							<label for="pn-{./key}" class="form-check-label">[[physician-network:settings.{./key}]]</label>
						</div>
						{{{ else }}}
						<label class="form-label" for="pn-{./key}">[[physician-network:settings.{./key}]]</label>
						{{{ if ./isInteger }}}
						<input type="number" class="form-control" id="pn-{./key}" name="{./key}" min="{./min}" max="{./max}" step="1" required data-label="[[physician-network:settings.{./key}]]">
						{{{ end }}}
						{{{ if ./isText }}}
						<input type="text" class="form-control" id="pn-{./key}" name="{./key}" maxlength="{./maxLength}" data-label="[[physician-network:settings.{./key}]]">
						{{{ end }}}
						{{{ if ./isChoice }}}
						<select class="form-select" id="pn-{./key}" name="{./key}" required data-label="[[physician-network:settings.{./key}]]">
							{{{ each ./choices }}}
							<option value="{./value}">[[physician-network:{./labelKey}]]</option>
							{{{ end }}}
						</select>
						{{{ end }}}
						{{{ end }}}
						<div class="invalid-feedback" component="physician-network/field-error"></div>
						<p class="form-text">[[physician-network:settings.{./key}.help]]</p>
					</div>
					{{{ end }}}
				</div>
				{{{ end }}}
			</form>
		</div>
	</div>
</div>
