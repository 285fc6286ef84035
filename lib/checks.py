"""Django's checks of what Tartip needs from the server it runs on (run by `migrate`, `runserver`
and `manage.py check`)."""

import pyexpat

from django.core.checks import Error, Tags, register

from lib.spreadsheets import SAFE_EXPAT, unsafe_xml_parser


@register(Tags.security)
def xml_parser_check(app_configs, **kwargs):
    """Uploaded workbooks are parsed by the standard library: its expat must refuse entity bombs."""
    if not unsafe_xml_parser():
        return []
    return [
        Error(
            f"Python's XML parser is {pyexpat.EXPAT_VERSION}: uploaded workbooks need expat "
            f"{'.'.join(map(str, SAFE_EXPAT))} or later, which refuses entity bombs.",
            hint="Run Tartip on a Python whose pyexpat.EXPAT_VERSION is that or later.",
            id="lib.E001",
        )
    ]
