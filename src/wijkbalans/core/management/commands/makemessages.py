"""``makemessages`` that also finds ``_lazy(...)``: forms and models import
``gettext_lazy as _lazy`` beside ``gettext as _``, and xgettext only knows the names
Django gives it."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
