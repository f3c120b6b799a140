"""The forms of an editor's decision: what they decide (verify, dispute, keep unverified),
the note, the verification checklist and, for a dispute, its reason. The services validate
all of it again and refuse what they must; these forms only collect it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.choices import CHECK_QUESTIONS, CheckItem, CheckResult, ClaimStatus, DisputeReason
from lootwatch import text_limits

# What an editor may decide on a claim in each status. Deciding "unverified" on an
# unverified claim keeps it so, with a note (claims.services.keep_unverified).
DECISIONS = {
    ClaimStatus.UNVERIFIED: [
        (ClaimStatus.VERIFIED, _("Verify")),
        (ClaimStatus.DISPUTED, _("Dispute")),
        (ClaimStatus.UNVERIFIED, _("Keep unverified: nobody could confirm it")),
    ],
    ClaimStatus.VERIFIED: [
        (ClaimStatus.DISPUTED, _("Dispute")),
        (ClaimStatus.UNVERIFIED, _("Back to unverified")),
    ],
    ClaimStatus.DISPUTED: [
        (ClaimStatus.VERIFIED, _("Verify")),
        (ClaimStatus.UNVERIFIED, _("Back to unverified")),
    ],
}

NOTE_HELP = _("What you checked and what it showed. Kept on record with your name.")


class ChecklistForm(forms.Form):
    """The note, the checklist (one choice per check, "not checked" unless the editor says
    otherwise) and the dispute reason, shared by one decision and a bulk decision."""

    note = forms.CharField(
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        help_text=NOTE_HELP,
    )
    dispute_reason = forms.ChoiceField(
        choices=[("", _("— choose the reason —")), *DisputeReason.choices],
        required=False,
        help_text=_("Required for a dispute."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in CheckItem:
            self.fields[item.value] = forms.ChoiceField(
                label=item.label,
                choices=CheckResult.choices,
                initial=CheckResult.NOT_CHECKED,
                widget=forms.RadioSelect,
                required=False,
                help_text=CHECK_QUESTIONS[item],
            )

    def checklist_fields(self):
        return [self[item] for item in CheckItem.values]

    def checklist(self):
        """The checks as the services take them: item → result, unanswered ones left out."""
        return {
            item: self.cleaned_data[item]
            for item in CheckItem.values
            if self.cleaned_data.get(item)
        }

    def dispute_reason_for(self, to_status):
        # A reason picked before switching to "verify" is not meant for the verification.
        return self.cleaned_data["dispute_reason"] if to_status == ClaimStatus.DISPUTED else ""


class DecisionForm(ChecklistForm):
    """One decision on one claim, at the version the editor saw."""

    to_status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["to_status", "note", "dispute_reason"]

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = DECISIONS[claim.status]


class BulkDecisionForm(ChecklistForm):
    """One decision (given by the bulk action) on several claims."""
