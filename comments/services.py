"""Reader comments: who may post, what is held back, who is told."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arabic.text import contains_any
from bounds.limits import row_id
from comments.forms import CommentForm
from comments.models import Comment, CommentSettings, CommentStatus
from comments.tasks import editors_notify
from pagecache.fragments import PUBLICATION_KEPT_SECONDS, fragment, kept
from pagecache.store import SITE, discussion_tag

logger = logging.getLogger(__name__)


POSTED_SALT = "nashir.comments.posted"


def posted_token(comment) -> str:
    """A signed token that lets the reader who just posted a comment see it while it waits."""
    return signing.dumps(comment.pk, salt=POSTED_SALT)


def posted_comment_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=POSTED_SALT, max_age=86400))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def comments_open(article, *, now=None) -> bool:
    """Open unless the article closed them, is not live, or is older than the closing age."""
    if not article.comments_open or not article.live:
        return False
    days = CommentSettings.current().close_after_days
    if days and article.first_published_at:
        return (now or timezone.now()) - article.first_published_at < timedelta(days=days)
    return True


def comment_create(*, article, parent, name: str, email: str, body: str, ip_address: str, user_agent: str) -> Comment:
    """Store a comment as spam, approved or pending, and tell the editors about a pending one."""
    comment_settings = CommentSettings.current()
    if contains_any(f"{name}\n{body}", comment_settings.blocked_words):
        status = CommentStatus.SPAM
    elif comment_settings.auto_approve_returning and Comment.objects.approved().filter(email=email).exists():
        status = CommentStatus.APPROVED
    else:
        status = CommentStatus.PENDING
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        status=status,
        ip_address=ip_address or None,
        user_agent=user_agent[:300],
    )
    if status == CommentStatus.PENDING:
        # Robust: the comment is saved; a queue too busy to take the email must not tell the reader otherwise.
        transaction.on_commit(lambda: editors_notify.enqueue(comment.pk), robust=True)
    return comment


def editor_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return sorted(set(users.filter(groups__name="Editors").values_list("email", flat=True)))


def comment_notify_editors(*, comment: Comment) -> None:
    recipients = editor_emails()
    if not recipients:
        return
    moderation_url = settings.SITE_URL + reverse("wagtailsnippets_comments_comment:edit", args=[comment.pk])
    subject = _("تعليق جديد بانتظار المراجعة: %(title)s") % {"title": comment.article.title}
    message = _("كتب %(name)s على «%(title)s»:\n\n%(body)s\n\nللمراجعة: %(url)s") % {
        "name": comment.name,
        "title": comment.article.title,
        "body": comment.body,
        "url": moderation_url,
    }
    try:
        send_mail(subject, message, None, recipients)
    except OSError:
        logger.exception("Could not email the editors about comment %s.", comment.pk)


def comment_threads(article) -> list[Comment]:
    """Approved top-level comments, oldest first, each with `.thread_replies`; one query."""
    comments = list(article.reader_comments.approved().order_by("created_at"))
    by_id = {comment.pk: comment for comment in comments}
    for comment in comments:
        comment.thread_replies = []
    top_level = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent.thread_replies.append(comment)
        elif comment.parent_id is None:
            top_level.append(comment)
    return top_level


def comment_context(*, article, request, form=None) -> dict:
    """What the article page shows of its comments: threads, count, the form, the reader's own new comment.

    `form` is a bound form to show again with the reader's text and errors. A
    preview, or an article not saved yet, shows comments but takes none.
    """
    saved = article.pk is not None and not getattr(request, "is_preview", False)
    if saved and article.live:
        threads, linkbacks = _kept_threads(article), _kept_linkbacks(article)
    else:
        threads = comment_threads(article) if article.pk else []
        linkbacks = list(article.linkbacks.approved()) if article.pk else []
    accepting = saved and comments_open(article)
    posted_id = posted_comment_id(request.GET.get("posted", "")) if saved else None
    form_html = None
    if form is None and accepting:
        reply_to = row_id(request.GET.get("reply_to", ""))
        if reply_to:
            form = _new_form(article)
            form.initial["parent"] = reply_to
        elif posted_id:
            # The kept form's stamp serves one post from each address, and this
            # reader has just used it: the page only they get has a form of its own.
            form = _new_form(article)
        else:
            form_html = _blank_form_html(article, request)
    return {
        "comment_threads": threads,
        "comment_count": sum(1 + len(comment.thread_replies) for comment in threads),
        "comments_open": accepting,
        "comment_form": form,
        "comment_form_html": form_html,
        "posted_comment": article.reader_comments.filter(pk=posted_id).first() if posted_id else None,
        "linkbacks": linkbacks,
    }


def _kept_threads(article) -> list[Comment]:
    """The published article's threads, kept until a comment on it changes (that bumps its discussion's tag).

    Rows, not HTML: their relative times are rendered with the page.
    """
    return kept(
        "comments",
        vary=[article.pk],
        tags=[SITE, discussion_tag(article.pk)],
        compute=lambda: comment_threads(article),
        seconds=PUBLICATION_KEPT_SECONDS,
    )


def _kept_linkbacks(article) -> list:
    """The published article's approved linkbacks, kept like its threads (a change bumps its discussion's tag)."""
    return kept(
        "linkbacks",
        vary=[article.pk],
        tags=[SITE, discussion_tag(article.pk)],
        compute=lambda: list(article.linkbacks.approved()),
        seconds=PUBLICATION_KEPT_SECONDS,
    )


def _new_form(article):
    return CommentForm(article=article, max_links=CommentSettings.current().max_links)


def _blank_form_html(article, request):
    """The empty comment form, the same for every reader, kept rendered (Django renders each widget from a template).

    Its signed time stamp is as old as the copy, as in a stored page: kept
    for at most half the time the guard accepts it (NASHIR_FORM_MAX_SECONDS,
    readers.input), so a page stored on top still leaves a reader time to write.
    """

    def render():
        form = _new_form(article)  # only for a render: the kept copy needs none
        return render_to_string("comments/_comment_form.html", {"form": form, "page": article, "request": request})

    seconds = max(1, min(settings.NASHIR_FRAGMENT_CACHE_SECONDS, settings.NASHIR_FORM_MAX_SECONDS // 2))
    return fragment("comment-form", vary=[article.pk], tags=[SITE], render=render, seconds=seconds)
