from django.db import OperationalError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments.forms import CommentForm
from comments.models import CommentSettings
from comments.services import comment_create, comments_open, posted_token
from news.models import ArticlePage
from operations.clients import client_ip
from operations.database import database_busy
from readers.input import (
    DATABASE_BUSY_MESSAGE,
    reader_form_view,
    retry_later,
    submission_rate_limited,
)


@reader_form_view
@require_POST
def comment_post(request, article_id):
    article = get_object_or_404(ArticlePage.objects.published(), pk=article_id)
    ip_address = client_ip(request)
    form = CommentForm(
        request.POST, article=article, max_links=CommentSettings.current().max_links, client_address=ip_address
    )
    if not comments_open(article):
        form.is_valid()
        form.add_error(None, _("التعليقات على هذا الخبر مغلقة."))
        return _show_again(request, article, form)
    if not form.is_valid():
        return _show_again(request, article, form)
    if form.is_spam():
        # Tell a robot nothing: it sees what a reader would.
        return HttpResponseRedirect(f"{article.url}#comments")
    if submission_rate_limited("comment", ip_address=ip_address, email=form.cleaned_data["email"]):
        form.add_error(None, _("أرسلت تعليقات كثيرة في وقت قصير. انتظر قليلًا ثم أعد المحاولة؛ احتفظنا بما كتبته."))
        return _show_again(request, article, form, status=429)
    try:
        comment = comment_create(
            article=article,
            parent=form.cleaned_data["parent"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            ip_address=ip_address,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except OperationalError as error:
        if not database_busy(error):
            raise
        form.add_error(None, DATABASE_BUSY_MESSAGE)
        return retry_later(_show_again(request, article, form))
    return HttpResponseRedirect(f"{article.url}?posted={posted_token(comment)}#comment-{comment.pk}")


def _show_again(request, article, form, status=400):
    """The article page again, with the form, the reader's text and the errors next to the fields."""
    response = article.serve(request, comment_form=form)
    response.status_code = status
    return response
