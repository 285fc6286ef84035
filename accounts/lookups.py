"""Cached lookups of reference data read on every submission (see lib.cache): districts, the regions' time zones."""

from lib.cache import process_cached

from .models import District, Organisation, Region

# Districts change by load_reference or in the admin, rarely: each process keeps them this long.
CACHE_SECONDS = 60


@process_cached(seconds=CACHE_SECONDS, models=[District, Region])
def cached_districts() -> dict:
    """Every district with its region, by KATO code and by primary key (shared: never modify).
    The shape (boundary) is left out: signals.geo keeps its own prepared shapes."""
    districts = list(District.objects.select_related("region").defer("boundary"))
    return {"kato": {d.kato: d for d in districts}, "pk": {d.pk: d for d in districts}}


def district_by_kato(kato: str) -> District | None:
    return cached_districts()["kato"].get(kato)


def district_by_pk(pk: int) -> District | None:
    return cached_districts()["pk"].get(pk)


@process_cached(seconds=CACHE_SECONDS, models=[Region, Organisation])
def cached_zone_names() -> dict:
    """The time zone names of the regions by primary key, and each organisation's region
    (accounts.zones reads them on every page: no query per request; shared: never modify)."""
    return {
        "regions": dict(Region.objects.values_list("pk", "time_zone")),
        "organisations": dict(Organisation.objects.exclude(region=None).values_list("pk", "region_id")),
    }
