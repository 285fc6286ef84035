from django.db import models


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
