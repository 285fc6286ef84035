"""Django's own strings that Tartip's catalogues supply, named here so `make messages` keeps them.

Django's Kazakh catalogue lacks the durations of django.utils.timesince ("2 years, 9 months"), which
the pages show; locale/kk gives them ("2 жыл 9 ай": the noun stays singular after a number, the
parts are joined without a comma). makemessages drops an entry no source names, so the msgids are
repeated here exactly as django/utils/timesince.py writes them. Nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext_lazy

TIMESINCE_STRINGS = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)
# The separator between the parts of a duration.
TIMESINCE_SEPARATOR = gettext_noop(", ")
