"""The admin console. Every save goes through the versioned write path.

Django's admin saves an object in steps (the row, then its many-to-many
fields and inlines), so ``VersionedAdmin`` snapshots the entity before the
first step and records the version after the last one, all inside the
admin's own transaction. A new entity is created through ``changes.create``
once its inlines are saved, so derived lineage sees the whole model.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet

from catalog import models as m
from catalog import permissions
from catalog.services import changes, deletion, mlmodels, modelversions
from catalog.services.validation import (
    check_count,
    check_name,
    check_owners,
    check_total,
    check_unique_names,
    check_url,
)


class ServiceRulesForm(admin.options.forms.ModelForm):
    """Apply the write path's own rules (name, URLs, who may own) to admin forms.

    The rules are the functions pages and API reach through the services; the
    admin calls them, so all three doors refuse the same input with the same
    message (tests/test_parity.py).
    """

    url_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's URL field would answer first with its own message; the write path's rule decides.
        for name in set(self.url_fields) & self.fields.keys():  # absent when the page is read-only
            field = self.fields[name]
            self.fields[name] = forms.CharField(
                label=field.label, required=field.required, max_length=field.max_length, help_text=field.help_text
            )

    def clean(self):
        data = super().clean()
        try:
            if "name" in data:
                check_name(data["name"])
            for name in self.url_fields:
                if name in data:
                    data[name] = check_url(data[name], name)
            if data.get("owner_teams") is not None:
                check_owners(list(data["owner_teams"]), "owner_teams")
            if "owner_users" in data or "owner_teams" in data:
                owners = [*(data.get("owner_users") or ()), *(data.get("owner_teams") or ())]
                check_count(owners, "owner_teams" if "owner_teams" in self.fields else "owner_users", "owners")
            for name in ("tags", "followers", "users"):
                if data.get(name) is not None:
                    check_count(data[name], name)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages_)
        return data


class UniqueNamesFormSet(BaseInlineFormSet):
    """An inline of child rows whose names must not repeat and whose number is bounded: the write path's rules.

    Runs before Django's own unique check, so the message is the one pages and
    API give, not the admin's generic "duplicate data".
    """

    rows = ""  # the write path's name for these rows: "features", "hyperparameters", "columns", "sources"

    def clean(self):
        names = [
            form.cleaned_data["name"]
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_count(names, self.rows)
            if self.rows == "sources":
                check_total(len(names) + self._other_sources_of_the_model(), self.rows, "model_sources")
            check_unique_names(names, self.rows)
        except ValidationError as error:
            raise ValidationError(error.message_dict[self.rows]) from None
        super().clean()

    def _other_sources_of_the_model(self) -> int:
        feature = self.instance
        return m.FeatureSource.objects.filter(feature__model_id=feature.model_id).exclude(feature=feature).count()


def unique_names(rows: str) -> type:
    return type(f"Unique{rows.title()}FormSet", (UniqueNamesFormSet,), {"rows": rows})


class VersionedAdmin(admin.ModelAdmin):
    form = ServiceRulesForm
    readonly_fields = ("fqn", "version", "updated_at", "updated_by", "deleted")
    list_filter = ("deleted",)
    actions = ("soft_delete_selected", "restore_selected")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_create(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        allowed = permissions.can_edit(request.user, obj, model=self.model)
        return super().has_change_permission(request, obj) and allowed

    def has_delete_permission(self, request, obj=None):
        allowed = permissions.can_delete(request.user, obj, model=self.model)
        return super().has_delete_permission(request, obj) and allowed

    def save_model(self, request, obj, form, change):
        if change:
            request._snapshot_before = changes.snapshot_of(type(obj), obj.pk)
            obj.save()
        # A new object is saved in save_related, together with its inlines.

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
            changes.record(form.instance, request._snapshot_before, request.user)
        else:
            changes.create(
                form.instance,
                request.user,
                save_related=lambda _: super(VersionedAdmin, self).save_related(request, form, formsets, change),
            )

    def delete_model(self, request, obj):
        deletion.delete(obj, request.user, hard=True, recursive=True)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            deletion.delete(obj, request.user, hard=True, recursive=True)

    # Both actions change what they touch: offered only to who may delete, and each object is asked again.
    @admin.action(description="Soft-delete selected (restorable, recorded as a version)", permissions=["delete"])
    def soft_delete_selected(self, request, queryset):
        for obj in queryset:
            if not permissions.can_delete(request.user, obj):
                self.message_user(request, f"You may not delete {obj}.", messages.ERROR)
                continue
            try:
                deletion.delete(obj, request.user, recursive=True)
            except deletion.NotEmpty as error:
                self.message_user(request, str(error), messages.ERROR)

    @admin.action(description="Restore selected", permissions=["delete"])
    def restore_selected(self, request, queryset):
        for obj in queryset:
            if not permissions.can_delete(request.user, obj):
                self.message_user(request, f"You may not restore {obj}.", messages.ERROR)
                continue
            deletion.restore(obj, request.user)


class ChildOfVersionedAdmin(admin.ModelAdmin):
    """Admin for rows that belong to an entity (features, columns): a change versions the parent."""

    parent_field = ""

    def parent(self, obj):
        return getattr(obj, self.parent_field)

    def has_change_permission(self, request, obj=None):
        parent = self.parent(obj) if obj is not None else None
        return super().has_change_permission(request, obj) and permissions.can_edit(request.user, parent)

    def has_delete_permission(self, request, obj=None):
        parent = self.parent(obj) if obj is not None else None
        return super().has_delete_permission(request, obj) and permissions.can_delete(request.user, parent)

    def save_model(self, request, obj, form, change):
        parent = self.parent(obj)
        request._snapshot_before = changes.snapshot_of(type(parent), parent.pk)
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes.record(self.parent(form.instance), request._snapshot_before, request.user)

    def delete_model(self, request, obj):
        parent = self.parent(obj)
        with changes.change(parent, request.user):
            type(obj).objects.filter(pk=obj.pk).delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# People -------------------------------------------------------------------


@admin.register(m.User)
class UserAdmin(VersionedAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "role",
        "is_approver",
        "is_bot",
        "is_superuser",
        "is_active",
        "version",
    )
    list_filter = ("role", "is_approver", "is_bot", "is_superuser", "is_active", "deleted")
    search_fields = ("username", "display_name", "email")
    fields = (
        "username",
        "display_name",
        "email",
        "description",
        "role",
        "is_approver",
        "is_bot",
        "is_active",
        "is_staff",
        "is_superuser",
        "version",
        "updated_at",
        "updated_by",
        "deleted",
    )

    def save_related(self, request, form, formsets, change):
        if not change and not form.instance.password:
            form.instance.set_unusable_password()
        super().save_related(request, form, formsets, change)


@admin.register(m.Team)
class TeamAdmin(VersionedAdmin):
    list_display = ("name", "display_name", "team_type", "member_count", "version", "deleted")
    list_filter = ("team_type", "deleted")
    search_fields = ("name", "display_name")
    filter_horizontal = ("users",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("users"))

    @admin.display(ordering="member_count", description="members")
    def member_count(self, obj):
        return obj.member_count


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """Groups grant permissions, so changing one changes roles: an administrator's alone."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.can_manage_accounts(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and permissions.can_manage_accounts(request.user)


# Tags ---------------------------------------------------------------------


@admin.register(m.Classification)
class ClassificationAdmin(VersionedAdmin):
    list_display = ("name", "mutually_exclusive", "tag_count", "version", "deleted")
    search_fields = ("name", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tag_count=Count("tags"))

    @admin.display(ordering="tag_count", description="tags")
    def tag_count(self, obj):
        return obj.tag_count


@admin.register(m.Tag)
class TagAdmin(VersionedAdmin):
    list_display = ("fqn", "description", "version", "deleted")
    list_filter = ("classification", "deleted")
    list_select_related = ("classification",)
    search_fields = ("name", "description", "classification__name")


# Services -----------------------------------------------------------------


class ServiceAdmin(VersionedAdmin):
    list_display = ("name", "service_type", "version", "updated_at", "deleted")
    list_filter = ("service_type", "deleted")
    search_fields = ("name", "display_name", "description")
    # Connection settings hold secrets: they are shown masked and never edited here.
    exclude = ("connection",)
    readonly_fields = VersionedAdmin.readonly_fields + ("connection_settings",)

    @admin.display(description="connection (secrets hidden)")
    def connection_settings(self, obj):
        return obj.connection


admin.site.register(m.MlModelService, ServiceAdmin)
admin.site.register(m.DatabaseService, ServiceAdmin)
admin.site.register(m.DashboardService, ServiceAdmin)


# Data assets --------------------------------------------------------------


@admin.register(m.Database)
class DatabaseAdmin(VersionedAdmin):
    list_display = ("name", "service", "version", "deleted")
    list_filter = ("service", "deleted")
    list_select_related = ("service",)
    search_fields = ("name", "description")
    filter_horizontal = ("owner_users", "owner_teams")


@admin.register(m.DatabaseSchema)
class DatabaseSchemaAdmin(VersionedAdmin):
    list_display = ("name", "database", "version", "deleted")
    list_filter = ("database__service", "deleted")
    list_select_related = ("database",)
    search_fields = ("name", "description")
    filter_horizontal = ("owner_users", "owner_teams")


class ColumnInline(admin.TabularInline):
    model = m.Column
    formset = unique_names("columns")
    fields = ("position", "name", "data_type", "description", "tags")
    extra = 0
    autocomplete_fields = ("tags",)


@admin.register(m.Table)
class TableAdmin(VersionedAdmin):
    list_display = ("fqn", "table_type", "column_count", "version", "deleted")
    list_filter = ("schema__database__service", "table_type", "deleted")
    list_select_related = ("schema__database__service",)
    search_fields = ("name", "description", "columns__name")
    filter_horizontal = ("owner_users", "owner_teams", "tags")
    inlines = (ColumnInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(column_count=Count("columns"))

    @admin.display(ordering="column_count", description="columns")
    def column_count(self, obj):
        return obj.column_count


@admin.register(m.Dashboard)
class DashboardAdmin(VersionedAdmin):
    list_display = ("name", "service", "source_url", "version", "deleted")
    list_filter = ("service", "deleted")
    list_select_related = ("service",)
    search_fields = ("name", "display_name", "description")
    filter_horizontal = ("owner_users", "owner_teams", "tags")

    class form(ServiceRulesForm):
        url_fields = ("source_url",)


# ML models ----------------------------------------------------------------


class MlFeatureInline(admin.TabularInline):
    model = m.MlFeature
    formset = unique_names("features")
    fields = ("position", "name", "data_type", "feature_algorithm", "description", "source_count")
    readonly_fields = ("source_count",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description="sources")
    def source_count(self, obj):
        return getattr(obj, "source_count", "")


class HyperParameterInline(admin.TabularInline):
    model = m.MlHyperParameter
    formset = unique_names("hyperparameters")
    fields = ("position", "name", "value", "description")
    extra = 0


@admin.register(m.MlModel)
class MlModelAdmin(VersionedAdmin):
    list_display = (
        "name",
        "service",
        "algorithm",
        "target",
        "owner_list",
        "feature_count",
        "version",
        "updated_at",
        "deleted",
    )
    list_filter = ("service", "algorithm", "tags", "deleted")
    list_select_related = ("service", "dashboard")
    search_fields = ("name", "display_name", "description", "algorithm", "features__name")
    filter_horizontal = ("owner_users", "owner_teams", "tags", "followers")
    autocomplete_fields = ("dashboard",)
    inlines = (MlFeatureInline, HyperParameterInline)
    fieldsets = (
        (None, {"fields": ("service", "name", "display_name", "description", "algorithm", "target")}),
        (
            "Serving and storage",
            {"fields": ("server", "ml_store_storage", "ml_store_image", "source_url", "dashboard")},
        ),
        ("Governance", {"fields": ("owner_users", "owner_teams", "tags", "followers")}),
        ("Model card", {"fields": m.CARD_FIELDS, "classes": ("collapse",)}),
        ("Version", {"fields": VersionedAdmin.readonly_fields}),
    )

    class form(ServiceRulesForm):
        url_fields = ("server", "source_url")

        def clean(self):
            """The card's sections by the write path's rules (``mlmodels.clean``), as the card page and API check them."""
            data = super().clean()
            try:
                data.update(mlmodels.clean({name: data[name] for name in m.CARD_FIELDS if name in data}))
            except ValidationError as error:
                report(self, error, lambda key: key)
            return data

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(feature_count=Count("features", distinct=True))
            .prefetch_related("owner_users", "owner_teams")
        )

    @admin.display(ordering="feature_count", description="features")
    def feature_count(self, obj):
        return obj.feature_count

    @admin.display(description="owners")
    def owner_list(self, obj):
        return ", ".join(o.name for o in obj.owners())


class FeatureSourceInline(admin.TabularInline):
    model = m.FeatureSource
    formset = unique_names("sources")
    fields = ("position", "name", "data_type", "table", "column", "description")
    autocomplete_fields = ("table",)
    raw_id_fields = ("column",)
    extra = 0


@admin.register(m.MlFeature)
class MlFeatureAdmin(ChildOfVersionedAdmin):
    parent_field = "model"
    list_display = ("name", "model", "data_type", "feature_algorithm")
    list_filter = ("data_type", "model__service")
    list_select_related = ("model",)
    search_fields = ("name", "model__name")
    filter_horizontal = ("tags",)
    inlines = (FeatureSourceInline,)
    raw_id_fields = ("model",)

    def get_readonly_fields(self, request, obj=None):
        return ("model",) if obj else ()


# Model versions -------------------------------------------------------------


def report(form, error: ValidationError, field_of) -> None:
    """Put the write path's messages next to the form fields its keys name (``field_of``: key -> field)."""
    for key, messages_ in error.message_dict.items():
        name = field_of(key)
        form.add_error(name if name in form.fields else None, messages_)


def row_field(key: str) -> str:
    """``metrics[0].higherIsBetter`` -> ``higher_is_better``: the row form's field a write-path key names."""
    return {"higherIsBetter": "higher_is_better"}.get(key.rsplit(".", 1)[-1], key.rsplit(".", 1)[-1])


def kept(formset) -> list:
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class RowFormSet(BaseInlineFormSet):
    """Rows the write path checks as one list (``key``: its name there); its messages go next to the row's field."""

    key = ""

    def clean(self):
        if any(self.errors):
            return
        rows = kept(self)
        try:
            modelversions.clean({self.key: [form.spec() for form in rows]})
        except ValidationError as error:
            for key, messages_ in error.message_dict.items():
                index = int(key.split("[", 1)[1].split("]", 1)[0])
                rows[index].add_error(row_field(key), messages_)
            return
        super().clean()


class ModelMetricForm(forms.ModelForm):
    # Text, so that the write path, not the form, says what a metric's value may be (a finite number).
    value = forms.CharField(max_length=64)

    class Meta:
        model = m.ModelMetric
        fields = ("name", "value", "dataset", "step", "timestamp", "higher_is_better")

    def spec(self) -> modelversions.MetricSpec:
        data = self.cleaned_data
        try:
            value = float(data.get("value"))
        except (TypeError, ValueError):
            value = data.get("value")
        return modelversions.MetricSpec(
            name=data.get("name", ""),
            value=value,
            dataset=data.get("dataset") or "",
            step=data.get("step") or 0,
            timestamp=data.get("timestamp"),
            higher_is_better=bool(data.get("higher_is_better")),
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                data["value"] = modelversions.clean({"metrics": [self.spec()]})["metrics"][0].value
            except ValidationError as error:
                report(self, error, row_field)
        return data


class ModelVersionDatasetForm(forms.ModelForm):
    class Meta:
        model = m.ModelVersionDataset
        fields = ("role", "table", "columns")

    def spec(self) -> modelversions.DatasetSpec:
        data = self.cleaned_data
        return modelversions.DatasetSpec(data.get("role", ""), data.get("table"), list(data.get("columns") or []))

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                modelversions.clean({"datasets": [self.spec()]})
            except ValidationError as error:
                report(self, error, row_field)
        return data


class ModelAliasForm(forms.ModelForm):
    class Meta:
        model = m.ModelAlias
        fields = ("name",)

    def clean_name(self):
        try:
            return modelversions.check_alias(self.cleaned_data["name"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["alias"]) from None


class AliasFormSet(BaseInlineFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in kept(self):
            name = form.cleaned_data["name"]
            if name in seen:
                form.add_error("name", f"Alias {name!r} repeats: an alias names one version.")
            seen.add(name)


class ModelAliasInline(admin.TabularInline):
    model = m.ModelAlias
    form = ModelAliasForm
    formset = AliasFormSet
    fk_name = "version"
    extra = 0
    verbose_name_plural = "aliases (an alias another version holds moves here)"


class ModelMetricInline(admin.TabularInline):
    model = m.ModelMetric
    form = ModelMetricForm
    formset = type("MetricFormSet", (RowFormSet,), {"key": "metrics"})
    extra = 0


class ModelVersionDatasetInline(admin.TabularInline):
    model = m.ModelVersionDataset
    form = ModelVersionDatasetForm
    formset = type("DatasetFormSet", (RowFormSet,), {"key": "datasets"})
    autocomplete_fields = ("table",)
    raw_id_fields = ("columns",)
    extra = 0


class ModelVersionReviewInline(admin.TabularInline):
    """Requests, approvals and rejections are the record of who decided: written by the write path alone."""

    model = m.ModelVersionReview
    fields = ("decision", "status", "reviewer_name", "at", "reason", "open")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


#: What ``save_model_version`` takes from the version's own form.
VERSION_VALUES = (
    "description",
    "source_uri",
    "run_id",
    "run_url",
    "created_by",
    "created_at",
    "tags",
    "signature",
    "parameters",
)


class ModelVersionForm(forms.ModelForm):
    # Text, so that the write path's URL rule answers (as for the model's URLs).
    run_url = forms.CharField(label="run URL", required=False, max_length=2048)
    number = forms.IntegerField(label="version number", min_value=1, max_value=modelversions.MAX_NUMBER)
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Why the status changes (kept with it)."
    )
    user = None  # set per request by the admin

    class Meta:
        model = m.ModelVersion
        fields = ("model", "number", "status", "reason", *VERSION_VALUES)

    def clean(self):
        data = super().clean()
        model = data.get("model") if self.instance._state.adding else self.instance.model
        try:
            data.update(modelversions.clean({k: data[k] for k in VERSION_VALUES if k in data}))
            if model is not None and not permissions.can_edit(self.user, model):
                self.add_error("model" if "model" in self.fields else None, f"You may not edit {model.name}.")
            status = data.get("status")
            if model is not None and status and status != self.instance.status:
                modelversions.check_may_enter(model, status, self.user)
        except ValidationError as error:
            report(self, error, lambda key: {"version": "number"}.get(key, key.split(".")[0].split("[")[0]))
        except PermissionDenied as error:
            self.add_error("status", str(error))
        return data


@admin.register(m.ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """Model versions, written through ``catalog.services.modelversions``: each write is a history version of
    the model, a gated status needs the approval permission, and the rows of the inlines are checked as the
    API checks them."""

    form = ModelVersionForm
    list_display = ("__str__", "model", "number", "status", "alias_list", "created_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("model",)
    search_fields = ("model__name", "run_id", "aliases__name")
    autocomplete_fields = ("model",)
    inlines = (ModelAliasInline, ModelMetricInline, ModelVersionDatasetInline, ModelVersionReviewInline)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ("model", "number") if obj else ()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_list(self, obj):
        return ", ".join(a.name for a in obj.aliases.all())

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_edit(request.user, model=m.MlModel)

    def has_change_permission(self, request, obj=None):
        allowed = permissions.can_edit(request.user, obj.model if obj else None, model=m.MlModel)
        return super().has_change_permission(request, obj) and allowed

    def has_delete_permission(self, request, obj=None):
        allowed = permissions.can_edit(request.user, obj.model if obj else None, model=m.MlModel)
        return super().has_delete_permission(request, obj) and allowed

    def save_model(self, request, obj, form, change):
        """Nothing is written yet: ``save_related`` writes the version with its inlines, through the write path."""

    def save_related(self, request, form, formsets, change):
        obj, data = form.instance, form.cleaned_data
        rows = {formset.model: kept(formset) for formset in formsets}
        version, _ = modelversions.save_model_version(
            obj.model,
            obj.number,
            request.user,
            status=data["status"],
            reason=data.get("reason", ""),
            metrics=[f.spec() for f in rows.get(m.ModelMetric, [])],
            datasets=[f.spec() for f in rows.get(m.ModelVersionDataset, [])],
            **{k: data[k] for k in VERSION_VALUES if k in data},
        )
        wanted = [f.cleaned_data["name"] for f in rows.get(m.ModelAlias, [])]
        held = set(version.aliases.values_list("name", flat=True))
        for name in sorted(held - set(wanted)):
            modelversions.remove_alias(obj.model, name, request.user)
        for name in wanted:
            if name in held:
                continue
            previous = obj.model.aliases.filter(name=name).select_related("version").first()
            modelversions.set_alias(obj.model, name, version.number, request.user)
            if previous is not None:
                self.message_user(request, f"Alias {name!r} moved from version {previous.version.number}.")
        obj.pk, obj._state.adding = version.pk, False

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline rows were written by the write path, not saved by their formsets.
        return super().construct_change_message(request, form, [], add)

    def delete_model(self, request, obj):
        modelversions.delete_model_version(obj.model, obj.number, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("model"):
            self.delete_model(request, obj)


@admin.register(m.EntityVersion)
class EntityVersionAdmin(admin.ModelAdmin):
    """History is read-only: it is written by the write path alone."""

    list_display = ("entity_type", "entity_id", "version", "updated_by", "updated_at")
    list_filter = ("entity_type",)
    search_fields = ("entity_id", "updated_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued on the profile page or by ``issue_token`` (the raw key is shown once
    there); the console lists them and revokes them, nothing more."""

    list_display = ("name", "user", "hint", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("user__is_bot",)
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "hint")
    actions = ("revoke_selected",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=permissions.token_revokable_holders(request.user))

    @admin.action(description="Revoke selected tokens", permissions=["view"])
    def revoke_selected(self, request, queryset):
        for token in queryset:
            token.revoke()
        self.message_user(request, f"Revoked {queryset.count()} token(s).")
