"""`{% highlight_link record %}`: on a record's page (a case, an act, a project, a facility), the link
to write a highlight about it, for the prosecutors. The page is shown only to those who read the
record, so a prosecutor reading it may write about it (supervision.highlights.may_write) and no
query is needed to say so."""

from django import template

from ..highlights import may_write_any, record_kind

register = template.Library()


@register.inclusion_tag("supervision/_highlight_link.html", takes_context=True)
def highlight_link(context, record):
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = record is not None and user is not None and may_write_any(user)
    return {"shown": shown, "kind": record_kind(record) if shown else "", "pk": getattr(record, "pk", None)}
