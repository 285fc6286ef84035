"""The board's submitted metrics and their consistency rules (issue 16): the figures the districts
submit each month, as the administrator would add them; editable and retirable in the admin."""

from django.db import migrations

METRICS = (
    # code, unit, area, order, rise is good, en, ru, kk
    ("prosecution.cases_in_court", "count", "prosecution", 10, None,
     "Cases in which the state prosecution was supported in court",
     "Дела, по которым поддержано государственное обвинение в суде",
     "Сотта мемлекеттік айыптау қолдау тапқан істер"),
    ("prosecution.verdicts", "count", "prosecution", 11, None,
     "Verdicts delivered", "Вынесено приговоров", "Шығарылған үкімдер"),
    ("prosecution.convicted", "persons", "prosecution", 12, None,
     "Persons convicted", "Осуждено лиц", "Сотталған адамдар"),
    ("prosecution.imprisoned", "persons", "prosecution", 13, None,
     "Persons sentenced to imprisonment", "Осуждено к лишению свободы", "Бас бостандығынан айыруға сотталғандар"),
    ("public_interests.assessed", "tenge", "public_interests", 10, True,
     "Fines and damages assessed", "Начислено штрафов и ущерба", "Есептелген айыппұлдар мен залал"),
    ("public_interests.recovered", "tenge", "public_interests", 11, True,
     "Fines and damages recovered", "Взыскано штрафов и ущерба", "Өндірілген айыппұлдар мен залал"),
    ("budget.reimbursed", "tenge", "budget", 10, True,
     "Budget funds reimbursed", "Возмещено бюджетных средств", "Өтелген бюджет қаражаты"),
    ("budget.to_state_budget", "tenge", "budget", 11, True,
     "Of which to the state budget", "В том числе в государственный бюджет", "Оның ішінде мемлекеттік бюджетке"),
)  # fmt: skip
RULES = (
    ("prosecution.verdicts", "prosecution.cases_in_court"),
    ("prosecution.imprisoned", "prosecution.convicted"),
    ("public_interests.recovered", "public_interests.assessed"),
    ("budget.to_state_budget", "budget.reimbursed"),
)


def add(apps, schema_editor):
    Metric = apps.get_model("reporting", "Metric")
    MetricRule = apps.get_model("reporting", "MetricRule")
    rows = {}
    for code, unit, area, order, rise, en, ru, kk in METRICS:
        rows[code], _created = Metric.objects.get_or_create(
            code=code,
            defaults={
                "unit": unit, "area": area, "order": order, "rise_is_good": rise, "kind": "flow",
                "aggregation": "sum", "source": "submitted", "name_en": en, "name_ru": ru, "name_kk": kk,
            },
        )  # fmt: skip
    for lesser, greater in RULES:
        MetricRule.objects.get_or_create(lesser=rows[lesser], greater=rows[greater])


def remove(apps, schema_editor):
    Metric = apps.get_model("reporting", "Metric")
    Metric.objects.filter(code__in=[row[0] for row in METRICS], source="submitted").delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0005_metric_rules")]
    operations = [migrations.RunPython(add, remove)]
