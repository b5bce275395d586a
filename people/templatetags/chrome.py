from django import template

from people import chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def cached_slugurl(context, slug: str) -> str:
    """{% slugurl %} without a query on a warm cache (people.chrome.page_link)."""
    return chrome.page_link(context, slug)
