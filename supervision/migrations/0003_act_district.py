"""SupervisoryAct.district: the district an act concerns, filled for the acts recorded before by
the same rule the service follows (supervision.districts.act_district_id). Reversible: going back
drops the column."""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

from supervision.districts import act_district_id


def fill_districts(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    Organisation = apps.get_model("accounts", "Organisation")
    SupervisoryAct = apps.get_model("supervision", "SupervisoryAct")
    Linked = SupervisoryAct.reports.through
    parents = dict(District.objects.values_list("id", "parent_id"))
    served = defaultdict(list)
    for office_id, district_id in Organisation.districts.through.objects.values_list("organisation_id", "district_id"):
        served[office_id].append(district_id)
    reported = defaultdict(list)
    for act_id, district_id in Linked.objects.values_list("supervisoryact_id", "report__district_id"):
        reported[act_id].append(district_id)
    by_district = defaultdict(list)
    for act_id, office_id in SupervisoryAct.objects.values_list("id", "issuing_office_id").iterator(chunk_size=2000):
        district_id = act_district_id(
            report_district_ids=reported.get(act_id, ()),
            office_district_ids=served.get(office_id, ()),
            parents=parents,
        )
        if district_id is not None:
            by_district[district_id].append(act_id)
    for district_id, act_ids in by_district.items():
        for start in range(0, len(act_ids), 500):
            SupervisoryAct.objects.filter(id__in=act_ids[start : start + 500]).update(district_id=district_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_audit_mac_chain"),
        ("supervision", "0002_act_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisoryact",
            name="district",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.district",
                verbose_name="district",
            ),
        ),
        migrations.RunPython(fill_districts, migrations.RunPython.noop, elidable=True),
    ]
