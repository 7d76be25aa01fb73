"""The forms of the participation pages. They collect input and say what is missing; the
services (:mod:`wijkbalans.participation.services`) decide what is valid, and their
refusals are shown at the field they name (``common.show_error``). Field names are the
services' argument names.

Texts have no ``maxlength`` in the page: a browser would cut a pasted text short without
a word. The service says how long it may be and how long it is, and the text stays in the
field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _  # as ``_``: makemessages finds it

from ..models import Outcome


def _text(label, *, required_message, rows: int = 5, help_text="", required: bool = True):
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": required_message})


# -- residents --------------------------------------------------------------------------

class RegisterForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text=_("We send a link to this address to confirm it is yours."),
        error_messages={"required": _("Fill in your e-mail address, such as "
                                          "naam@voorbeeld.nl.")})
    postcode = forms.CharField(
        label=_("Postcode"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": "8"}),
        help_text=_("Four digits and two letters, such as 9712 CP. With it we check in "
                        "which neighbourhood you may vote."),
        error_messages={"required": _("Fill in your postcode: four digits and two "
                                          "letters, such as 9712 CP.")})
    password = forms.CharField(
        label=_("Password"), strip=False,
        # Shown again after an error elsewhere in the form, so nothing typed is lost; the
        # view empties it when the password itself was refused. Pages with a posted form
        # are sent with "Cache-Control: no-store".
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. A few words in a row are easy to remember "
                        "and hard to guess."),
        error_messages={"required": _("Choose a password of at least 8 characters.")})


class LoginForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Fill in your e-mail address, such as "
                                          "naam@voorbeeld.nl.")})
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Fill in your password.")})


class EmailForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Fill in your e-mail address, such as "
                                          "naam@voorbeeld.nl.")})


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("New postcode"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": "8"}),
        help_text=_("Four digits and two letters, such as 9712 CP."),
        error_messages={"required": _("Fill in your postcode: four digits and two "
                                          "letters, such as 9712 CP.")})


# -- what residents write ---------------------------------------------------------------

class CommentForm(forms.Form):
    text = _text(_("Your comment or question"), rows=5,
                 help_text=_("At most 2,000 characters. Everyone can read it."),
                 required_message=_("Write your comment or question first."))


class FlagForm(forms.Form):
    reason = _text(_("What is wrong with it? (optional)"), rows=3, required=False,
                   help_text=_("At most 300 characters. Only the moderators read it."),
                   required_message="")


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), help_text=_("A short name for your idea (at most 200 "
                                              "characters)."),
        error_messages={"required": _("Give your proposal a title.")})
    text = _text(_("Your proposal"), rows=8,
                 help_text=_("What do you want, where, and why? At most 5,000 "
                                 "characters."),
                 required_message=_("Describe your proposal."))
    area = forms.ChoiceField(
        label=_("For which area?"),
        help_text=_("You can make a proposal for the areas your postcode lies in."),
        error_messages={"required": _("Choose the area your proposal is for."),
                        "invalid_choice": _("Choose one of the areas in the list.")})

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "—"), *areas]


# -- moderation and outcomes ------------------------------------------------------------

class HideForm(forms.Form):
    reason = _text(_("Reason for hiding"), rows=3,
                   help_text=_("The author reads this reason. Name the rule it breaks."),
                   required_message=_("Say why you hide it; the author reads this "
                                          "reason."))


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What became of it?"), choices=Outcome.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what became of it.")})
    text = _text(_("What we did"), rows=5,
                 help_text=_("In plain words, for the residents: what was done with "
                                 "their input."),
                 required_message=_("Say what was done with it."))
    activity = forms.ChoiceField(
        label=_("Activity in the programme register"), required=False,
        help_text=_("The activity it became, if any. Residents follow the link to it."))
    reason = _text(_("Reason why not"), rows=3, required=False,
                   help_text=_("Required when it is not adopted: residents read why."),
                   required_message="")

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {a.code: a for a, _depth in activities}
        self.fields["activity"].choices = [("", _("none"))] + [
            (a.code, f"{'· ' * depth}{a.title} ({a.code})") for a, depth in activities]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"status": data["status"], "text": data["text"], "reason": data["reason"],
                "activity": self.activities.get(data["activity"])}
