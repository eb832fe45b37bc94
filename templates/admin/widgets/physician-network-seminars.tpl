<div class="mb-2">
	<label class="form-label d-block">[[physician-network:seminars.widget.count]]
		<input class="form-control" type="number" name="count" min="1" max="{maxCount}" placeholder="{defaultCount}">
	</label>
</div>
<div class="mb-2">
	<label class="form-label d-block">[[physician-network:seminars.widget.specialty]]
		<select class="form-select" name="specialty">
			<option value="">[[physician-network:seminars.specialties.all]]</option>
			{{{ each specialties }}}
			<option value="{./slug}">{./name}</option>
			{{{ end }}}
		</select>
	</label>
</div>
