from django import template

from core.links import pk_url as _pk_url

register = template.Library()


@register.simple_tag
def pk_url(viewname: str, pk: int) -> str:
    """{% pk_url "app:view" object.pk %}: {% url %} for a view with one integer key, for
    lists (core.links)."""
    return _pk_url(viewname, pk)
