# Notifications written and mailed once though their task runs twice (accounts.notifications,
# accounts.mail): what a notification is about (one per user), the claim on its mail and its sending.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="key",
            field=models.CharField(blank=True, max_length=100, verbose_name="what it is about"),
        ),
        migrations.AddField(
            model_name="notification",
            name="mail_claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mail claimed"),
        ),
        migrations.AddField(
            model_name="notification",
            name="mailed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mailed"),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("key", ""), _negated=True),
                fields=("user", "key"),
                name="notification_once_per_key",
            ),
        ),
    ]
