"""Links to one view for many objects (issue 23): `reverse()` costs about 80 µs on this
machine, and a list page that links each row twice paid 1.6 ms of its CPU for 10 rows on
"Mina adepter". A view whose only argument is an integer primary key gives the same URL
around the key for every object, so it is reversed once per process (per script prefix and
URL configuration) and the key put in its place."""

from django.urls import get_script_prefix, get_urlconf, reverse

# A key no table reaches, reversed in place of the real one; found only as a whole segment.
_PLACEHOLDER = 2_147_483_629
_SPLIT: dict[tuple, tuple[str, str] | None] = {}


def pk_url(viewname: str, pk: int) -> str:
    """reverse(viewname, args=[pk]) for a view with one integer argument."""
    key = (viewname, get_script_prefix(), get_urlconf())
    if key not in _SPLIT:
        marker = f"/{_PLACEHOLDER}/"
        url = reverse(viewname, args=[_PLACEHOLDER])
        # Anything else (the key last without a slash, twice, other arguments): reverse() as
        # always.
        _SPLIT[key] = tuple(url.split(marker)) if url.count(marker) == 1 else None
    parts = _SPLIT[key]
    if parts is None or not isinstance(pk, int) or pk < 0:
        return reverse(viewname, args=[pk])
    head, tail = parts
    return f"{head}/{pk}/{tail}"
