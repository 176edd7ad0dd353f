"""What the view counter adds to the article page (news' `article_page_parts`)."""

from wagtail import hooks


@hooks.register("article_page_parts")
def article_beacon():
    # The script counts a read once the page is shown; the pixel does for readers without JavaScript.
    return [
        ("head", "readership/_article_beacon_script.html", "article"),
        ("after_article", "readership/_article_beacon.html", "article"),
        # What else readers read today, in the article's aside.
        ("aside", "readership/_article_most_read.html"),
    ]
