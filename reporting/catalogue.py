"""The catalogue's computed rows, kept in step with the metrics the apps declare (lib.metrics).

`sync` runs after every `migrate` (reporting.apps): a new metric gets its row, names and
definitions in kk/ru/en from the code's translations; a changed one its code-owned fields (unit,
area, flow or stock, how it adds up, whether a rise is good, parent, dimensions, definition and
version); the administrator's names, hedging and order stay as they were edited. A metric no
longer declared is retired, never deleted; declared again, it comes back.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from lib.metrics import Consistency, MetricGroup, Source, SubmittedMetric
from lib.metrics import Metric as Declared
from lib.plugins import metric_groups, summary_sentences

from .models import FIRST_DAY, Metric, MetricReading, MetricRule, SentenceTemplate

LANGUAGES = ("kk", "ru", "en")


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    retired: int = 0


def declared_metrics() -> dict[str, tuple[MetricGroup, Declared]]:
    """code -> (group, metric) of every metric the installed apps declare."""
    return {metric.code: (group, metric) for group in metric_groups() for metric in group.metrics}


def _in_each_language(text) -> dict[str, str]:
    values = {}
    for language in LANGUAGES:
        with translation.override(language):
            values[language] = str(text)
    return values


def _code_owned(group: MetricGroup, metric: Declared) -> dict:
    definitions = _in_each_language(metric.definition)
    return {
        "unit": metric.unit,
        "area": metric.area,
        "kind": group.kind,
        "aggregation": metric.aggregation,
        "rise_is_good": metric.rise_is_good,
        "source": Source.COMPUTED,
        "group": group.name,
        "dimensions": list(metric.dimensions),
        "version": metric.version,
        "retired_at": None,
        **{f"definition_{language}": text for language, text in definitions.items()},
    }


def _adopted(declared: dict, using: str) -> dict[str, Metric]:
    """The submitted or imported rows whose code an app now computes (state prosecution, once the
    office keeps its cases in Tartip): they become computed rows, with a reading rule from the first
    day a summary may name that keeps the summary reading their old source, so that nothing read
    changes until the administrator says from which day the records are read instead."""
    adopted = {}
    held = Metric.objects.using(using).filter(code__in=list(declared)).exclude(source=Source.COMPUTED)
    for row in held:
        # The code's hedging once, as for a new row; the administrator's names and order stay.
        row.hedging = declared[row.code][1].hedging
        row.save(using=using, update_fields=["hedging"])
        if not row.readings.using(using).exists():
            MetricReading.objects.using(using).create(metric=row, starts_on=FIRST_DAY, source=row.source)
        adopted[row.code] = row
    return adopted


@transaction.atomic
def sync(*, using: str = "default") -> SyncResult:
    result = SyncResult()
    declared = declared_metrics()
    rows = {row.code: row for row in Metric.objects.using(using).filter(source=Source.COMPUTED)}
    rows.update(_adopted(declared, using))
    for code, (group, metric) in declared.items():
        values = _code_owned(group, metric)
        row = rows.get(code)
        if row is None:
            names = {f"name_{language}": text for language, text in _in_each_language(metric.name).items()}
            rows[code] = Metric.objects.using(using).create(
                code=code, hedging=metric.hedging, order=metric.order, **names, **values
            )
            result.created += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save(using=using)
            result.updated += 1
    for code, (_group, metric) in declared.items():  # parents once every row exists
        parent = rows.get(metric.parent) if metric.parent else None
        if rows[code].parent_id != (parent.pk if parent else None):
            rows[code].parent = parent
            rows[code].save(using=using, update_fields=["parent"])
    gone = [row.pk for code, row in rows.items() if code not in declared and row.retired_at is None]
    result.retired = Metric.objects.using(using).filter(pk__in=gone).update(retired_at=timezone.now())
    sync_sentences(using=using)
    return result


def sync_sentences(*, using: str = "default") -> None:
    """The apps' sentences (lib.plugins.summary_sentences): a new one gets its row with the code's
    texts and order, its area kept in step; the secretary's texts and order stay as edited; one no
    longer declared is retired, and comes back when declared again."""
    declared = {sentence.code: sentence for sentence in summary_sentences()}
    rows = {row.code: row for row in SentenceTemplate.objects.using(using).all()}
    for code, sentence in declared.items():
        row = rows.get(code)
        if row is None:
            SentenceTemplate.objects.using(using).create(
                code=code,
                area=sentence.area,
                order=sentence.order,
                **{f"text_{language}": getattr(sentence, language) for language in LANGUAGES},
            )
        elif row.area != sentence.area or row.retired_at is not None:
            row.area, row.retired_at = sentence.area, None
            row.save(using=using, update_fields=["area", "retired_at"])
    gone = [row.pk for code, row in rows.items() if code not in declared and row.retired_at is None]
    SentenceTemplate.objects.using(using).filter(pk__in=gone).update(retired_at=timezone.now())


def submitted() -> tuple[list[SubmittedMetric], list[Consistency]]:
    """The metrics the districts submit (current catalogue rows of source "submitted"), in the
    active language and the catalogue's order, with the rules between them (lib.plugins'
    `catalogue_reader`: supervision's submissions read them so)."""
    # Those of source "submitted", and the computed ones a reading rule has read from submissions.
    rows = (
        Metric.objects.current()
        .filter(Q(source=Source.SUBMITTED) | Q(readings__source=Source.SUBMITTED))
        .distinct()
        .order_by("area", "order", "code")
    )
    metrics = [SubmittedMetric(code=row.code, name=row.name, unit=row.unit, order=row.order) for row in rows]
    codes = {metric.code for metric in metrics}
    rules = [
        Consistency(lesser=lesser, greater=greater)
        for lesser, greater in MetricRule.objects.values_list("lesser__code", "greater__code")
        if lesser in codes and greater in codes
    ]
    return metrics, rules
