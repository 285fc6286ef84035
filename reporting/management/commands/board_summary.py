"""python manage.py board_summary --from 2025-01-01 --to 2025-09-30 [--as-of DATE]
[--base-from DATE --base-to DATE] [--district KATO ...] [--region KATO] [--user USERNAME]
--lang kk|ru|en --format txt|json|html|pdf|docx|xlsx --output FILE (- for standard output)

A PDF, DOCX or XLSX is the summary's document (reporting.documents): computed here, not a
published version, so it says "Draft" on every page."""

import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Region
from reporting import policy
from reporting.documents import FORMATS, build, render
from reporting.figures import Figure, Part, Request, Summary, SummaryError, compute, parse_day
from reporting.output import summary_html, summary_text
from reporting.selectors import summary_request

LANGUAGES = ("kk", "ru", "en")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _part(part: Part | None) -> dict | None:
    if part is None:
        return None
    return {
        "key": part.key,
        "label": part.label,
        "value": _plain(part.value),
        "base": _plain(part.base),
        "change_percent": _plain(part.change_percent),
        "rate_per_10000": _plain(part.rate),
    }


def figure_json(figure: Figure) -> dict:
    return {
        "code": figure.code,
        "version": figure.version,
        "name": figure.name,
        "unit": figure.unit,
        "kind": figure.kind,
        "area": figure.area,
        "source": figure.source,
        "parent": figure.parent or None,
        "hedging": figure.hedging,
        "rise_is_good": figure.rise_is_good,
        "value": _plain(figure.value),
        "base": _plain(figure.base),
        "change": _plain(figure.change),
        "change_percent": _plain(figure.change_percent),
        "z": figure.z,
        "within_normal_variation": figure.within_normal_variation,
        "rate_per_10000": _plain(figure.rate),
        "base_rate_per_10000": _plain(figure.base_rate),
        "by_district": [_part(part) for part in figure.by_district],
        "best": _part(figure.best),
        "worst": _part(figure.worst),
        "by": {dimension: [_part(part) for part in parts] for dimension, parts in figure.by.items()},
        "note": figure.note,
    }


def summary_json(summary: Summary) -> dict:
    request = summary.request
    return {
        "region": request.region.kato if request.region is not None else None,
        "period": request.period.as_dict(),
        "as_of": request.as_of.isoformat(),
        "base": request.base.as_dict(),
        "base_as_of": request.base_as_of.isoformat(),
        "districts": None if request.district_ids is None else len(request.district_ids),
        "statements": summary.statements,
        "notes": summary.notes,
        "figures": [figure_json(figure) for figure in summary.figures],
    }


class Command(BaseCommand):
    help = "Compute the results summary's figures for a period from the records, beside its comparison base."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day of the period (2025-01-01)")
        parser.add_argument("--to", dest="end", required=True, help="last day of the period (2025-09-30)")
        parser.add_argument("--as-of", help="the data as they stood at the end of this day (default: today)")
        parser.add_argument("--base-from", help="first day of the comparison base (default: a year earlier)")
        parser.add_argument("--base-to", help="last day of the comparison base")
        parser.add_argument("--district", nargs="*", default=[], help="KATO codes of districts (default: all)")
        parser.add_argument("--region", help="KATO code of the region (default: the only one)")
        parser.add_argument("--national", action="store_true", help="every region, broken down by region")
        parser.add_argument("--user", help="compute as this user, within their remit (default: the administrator)")
        parser.add_argument("--lang", choices=LANGUAGES, default="ru")
        parser.add_argument(
            "--format",
            choices=("txt", "json", "html", *FORMATS),
            default="txt",
            help="txt, json or html; pdf, docx or xlsx: the summary's document, marked as a draft",
        )
        parser.add_argument("--output", default="-", help="a file, or - for standard output")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            try:
                summary = self._compute(options)
            except (SummaryError, ValidationError, PermissionDenied) as error:
                raise CommandError(" ".join(getattr(error, "messages", None) or [str(error)])) from None
            if options["format"] in FORMATS:
                return self._write_document(summary, options)
            if options["format"] == "json":
                text = json.dumps(summary_json(summary), ensure_ascii=False, indent=2) + "\n"
            elif options["format"] == "html":
                text = summary_html(summary, options["lang"])
            else:
                text = summary_text(summary, options["lang"])
        if options["output"] == "-":
            self.stdout.write(text, ending="")
        else:
            with open(options["output"], "w", encoding="utf-8") as output:
                output.write(text)

    def _write_document(self, summary: Summary, options) -> None:
        """The document to the file, or to standard output as bytes (a terminal's text stream
        cannot take them: then the file must be named)."""
        content = render(build(summary, options["lang"], draft=True), options["format"])
        if options["output"] != "-":
            with open(options["output"], "wb") as output:
                output.write(content)
            return
        binary = getattr(self.stdout._out, "buffer", None)
        if binary is None:
            raise CommandError(
                _("A %(format)s file is binary: name a file with --output.") % {"format": options["format"]}
            )
        self.stdout.flush()
        binary.write(content)
        binary.flush()

    def _compute(self, options) -> Summary:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).select_related("organisation").first()
            if user is None:
                raise CommandError(_("No user is named %(name)s.") % {"name": options["user"]})
        region = None
        if options["region"]:
            region = Region.objects.filter(kato=options["region"]).first()
            if region is None:
                raise CommandError(_("No region has the KATO code %(codes)s.") % {"codes": options["region"]})
        days = {name: parse_day(options[name]) if options[name] else None for name in ("as_of", "base_from", "base_to")}
        period = {"start": parse_day(options["start"]), "end": parse_day(options["end"]), "as_of": days["as_of"]}
        period.update(base_start=days["base_from"], base_end=days["base_to"])
        if not options["national"]:
            return compute(summary_request(user, region=region, katos=options["district"], **period))
        if not policy.may_compute_national(user):
            raise CommandError(_("Only an administrator computes the national summary."))
        request = Request.make(region=None, **period)
        return compute(request)
