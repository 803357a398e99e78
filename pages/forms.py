"""Forms of the browser catalogue.

Forms only parse and resolve what a person typed (names to tags, users,
tables...). The rules of the catalogue (URL schemes, unique names, which
teams may own) live in ``catalog.services`` and reach the page through
:func:`attach_service_errors`, so the page and the API refuse the same input
with the same message.
"""

import re
import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import capfirst

from catalog.models import (
    CARD_FIELDS,
    Column,
    Dashboard,
    FeatureSource,
    MlFeature,
    MlModel,
    RiskRating,
    Table,
    Tag,
    Team,
    User,
)
from catalog.services.describe import MAJOR_FIELDS
from catalog.services.validation import MAX_NAME_LENGTH

#: The service layer names nested fields the OpenMetadata way; forms use snake case.
CAMEL_TO_FIELD = {"dataType": "data_type", "featureAlgorithm": "feature_algorithm"}


def attach_service_errors(form, error: ValidationError, aliases=None) -> None:
    """Show a service ValidationError next to the field it names (or at the top of the form).

    ``features[0].sources[1].column`` lands on the form's ``column`` field;
    ``aliases`` maps list-wide keys (``hyperparameters`` for a duplicate
    name) to the field that caused them.
    """
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        leaf = re.sub(r"\[\d+\]$", "", key.rsplit(".", 1)[-1])
        leaf = aliases.get(leaf, CAMEL_TO_FIELD.get(leaf, leaf))
        for message in messages:
            form.add_error(leaf if leaf in form.fields else None, message)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the autocomplete hints password managers expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class VersionedForm(forms.Form):
    """A form that remembers the version it was opened at, to refuse lost updates."""

    expected_version = forms.DecimalField(
        max_digits=9,
        decimal_places=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form does not say which version it was opened at. Reload the page and try again.",
            "invalid": "This form does not say which version it was opened at. Reload the page and try again.",
        },
    )

    #: Shown as the form's heading and in messages.
    label = ""
    #: Whether saving this form is a major change (+1.0) of an ML model.
    major = False
    #: Fields with type-ahead suggestions: field name -> URL name of the suggestions.
    suggest: dict[str, str] = {}

    def __init__(self, *args, model=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.model = model

    def prepare(self, element_id: str):
        """Give the form's elements ids unique on the page, and wire the suggestion lists.

        Several forms can be open at once on one page (two rows, a field), so
        each gets its own id prefix; a suggested field gets a ``<datalist>``
        that htmx refreshes as the user types.
        """
        self.auto_id = f"{element_id}-%s"
        # Errors found before this point were listed under Django's default ids: give them the field's
        # new one, which the field's aria-describedby names.
        for name, errors in self.errors.items():
            if name in self.fields:
                errors.field_id = self[name].auto_id
        # htmx focuses an autofocus element it swaps in: typing can start at once.
        first = next((f for f in self.visible_fields() if not isinstance(f.field.widget, forms.CheckboxInput)), None)
        if first is not None:
            first.field.widget.attrs["autofocus"] = True
        for name, url_name in self.suggest.items():
            input_id = self.auto_id % name
            self.fields[name].widget.attrs.update(
                {
                    "list": f"{input_id}-options",
                    "autocomplete": "off",
                    "hx-get": reverse(url_name),
                    "hx-trigger": "input changed delay:200ms",
                    "hx-target": f"#{input_id}-options",
                    "hx-swap": "innerHTML",
                }
            )
        return self


def blank_choice(choices) -> list:
    return [("", "—"), *choices]


# --- One form per inline-editable field of an ML model ----------------------------------------


class AttributeForm(VersionedForm):
    """Edit plain attributes of a model; the form fields are named after them."""

    attributes: tuple[str, ...] = ()

    @property
    def major(self) -> bool:
        """Read from the service's one declaration, so the warning and the version bump agree."""
        return bool(MAJOR_FIELDS["mlmodel"].intersection(self.attributes))

    @classmethod
    def initial_for(cls, model) -> dict:
        return {name: getattr(model, name) for name in cls.attributes} | {"expected_version": model.version}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.attributes}

    @staticmethod
    def current_text(model) -> str:
        return ""


class DisplayNameForm(AttributeForm):
    label = "Display name"
    attributes = ("display_name",)
    display_name = forms.CharField(label="Display name", required=False, max_length=MAX_NAME_LENGTH)

    @staticmethod
    def current_text(model):
        return model.display_name


class DescriptionForm(AttributeForm):
    label = "Description"
    attributes = ("description",)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, _italic_, lists, links, `code`.",
    )

    @staticmethod
    def current_text(model):
        return model.description


class AlgorithmForm(AttributeForm):
    label = "Algorithm"
    attributes = ("algorithm",)
    algorithm = forms.CharField(label="Algorithm", max_length=256)

    @staticmethod
    def current_text(model):
        return model.algorithm


class TargetForm(AttributeForm):
    label = "Target"
    attributes = ("target",)
    target = forms.CharField(
        label="Target", required=False, max_length=256, help_text="The variable the model predicts."
    )

    @staticmethod
    def current_text(model):
        return model.target


class ServerForm(AttributeForm):
    label = "Serving endpoint"
    attributes = ("server",)
    # A plain text field: the service layer checks the URL so the message is the API's.
    server = forms.CharField(
        label="Serving endpoint",
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text="Where to POST input data for a prediction.",
    )

    @staticmethod
    def current_text(model):
        return model.server


class MlStoreForm(AttributeForm):
    label = "ML store"
    attributes = ("ml_store_storage", "ml_store_image")
    ml_store_storage = forms.CharField(
        label="Storage URI", required=False, max_length=2048, help_text="Where the model file lives, e.g. s3://…"
    )
    ml_store_image = forms.CharField(
        label="Image repository", required=False, max_length=2048, help_text="The Docker image that serves it."
    )

    @staticmethod
    def current_text(model):
        return f"storage: {model.ml_store_storage or '—'}; image: {model.ml_store_image or '—'}"


class SourceUrlForm(AttributeForm):
    label = "Source URL"
    attributes = ("source_url",)
    source_url = forms.CharField(
        label="Source URL",
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text="The model in its lifecycle tool (MLflow, SageMaker…).",
    )

    @staticmethod
    def current_text(model):
        return model.source_url


class DashboardForm(VersionedForm):
    label = "Dashboard"
    suggest = {"dashboard": "autocomplete_dashboards"}
    dashboard = forms.CharField(
        label="Dashboard",
        required=False,
        help_text="The dashboard that monitors this model, by fully qualified name. Empty for none.",
    )

    @classmethod
    def initial_for(cls, model):
        return {"dashboard": model.dashboard.fqn if model.dashboard_id else "", "expected_version": model.version}

    def clean_dashboard(self):
        value = self.cleaned_data["dashboard"].strip()
        if not value:
            return None
        found = Dashboard.objects.live().by_fqn(value).first()
        if found is None:
            raise ValidationError("There is no dashboard called “%(name)s”.", params={"name": value})
        return found

    def values(self):
        return {"dashboard": self.cleaned_data["dashboard"]}

    @staticmethod
    def current_text(model):
        return model.dashboard.fqn if model.dashboard_id else "none"


def find_tag(text: str):
    """Return the tag named by a fully qualified name or, when unambiguous, by its own name."""
    text = text.strip()
    found = Tag.objects.by_fqn(text).first()
    if found is None:
        matches = list(Tag.objects.filter(name=text)[:2])
        found = matches[0] if len(matches) == 1 else None
    return found


class TagPicker:
    """A list of checked tags (``tags``, by FQN) plus one to add (``add_tag``).

    Unticking a chip removes the tag; typing a name in the add box (with
    autocomplete suggestions) adds one. Both arrive in one submit.
    """

    def clean_add_tag(self):
        value = self.cleaned_data["add_tag"].strip()
        if not value:
            return None
        tag = find_tag(value)
        if tag is None:
            raise ValidationError("There is no tag called “%(name)s”.", params={"name": value})
        return tag

    def picked_tags(self) -> list:
        kept_fqns = [v for v in self.data.getlist("tags") if v]
        tags = list(Tag.objects.filter(fqn__in=kept_fqns))
        missing = set(kept_fqns) - {t.fqn for t in tags}
        if missing:
            self.add_error("add_tag", f"There is no tag called “{sorted(missing)[0]}”.")
        added = self.cleaned_data.get("add_tag")
        if added is not None and all(t.pk != added.pk for t in tags):
            tags.append(added)
        return tags

    def tag_choices(self, current) -> list[tuple[str, bool]]:
        """Return (fqn, checked) for the chips: the current tags and any posted ones."""
        if not self.is_bound:
            return [(t.fqn, True) for t in current]
        posted = [v for v in self.data.getlist("tags") if v]
        fqns = [t.fqn for t in current] + [v for v in posted if v not in {t.fqn for t in current}]
        return [(value, value in posted) for value in fqns]


class TagsForm(TagPicker, VersionedForm):
    label = "Tags"
    suggest = {"add_tag": "autocomplete_tags"}
    add_tag = forms.CharField(label="Add a tag", required=False, help_text="Type to search classification tags.")

    @classmethod
    def initial_for(cls, model):
        return {"expected_version": model.version}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            cleaned["tags"] = self.picked_tags()
        return cleaned

    def values(self):
        return {"tags": self.cleaned_data["tags"]}

    def chips(self):
        return self.tag_choices(self.model.tags.all())

    @staticmethod
    def current_text(model):
        return ", ".join(t.fqn for t in model.tags.all()) or "no tags"


def owner_token(owner) -> str:
    """Return the value that names a user or a team in the owners picker."""
    return f"{'team' if isinstance(owner, Team) else 'user'}:{owner.pk}"


def owner_label(owner) -> str:
    return f"{owner} (team)" if isinstance(owner, Team) else str(owner)


def find_owner(text: str):
    """Return the user (by user name) or else the team (by name) called ``text``."""
    text = text.strip()
    return User.objects.filter(username=text, is_active=True).first() or Team.objects.live().filter(name=text).first()


class OwnersForm(VersionedForm):
    label = "Owners"
    suggest = {"add_owner": "autocomplete_owners"}
    add_owner = forms.CharField(label="Add an owner", required=False, help_text="Type to search users and teams.")

    @classmethod
    def initial_for(cls, model):
        return {"expected_version": model.version}

    def clean_add_owner(self):
        value = self.cleaned_data["add_owner"].strip()
        if not value:
            return None
        owner = find_owner(value)
        if owner is None:
            raise ValidationError("There is no user or team called “%(name)s”.", params={"name": value})
        return owner

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        user_ids, team_ids = [], []
        for token in self.data.getlist("owners"):
            kind, _, raw_id = token.partition(":")
            try:
                (team_ids if kind == "team" else user_ids).append(uuid.UUID(raw_id))
            except ValueError:
                self.add_error("add_owner", "An owner in the list is not a user or a team.")
                return cleaned
        owners = [*User.objects.filter(pk__in=user_ids), *Team.objects.filter(pk__in=team_ids)]
        added = cleaned.get("add_owner")
        if added is not None and all(owner_token(o) != owner_token(added) for o in owners):
            owners.append(added)
        cleaned["owners"] = owners
        return cleaned

    def values(self):
        return {"owners": self.cleaned_data["owners"]}

    def chips(self):
        """Return (token, label, checked) for the current owners and any posted ones."""
        current = self.model.owners()
        if not self.is_bound:
            return [(owner_token(o), owner_label(o), True) for o in current]
        posted = self.data.getlist("owners")
        return [(owner_token(o), owner_label(o), owner_token(o) in posted) for o in current]

    @staticmethod
    def current_text(model):
        return ", ".join(owner_label(o) for o in model.owners()) or "no owners"


#: What each section of the model card should say, shown under its box and where it is still empty.
CARD_HINTS = {
    "card_intended_use": "What the model is for: the task, and the decisions its predictions inform.",
    "card_out_of_scope_uses": "Uses it was not built or checked for, and must not be put to.",
    "card_intended_users": "Who should act on its predictions, and with what training.",
    "card_factors": "Groups, settings or conditions across which its performance may differ.",
    "card_ethical_considerations": "Risks to people: privacy, fairness, harm from a wrong prediction.",
    "card_caveats": "What its users should know before relying on it.",
    "card_risk_rating": "How much harm a wrong prediction can do.",
    "card_training_summary": "The data it learnt from: source, period, size, known gaps.",
    "card_evaluation_summary": "How it was evaluated: data, metrics, results, and where it is weaker.",
}


def card_section_form(name: str) -> type[AttributeForm]:
    """Return the form of one section of the model card, labelled as the model's field is.

    The risk rating is picked from a list, but its value reaches the write
    path unchecked: an invalid or over-long one is refused there, with the
    API's message, next to the field.
    """
    label = capfirst(MlModel._meta.get_field(name).verbose_name)
    if name == "card_risk_rating":
        widget = forms.Select(choices=blank_choice(RiskRating.choices))
        help_text = CARD_HINTS[name]
    else:
        widget = forms.Textarea(attrs={"rows": 6})
        help_text = f"{CARD_HINTS[name]} Markdown: **bold**, _italic_, lists, links, `code`."
    field = forms.CharField(label=label, required=False, widget=widget, help_text=help_text)
    return type(
        f"{name.title().replace('_', '')}Form",
        (AttributeForm,),
        {
            "label": label,
            "attributes": (name,),
            name: field,
            "current_text": staticmethod(lambda model: getattr(model, name)),
        },
    )


#: The inline-editable fields of an ML model page, by the name used in URLs.
FIELD_FORMS = {
    "display_name": DisplayNameForm,
    "description": DescriptionForm,
    "algorithm": AlgorithmForm,
    "target": TargetForm,
    "server": ServerForm,
    "ml_store": MlStoreForm,
    "source_url": SourceUrlForm,
    "dashboard": DashboardForm,
    "owners": OwnersForm,
    "tags": TagsForm,
    **{name: card_section_form(name) for name in CARD_FIELDS},
}


# --- Rows of the lists on a model page: hyperparameters, features, feature sources --------------


class HyperParameterForm(VersionedForm):
    label = "Hyperparameter"
    #: Service errors about the whole list (a duplicate name) belong to the name.
    aliases = {"hyperparameters": "name"}

    name = forms.CharField(label="Name", max_length=MAX_NAME_LENGTH)
    value = forms.CharField(label="Value", required=False, max_length=1024)
    description = forms.CharField(label="Description", required=False)


class FeatureForm(TagPicker, VersionedForm):
    label = "Feature"
    aliases = {"features": "name"}
    suggest = {"add_tag": "autocomplete_tags"}

    name = forms.CharField(label="Name", max_length=MAX_NAME_LENGTH)
    data_type = forms.ChoiceField(label="Type", required=False, choices=blank_choice(MlFeature.DataType.choices))
    feature_algorithm = forms.CharField(
        label="Feature algorithm", required=False, max_length=256, help_text="How it was engineered, e.g. PCA."
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    add_tag = forms.CharField(label="Add a tag", required=False, help_text="Type to search classification tags.")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            cleaned["tags"] = self.picked_tags()
        return cleaned


class FeatureSourceForm(VersionedForm):
    """Where a feature's data comes from: pick a table, then one of its columns."""

    label = "Feature source"
    aliases = {"sources": "name"}
    suggest = {"table": "autocomplete_tables"}

    table = forms.CharField(
        label="Table", required=False, help_text="Fully qualified name; type to search. Empty for an external source."
    )
    column = forms.CharField(label="Column", required=False)
    name = forms.CharField(
        label="Source name", required=False, max_length=MAX_NAME_LENGTH, help_text="Defaults to the column's name."
    )
    data_type = forms.ChoiceField(
        label="Data type", required=False, choices=blank_choice(FeatureSource.DataType.choices)
    )
    description = forms.CharField(label="Description", required=False)

    def clean_table(self):
        value = self.cleaned_data["table"].strip()
        if not value:
            return None
        table = Table.objects.live().by_fqn(value).first()
        if table is None:
            raise ValidationError("There is no table called “%(name)s”.", params={"name": value})
        return table

    def clean(self):
        cleaned = super().clean()
        table, column_value = cleaned.get("table"), (cleaned.get("column") or "").strip()
        column = None
        if column_value and "table" not in self.errors:
            column, problem = self._find_column(table, column_value)
            if problem:
                self.add_error("column", problem)
            elif table is None:
                cleaned["table"] = column.table
        cleaned["column"] = column
        if not (cleaned.get("name") or "").strip():
            if column is not None:
                cleaned["name"] = column.name
            elif "column" not in self.errors:
                self.add_error("name", "Name the source, or pick a column to name it after.")
        return cleaned

    @staticmethod
    def _find_column(table, value):
        """Return (column, problem) for a column picked by id (the select) or typed by name.

        Whether the column is in the table is the write path's rule (``check_source_column``).
        """
        try:
            column = Column.objects.select_related("table").filter(pk=uuid.UUID(value)).first()
        except ValueError:
            column = None
        if column is None and table is not None:
            column = Column.objects.select_related("table").filter(table=table, name=value).first()
        if column is None:
            where = f" in table {table.fqn}" if table is not None else ""
            return None, f"There is no column “{value}”{where}."
        return column, ""
