from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """The shape of an app's event rows (DESIGN.md: every state change appends one): when, by whom,
    and its details; the subclass adds what the event is of and its `kind` with its own choices."""

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class WorkClaim(models.Model):
    """A claim on work that leaves no row of its own, a mail above all (lib.once). In the database
    rather than the cache: a cache may drop an entry when it is full, and a dropped "done" would
    send the mail again."""

    key = models.CharField(max_length=200, unique=True)
    claimed_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    # A done claim is forgotten after this (lib.once.forget_old): nobody reruns its task that late.
    keep_until = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return self.key
