"""Forms of the lineage pages: the diagram's filters and the manual edge of a model."""

from django import forms

from catalog import fqn as fqnlib
from catalog.models import Dashboard, Tag
from lineage import edits, graph

DEPTHS = [(d, str(d)) for d in range(graph.MAX_DEPTH + 1)]
DEFAULT_DEPTH = 2


class DiagramFilterForm(forms.Form):
    """Depth up and down, kinds to show and a tag to follow; bad values fall back to the defaults."""

    up = forms.TypedChoiceField(
        label="Upstream depth", choices=DEPTHS, coerce=int, initial=DEFAULT_DEPTH, required=False
    )
    down = forms.TypedChoiceField(
        label="Downstream depth", choices=DEPTHS, coerce=int, initial=DEFAULT_DEPTH, required=False
    )
    kind = forms.MultipleChoiceField(
        label="Show", choices=list(graph.KIND_LABELS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    tag = forms.ChoiceField(label="Follow tag", required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        tags = Tag.objects.order_by("fqn").values_list("fqn", flat=True)
        self.fields["tag"].choices = [("", "any tag"), *((fqn, fqn) for fqn in tags)]

    def options(self) -> dict:
        """Return the arguments for :func:`lineage.graph.build`, defaults in place of invalid values."""
        self.is_valid()  # keeps the valid fields in cleaned_data and the messages for the others
        cleaned = self.cleaned_data
        return {
            "upstream": _or_default(cleaned.get("up"), DEFAULT_DEPTH),
            "downstream": _or_default(cleaned.get("down"), DEFAULT_DEPTH),
            "kinds": tuple(cleaned.get("kind") or graph.KINDS),
            "tag": cleaned.get("tag") or "",
        }


def _or_default(value, default):
    return default if value in (None, "") else value


def filter_form(query) -> DiagramFilterForm:
    """Return the filter form bound to a query string, with the defaults filled in for absent fields."""
    data = query.copy()
    data.setdefault("up", str(DEFAULT_DEPTH))
    data.setdefault("down", str(DEFAULT_DEPTH))
    if "kind" not in data:
        data.setlist("kind", list(graph.KINDS))
    return DiagramFilterForm(data, auto_id="lineage-filter-%s")


class ModelEdgeForm(forms.Form):
    """Link a model to a table or dashboard by the other end's fully qualified name."""

    DIRECTIONS = (("down", "The model feeds"), ("up", "Feeds the model"))

    direction = forms.ChoiceField(label="Direction", choices=DIRECTIONS, initial="down")
    target_type = forms.ChoiceField(label="Kind", choices=[("dashboard", "Dashboard"), ("table", "Table")])
    target = forms.CharField(
        label="Fully qualified name",
        max_length=3072,
        widget=forms.TextInput(attrs={"placeholder": "service.database.schema.table"}),
    )
    description = forms.CharField(label="Description", required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        model_class = edits.TARGETS.get(cleaned.get("target_type"))
        name = cleaned.get("target")
        if model_class is None or not name:
            return cleaned
        target = model_class.objects.by_fqn(fqnlib.normalise(name.strip())).first()
        if target is None:
            kind = "dashboard" if model_class is Dashboard else "table"
            self.add_error("target", f"No {kind} is named {name.strip()!r}.")
        cleaned["target_object"] = target
        return cleaned
