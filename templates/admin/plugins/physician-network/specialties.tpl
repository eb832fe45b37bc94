<div class="acp-page-container physician-network-specialties">
	<div component="settings/main/header" class="row border-bottom py-2 m-0 sticky-top acp-page-main-header align-items-center">
		<div class="col-12 col-md-6 px-0 mb-1 mb-md-0">
			<h4 class="fw-bold tracking-tight mb-0">[[physician-network:acp.specialties.title]]</h4>
		</div>
		<div class="col-12 col-md-6 px-0 d-flex gap-2 justify-content-md-end">
			<a class="btn btn-light btn-sm" href="{config.relative_path}/admin/plugins/physician-network">[[physician-network:acp.title]]</a>
			<button class="btn btn-outline-primary btn-sm" data-action="plan">[[physician-network:acp.specialties.reapply]]</button>
			<button class="btn btn-primary btn-sm" data-action="provision">[[physician-network:acp.specialties.provision]]</button>
		</div>
	</div>

	<div class="row m-0 mt-3">
		<div class="col-12 px-0">
			{{{ if !provisioned }}}
			<div class="alert alert-warning">[[physician-network:acp.specialties.not-provisioned]]</div>
			{{{ end }}}
			<div component="physician-network/plan" class="mb-3"></div>

			<form class="d-flex flex-wrap gap-2 align-items-end mb-4" component="physician-network/add-specialty">
				<div>
					<label class="form-label" for="pn-new-name">[[physician-network:acp.specialties.name]]</label>
					<input class="form-control form-control-sm" id="pn-new-name" name="name" maxlength="80" required>
				</div>
				<div>
					<label class="form-label" for="pn-new-name-id">[[physician-network:acp.specialties.name-id]]</label>
					<input class="form-control form-control-sm" id="pn-new-name-id" name="nameId" maxlength="80">
				</div>
				<div>
					<label class="form-label" for="pn-new-title">[[physician-network:acp.specialties.title-id]]</label>
					<input class="form-control form-control-sm" id="pn-new-title" name="title" maxlength="30">
				</div>
				<button class="btn btn-sm btn-success" type="submit">[[physician-network:acp.specialties.add]]</button>
			</form>

			<div class="table-responsive">
			<table class="table table-sm align-middle">
				<thead>
					<tr>
						<th>[[physician-network:acp.specialties.order]]</th>
						<th>[[physician-network:acp.specialties.name]]</th>
						<th>[[physician-network:acp.specialties.slug]]</th>
						<th>[[physician-network:acp.specialties.enabled]]</th>
						<th>[[physician-network:acp.specialties.policy]]</th>
						<th>[[physician-network:acp.specialties.moderators]]</th>
						<th>[[physician-network:acp.specialties.merge]]</th>
					</tr>
				</thead>
				<tbody component="physician-network/specialties">
					{{{ each specialties }}}
					<tr data-slug="{./slug}" class="{{{ if ./mergedInto }}}text-muted{{{ end }}}">
						<td class="text-nowrap">
							<button class="btn btn-link btn-sm p-0" data-action="up" aria-label="[[physician-network:acp.specialties.move-up]]"><i class="fa fa-arrow-up"></i></button>
							<button class="btn btn-link btn-sm p-0" data-action="down" aria-label="[[physician-network:acp.specialties.move-down]]"><i class="fa fa-arrow-down"></i></button>
						</td>
						<td>
							<div class="input-group input-group-sm">
								<input class="form-control" name="name" value="{./displayName}" maxlength="80" aria-label="[[physician-network:acp.specialties.name]]">
								<button class="btn btn-outline-secondary" data-action="rename">[[physician-network:acp.specialties.rename]]</button>
							</div>
							{{{ if ./title }}}<small class="text-muted">{./title}</small>{{{ end }}}
							{{{ if ./cid }}}<small><a href="{config.relative_path}/admin/manage/privileges/{./cid}">[[physician-network:acp.specialties.privileges]]</a></small>{{{ end }}}
						</td>
						<td><code>{./slug}</code></td>
						<td><input type="checkbox" class="form-check-input" data-action="enabled" {{{ if ./enabled }}}checked{{{ end }}} aria-label="[[physician-network:acp.specialties.enabled]]"></td>
						<td>
							<select class="form-select form-select-sm" data-action="policy" aria-label="[[physician-network:acp.specialties.policy]]">
								{{{ each ./policies }}}
								<option value="{./value}" {{{ if ./selected }}}selected{{{ end }}}>[[physician-network:settings.specialtiesDefaultPolicy.{./value}]]</option>
								{{{ end }}}
							</select>
						</td>
						<td>
							<div class="input-group input-group-sm">
								<input class="form-control" name="moderators" value="{./moderatorList}" placeholder="[[physician-network:acp.specialties.moderator-uids]]" aria-label="[[physician-network:acp.specialties.moderators]]">
								<button class="btn btn-outline-secondary" data-action="moderators">[[physician-network:acp.specialties.save]]</button>
							</div>
						</td>
						<td>
							{{{ if !./mergedInto }}}
							<div class="input-group input-group-sm">
								<select class="form-select" name="into" aria-label="[[physician-network:acp.specialties.merge]]">
									<option value="">—</option>
									{{{ each ./mergeTargets }}}
									<option value="{./slug}">{./name}</option>
									{{{ end }}}
								</select>
								<button class="btn btn-outline-danger" data-action="merge">[[physician-network:acp.specialties.merge]]</button>
							</div>
							{{{ else }}}
							<small>[[physician-network:acp.specialties.merged-into, {./mergedInto}]]</small>
							{{{ end }}}
						</td>
					</tr>
					{{{ end }}}
				</tbody>
			</table>
			</div>
		</div>
	</div>
</div>
