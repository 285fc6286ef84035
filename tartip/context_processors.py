"""What every page's templates may read of the project's settings."""

from django.conf import settings


def map_tiles(request) -> dict:
    """The tile server under the maps (templates/includes/map_tiles.html hands it to
    js/map-tiles.js); empty when none is configured."""
    if not settings.MAP_TILES_URL:
        return {"map_tiles": None}
    return {"map_tiles": {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}}
