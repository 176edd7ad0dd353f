from django.db.models import Max
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from arabic.numbers import format_number
from live.models import LiveCoveragePage, settled_version, version_moment
from news.models import readable_by_anyone
from pagecache.store import SITE, article_tag, tag_request

# Readers' pages poll every 15 seconds: a CDN answers them for 5, nginx for 1 (an entry
# is on screen through nginx within about a second of being posted, however many poll),
# and the page cache until an entry is posted (the coverage's tag).
UPDATES_CACHE_CONTROL = "public, max-age=0, s-maxage=5"
UPDATES_NGINX_SECONDS = "1"
# An entry id past this is no entry: no query for it.
MAX_ID_DIGITS = 18
# Changed entries rendered in one answer, the latest changes: an old or made-up `since` costs no more.
MAX_CHANGED = 50


def updates(request, coverage_id):
    """For `live.js`: the published entries that went out after entry `after`, rendered, newest first; and
    those already out that changed since `since` (an edit, a pin, a correction note), to replace in place."""
    coverage = get_object_or_404(LiveCoveragePage.objects.filter(readable_by_anyone()), pk=coverage_id)
    tag_request(request, SITE, article_tag(coverage.pk))
    after, since = request.GET.get("after", ""), request.GET.get("since", "")
    entries = coverage.published_entries()
    if after:
        if not after.isdigit() or len(after) > MAX_ID_DIGITS:
            raise Http404
        anchor = coverage.entries.published().filter(pk=int(after)).first()
        if anchor is None:
            raise Http404
        entries = entries.published_after(anchor)
    entries = list(entries.newest_first())
    changed = []
    if since:
        moment = version_moment(since)
        if moment is None:
            raise Http404
        new = [entry.pk for entry in entries]
        changed = (
            coverage.published_entries().changed_since(moment).exclude(pk__in=new).order_by("-changed_at")[:MAX_CHANGED]
        )
        changed = sorted(changed, key=lambda entry: entry.pk)
    latest_change = coverage.entries.published().aggregate(latest=Max("changed_at"))["latest"]
    response = JsonResponse(
        {
            "count": len(entries),
            "latest": entries[0].pk if entries else (int(after) if after else None),
            "open": coverage.is_open,
            "label": _("تحديثات جديدة (%(count)s)") % {"count": format_number(len(entries))},
            "html": render_to_string("live/_entries.html", {"entries": entries}, request=request),
            "version": settled_version(latest_change),
            "changed": [
                {"id": entry.pk, "html": render_to_string("live/_entry.html", {"entry": entry}, request=request)}
                for entry in changed
            ],
            "key_events": render_to_string(
                "live/_key_events.html",
                {"key_events": coverage.key_events(coverage.published_entries().filter(pinned=True))},
                request=request,
            ),
        }
    )
    response["Cache-Control"] = UPDATES_CACHE_CONTROL
    response["X-Accel-Expires"] = UPDATES_NGINX_SECONDS
    return response


def short_link(request, coverage_id):
    """`/live/<id>/`: the coverage, whatever its slug or section; its feed's ids are made of it."""
    coverage = get_object_or_404(LiveCoveragePage.objects.filter(readable_by_anyone()), pk=coverage_id)
    return HttpResponsePermanentRedirect(coverage.url)
