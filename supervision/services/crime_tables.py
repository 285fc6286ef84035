"""Aggregated crime tables imported: a month's table (cumulative from 1 January) read by its
mapping, kept, and turned into the month's figures, each column's value less the same column's in
the month before (January's are its own). A month imported again replaces its figures and those
of the month after it, whose figures depend on it; the replaced ones are kept with the moment
(a summary as of an earlier day reads what was known then), and what changed is kept figure by
figure. A table with any bad cell is refused whole, each cell's problem named: nothing is saved.

The tables are a few dozen rows: read in the request, not by a worker.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import District, Region
from accounts.zones import local_today
from lib import tables
from lib.metrics import Source
from lib.plugins import metric_groups

from .. import crimetable
from ..models import CrimeTableImport, MonthlyFigure
from ..scoping import may_import_crime
from .crime import caps

IMPORTED = Source.IMPORTED


def _region(actor) -> Region:
    if not may_import_crime(actor):
        raise PermissionDenied(_("Your role does not import crime statistics."))
    region = actor.organisation.region if actor.organisation_id else None
    if region is None:
        raise PermissionDenied(_("Your organisation belongs to no region."))
    return region


def known_codes() -> frozenset[str]:
    """The metrics Tartip computes: those a table's columns may fill."""
    return frozenset(metric.code for group in metric_groups() for metric in group.metrics)


def _previous(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def _next(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _current(region: Region, month: date) -> CrimeTableImport | None:
    return CrimeTableImport.objects.filter(region=region, month=month, replaced_at__isnull=True).first()


def _problems_error(problems: list) -> ValidationError:
    messages = [
        (f"{cell}: " if cell else "") + (_(message) % params if params else _(message))
        for cell, message, params in problems
    ]
    return ValidationError({"file": messages})


def crime_table_import(*, actor, upload, mapping: crimetable.Mapping, month: date) -> CrimeTableImport:
    """The month's table read by `mapping` and made the month's figures (module doc); a
    ValidationError naming every bad cell, and nothing saved, when it cannot be."""
    region = _region(actor)
    month = month.replace(day=1)
    if month > local_today(region).replace(day=1):
        raise ValidationError({"month": _("The month has not begun yet.")})
    previous = None
    if month.month > 1:
        previous = _current(region, _previous(month))
        if previous is None:
            raise ValidationError(
                {
                    "month": _(
                        "The tables are cumulative from 1 January: import %(previous)s first, so that this month's "
                        "figures can be told from the months before."
                    )
                    % {"previous": _previous(month).strftime("%m.%Y")}
                }
            )
    try:
        layout = tables.read_layout(upload, caps())
        with_header = [(number, cells) for number, cells in tables.rows(upload, layout)]
        katos = dict(District.objects.filter(region=region).values_list("kato", "pk"))
        table = crimetable.read(with_header, layout.header, mapping, set(katos), region.kato)
    except tables.TableFileError as error:
        raise ValidationError({"file": error.text()}) from None
    if table.problems:
        raise _problems_error(table.problems)
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()  # one import of a region at a time
        now = timezone.now()
        earlier = _current(region, month)
        if earlier is not None:
            CrimeTableImport.objects.filter(pk=earlier.pk).update(replaced_at=now)
        made = CrimeTableImport.objects.create(
            region=region,
            month=month,
            mapping_name=mapping.name[:200],
            original_name=(upload.name or "")[-255:],
            cumulative=table.cumulative,
            changes=_changes(earlier.cumulative if earlier else {}, table.cumulative),
            uploaded_by=actor,
            imported_at=now,
        )
        _figures(made, previous, katos, now)
        following = _current(region, _next(month))
        if following is not None:  # its figures were told from the table this one replaces
            _figures(following, made, katos, now)
    return made


def _changes(before: dict, after: dict) -> list[dict]:
    changes = []
    for kato in sorted(set(before) | set(after)):
        for code in sorted(set(before.get(kato, {})) | set(after.get(kato, {}))):
            old, new = before.get(kato, {}).get(code), after.get(kato, {}).get(code)
            if old != new:
                changes.append({"district": kato, "code": code, "before": old, "after": new})
    return changes


def _figures(table: CrimeTableImport, previous: CrimeTableImport | None, katos: dict, now) -> None:
    """The month's figures from its table less the month before's, the month's earlier ones replaced."""
    MonthlyFigure.objects.filter(
        region_id=table.region_id, month=table.month, source=IMPORTED, replaced_at__isnull=True
    ).update(replaced_at=now)
    before = previous.cumulative if previous is not None else {}
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            region_id=table.region_id,
            district_id=katos[kato],
            code=code,
            month=table.month,
            value=value - before.get(kato, {}).get(code, 0),
            source=IMPORTED,
            table_import=table,
            recorded_at=now,
        )
        for kato, figures in table.cumulative.items()
        for code, value in figures.items()
    )
