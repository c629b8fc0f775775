from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from events.templatetags.events_tags import latest_news, upcoming_events

from kyoso_site import fragments

register = template.Library()

UPCOMING = "events/includes/upcoming_events.html"
NEWS = "events/includes/latest_news.html"


@register.simple_tag(takes_context=True)
def home_events_and_news(context, count: int = 3) -> str:
    """The home page's upcoming events and latest news (the events app's own
    sections), rendered once per language and content version into the
    fragment cache, and again once the first listed event has ended."""

    def build() -> tuple[str, float | None]:
        events = upcoming_events(context, count)
        news = latest_news(context, count)
        html = render_to_string(UPCOMING, events) + "\n" + render_to_string(NEWS, news)
        ends = [event.end.timestamp() for event in events["events"]]
        return mark_safe(html), (min(ends) if ends else None)  # noqa: S308 (rendered templates)

    return fragments.of(context).cached_until("home_events_news", count, build=build)
