"""Forms of a model version's page: move an alias here, change the status, decide on a request.

They only parse what was typed; the rules (what an alias may be called, who
may approve, that a rejection says why) are ``catalog.services.modelversions``'s
and reach the form through ``attach_service_errors``.
"""

from django import forms

from catalog.models import LifecycleStatus


class ModelVersionForm(forms.Form):
    def __init__(self, *args, prefix_id: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)


class AliasForm(ModelVersionForm):
    alias = forms.CharField(
        max_length=64, help_text="champion, challenger… An alias on another version moves here.", strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_id="alias", **kwargs)


class StatusForm(ModelVersionForm):
    status = forms.ChoiceField(choices=LifecycleStatus.choices)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Why, for the record.")

    def __init__(self, *args, gated=(), may_approve=False, **kwargs):
        super().__init__(*args, prefix_id="status", **kwargs)
        note = "approve" if may_approve else "needs approval"
        self.fields["status"].choices = [
            (value, f"{label} ({note})" if value in gated else label) for value, label in LifecycleStatus.choices
        ]


class ReviewForm(ModelVersionForm):
    APPROVE, REJECT = "approve", "reject"

    #: Sent by the button pressed, Approve or Reject.
    decision = forms.ChoiceField(choices=[(APPROVE, "Approve"), (REJECT, "Reject")])
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required to reject.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_id="review", **kwargs)
