"""An editor writes stories in the real Wagtail admin, with its own widgets, and readers see them.

Each story is written as a newcomer would: from the dashboard's «مقال جديد», typing
into the fields, choosing a desk or creating the author in the byline's chooser,
uploading a photo through the image chooser, picking a go-live time in the admin's
date picker. Each runs in a browser whose language is Arabic and in one whose
language is English, where the editor has also chosen English for the admin (it
follows each editor's choice; the site stays Arabic). The reader's pages are then
parsed: title, byline, images and their alt text, date.

Headless Debian Chromium driven by Playwright, against the live test server.
"""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from arabic.dates import format_date
from news.factories import SectionPageFactory
from news.models import ArticlePage, Author, Desk
from testing.helpers import PASSWORD, prefer_language
from tests_browser.steps import look_over, needs_chromium

LOCALES = ["ar", "en-US"]
# What the admin's own buttons say in each browser language.
SCHEDULE_TO_PUBLISH = {"ar": "جدولة للنشر", "en-US": "Schedule to publish"}
PUBLISH = {"ar": "نشر", "en-US": "Publish"}

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_chromium,
]


@pytest.fixture
def browser(browser_of_its_own):
    return browser_of_its_own


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A JPEG as a camera would give it (drawn here: no one's photo is copied into the tests)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1000), (196, 164, 120))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 80):
        draw.rectangle([x, 300, x + 50, 1000], fill=(120, 80, 50))
    path = tmp_path_factory.mktemp("uploads") / "IMG_2041.jpg"
    image.save(path, quality=85)
    return path


@pytest.fixture
def editor(editor, locale):
    """The root conftest.py's editor; in the English browser one who chose English for the admin (it follows that)."""
    if locale != "ar":
        prefer_language(editor, "en")
    return editor


@pytest.fixture
def world(home):
    return SectionPageFactory(parent=home, title="العالم")


@pytest.fixture
def desk(db):
    return Desk.objects.create(name="قسم الأخبار")


# Helpers: what the editor does ----------------------------------------------


def admin_session(browser, live_server, locale):
    """A logged-in editor in a browser speaking `locale`, in the newsroom's time zone."""
    # A laptop's screen: the date picker redraws itself when the page scrolls under it.
    context = browser.new_context(
        locale=locale, timezone_id=django_settings.TIME_ZONE, viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page


def new_article_in(page, section_title):
    """From the dashboard: «مقال جديد», then the section."""
    panel = page.locator("#new-article-heading").locator("xpath=ancestor::section")
    panel.get_by_role("link", name=section_title, exact=True).click()
    page.locator("body.ready #id_title").wait_for()  # the admin's scripts have started


def write(page, *, title, standfirst, paragraph):
    page.fill("#id_title", title)
    page.fill("#id_standfirst", standfirst)
    body = page.locator("[data-contentpath=body]")
    body.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="فقرة").click()
    body.locator(".public-DraftEditor-content").last.click()
    page.keyboard.type(paragraph)


def choose_in_modal(page, name):
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=name).first.click()
    modal.wait_for(state="hidden")


def choose_desk(page, name):
    page.locator("[data-contentpath=desk] button.chooser__choose-button").click()
    choose_in_modal(page, name)


def create_author_from_the_byline(page, *, name, role):
    """«إضافة كاتب», then the chooser's «كاتب جديد» tab."""
    page.locator("#id_bylines-ADD").click()
    page.locator("[data-contentpath=author] button.chooser__choose-button").last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="كاتب جديد").click()
    form = modal.locator("#tab-create form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=role]").fill(role)
    form.locator("button[type=submit]").click()
    modal.wait_for(state="hidden")


def upload_in_chooser(page, chooser, *, photo, title, alt_text):
    """The image chooser's upload tab: the file, a title, the alt text the form asks for."""
    chooser.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab").nth(1).click()
    form = modal.locator("form[enctype='multipart/form-data']")
    form.locator("input[type=file]").set_input_files(photo)
    form.locator("input[name$=title]").fill(title)
    form.locator("input[name$=description]").fill(alt_text)
    form.locator("button[type=submit]").click()
    modal.wait_for(state="hidden")


def saved(page):
    """Wait for the admin's answer; a refusal fails the test with what the admin said."""
    page.locator(".messages .success, .messages .error").first.wait_for()
    refusals = page.locator(".messages .error, .error-message")
    assert not refusals.count(), " / ".join(" ".join(t.split()) for t in refusals.all_inner_texts())


def publish(page, locale):
    """The arrow beside «حفظ المسودة», then «نشر»."""
    look_over(page)
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    button = page.locator("footer button[name=action-publish]")
    assert button.inner_text().strip() == PUBLISH[locale]
    button.click()
    saved(page)


# Helpers: what the reader sees ----------------------------------------------


def reader_page(browser, live_server, locale, path):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(live_server.url + path)
    return page


def open_story_from_home(browser, live_server, locale, title):
    """The reader finds the story on the home page and opens it; the article page, parsed."""
    page = reader_page(browser, live_server, locale, "/")
    page.get_by_role("link", name=title, exact=True).first.click()
    page.locator("h1.article__title").wait_for()
    return BeautifulSoup(page.content(), "lxml")


def text(element):
    return " ".join(element.get_text(" ").split())


def assert_dated(article_page, article):
    published = article_page.select_one("time.article__published")
    assert published["datetime"].startswith(timezone.localtime(article.first_published_at).date().isoformat())
    assert text(published) == format_date(article.first_published_at)


# The stories ------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_a_story_signed_by_a_new_author_and_no_desk(live_server, editor, world, locale, browser):
    page = admin_session(browser, live_server, locale)
    new_article_in(page, "العالم")
    write(
        page,
        title="المجلس البلدي يقرّ موازنة العام",
        standfirst="أقرّ المجلس البلدي موازنة العام الجديد بعد جلسة طويلة.",
        paragraph="صوّت أعضاء المجلس بالأغلبية على الموازنة.",
    )
    create_author_from_the_byline(page, name="ريم العلي", role="مراسلة الشؤون المحلية")
    publish(page, locale)

    article = ArticlePage.objects.get(title="المجلس البلدي يقرّ موازنة العام")
    assert article.live and article.desk is None
    assert article.authors == [Author.objects.get(name="ريم العلي", role="مراسلة الشؤون المحلية")]

    story = open_story_from_home(browser, live_server, locale, "المجلس البلدي يقرّ موازنة العام")
    assert text(story.select_one("h1.article__title")) == "المجلس البلدي يقرّ موازنة العام"
    byline = story.select_one(".article__byline")
    assert [text(a) for a in byline.select("a")] == ["ريم العلي"]
    assert byline.select_one("a[rel=author]")["href"] == article.authors[0].get_absolute_url()
    assert text(story.select_one(".article__body")) == "صوّت أعضاء المجلس بالأغلبية على الموازنة."
    assert story.select_one(".article__views") is None  # nobody has read it yet
    assert_dated(story, article)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_story_signed_by_the_desk(live_server, editor, world, desk, locale, browser):
    page = admin_session(browser, live_server, locale)
    new_article_in(page, "العالم")
    write(
        page,
        title="انقطاع الكهرباء عن أحياء المدينة",
        standfirst="انقطعت الكهرباء ساعات عن عدة أحياء.",
        paragraph="قالت الشركة إن العطل أُصلح مساءً.",
    )
    choose_desk(page, "قسم الأخبار")
    publish(page, locale)

    article = ArticlePage.objects.get(title="انقطاع الكهرباء عن أحياء المدينة")
    assert article.live and article.authors == [] and article.desk == desk

    story = open_story_from_home(browser, live_server, locale, "انقطاع الكهرباء عن أحياء المدينة")
    byline = story.select_one(".article__byline")
    assert [text(a) for a in byline.select("a")] == ["قسم الأخبار"]
    assert byline.select_one("a")["href"] == desk.get_absolute_url()
    assert_dated(story, article)


@pytest.mark.parametrize("locale", LOCALES)
def test_publishing_while_the_first_autosave_is_on_its_way_makes_one_story(
    live_server, editor, world, desk, locale, browser
):
    """On a slow connection the editor clicks «نشر» before the autosave that created the page has answered.

    Wagtail's first autosave of a new page creates it and then points the form
    at the new page's edit view; until its answer arrives the form still posts
    to the create view. Here that answer is held until after the click, as a
    slow connection holds it, and the story must exist once, published.
    """
    page = admin_session(browser, live_server, locale)
    new_article_in(page, "العالم")
    # Wagtail takes the form as it stands 2 s after it loads as the starting
    # point for edits (w-unsaved's initial delay): typed before that, the story
    # would be no edit, and nothing would autosave. The editor reads the form first.
    page.wait_for_timeout(3000)
    held = []  # the first autosave: done on the server, its answer not yet in the browser

    def hold_the_answer(route):
        request = route.request
        if request.method == "POST" and "application/json" in request.headers.get("accept", "") and not held:
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.route("**/admin/pages/add/**", hold_the_answer)
    write(
        page,
        title="افتتاح جسر المدينة الجديد",
        standfirst="افتُتح الجسر بعد ثلاث سنوات من العمل.",
        paragraph="قال المهندسون إن الجسر يخفف زحام وسط المدينة.",
    )
    choose_desk(page, "قسم الأخبار")
    for attempt in range(100):
        if held:
            break
        if attempt == 50:  # a busy browser took longer to load the form: the writer adds a word
            page.locator("#id_standfirst").press("End")
            page.keyboard.type(" أمس")
        page.wait_for_timeout(200)
    assert held, "the admin did not autosave the new story"
    assert ArticlePage.objects.filter(title="افتتاح جسر المدينة الجديد").count() == 1  # the autosave's draft

    page.locator("footer [data-w-dropdown-target=toggle]").click()
    page.locator("footer button[name=action-publish]").click()
    page.wait_for_timeout(1500)  # long enough for the publish to reach the server, had it gone
    route, answer = held[0]
    try:
        route.fulfill(response=answer)
    except PlaywrightError:  # the page it was for is gone: the publish did not wait
        pass
    saved(page)

    story = ArticlePage.objects.get(title="افتتاح جسر المدينة الجديد")
    assert story.live and story.desk == desk
    assert "قال المهندسون إن الجسر يخفف زحام وسط المدينة." in story.body.raw_data[0]["value"]


@pytest.mark.parametrize("locale", LOCALES)
def test_a_story_with_an_uploaded_photo(live_server, editor, world, desk, photo, locale, browser):
    page = admin_session(browser, live_server, locale)
    new_article_in(page, "العالم")
    write(
        page,
        title="سوق المدينة القديمة يستعيد زواره",
        standfirst="عاد الزوار إلى السوق بعد ترميمه.",
        paragraph="افتُتح السوق بعد عامين من الترميم.",
    )
    choose_desk(page, "قسم الأخبار")
    upload_in_chooser(
        page,
        page.locator("[data-contentpath=featured_image] button.chooser__choose-button"),
        photo=photo,
        title="السوق القديم بعد الترميم",
        alt_text="ممر السوق المسقوف مزدحمًا بالمتسوقين",
    )
    page.fill("#id_featured_image_caption", "السوق القديم صباح يوم الافتتاح")
    # The same photo in the body, with the fields the image block asks for.
    body = page.locator("[data-contentpath=body]")
    body.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="صورة", exact=True).click()
    body.locator("button.chooser__choose-button").last.click()
    choose_in_modal(page, "السوق القديم بعد الترميم")
    body.locator("input[name$=alt_text]").fill("واجهة دكان نحاسيات في السوق")
    body.locator("input[name$=caption]").fill("دكان نحاسيات أعيد افتتاحه")
    body.locator("input[name$=credit]").fill("تصوير: سامر الأحمد")
    publish(page, locale)

    article = ArticlePage.objects.get(title="سوق المدينة القديمة يستعيد زواره")
    assert article.featured_image.title == "السوق القديم بعد الترميم"

    home_page = BeautifulSoup(reader_page(browser, live_server, locale, "/").content(), "lxml")
    card = home_page.find("a", string="سوق المدينة القديمة يستعيد زواره").find_parent("article")
    assert card.select_one(".card__image img")["src"].startswith("/media/images/")

    story = open_story_from_home(browser, live_server, locale, "سوق المدينة القديمة يستعيد زواره")
    lead = story.select_one("article > figure.article__figure")
    assert lead.img["alt"] == "ممر السوق المسقوف مزدحمًا بالمتسوقين"
    assert text(lead.figcaption) == "السوق القديم صباح يوم الافتتاح"
    inline = story.select_one(".article__body figure.article__figure")
    assert inline.img["alt"] == "واجهة دكان نحاسيات في السوق"
    assert text(inline.figcaption) == "دكان نحاسيات أعيد افتتاحه تصوير: سامر الأحمد"
    assert text(inline.select_one(".credit")) == "تصوير: سامر الأحمد"
    for image in (card.select_one(".card__image img"), lead.img, inline.img):
        rendition = Path(django_settings.MEDIA_ROOT) / image["src"].removeprefix(django_settings.MEDIA_URL)
        assert rendition.stat().st_size > 0
    assert_dated(story, article)


@pytest.fixture
def database_tasks(settings):
    """Tasks queued in the database and run by `manage.py db_worker`, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_story_scheduled_in_the_date_picker_goes_live_from_the_task_worker(
    live_server, editor, world, desk, database_tasks, locale, browser
):
    from django_tasks_db.models import DBTaskResult

    page = admin_session(browser, live_server, locale)
    new_article_in(page, "العالم")
    title = "افتتاح معرض الكتاب غدًا"
    write(page, title=title, standfirst="يفتتح معرض الكتاب أبوابه صباح الغد.", paragraph="يشارك في المعرض مئة ناشر.")
    choose_desk(page, "قسم الأخبار")
    look_over(page)

    # The status panel's «تعيين جدول», then tomorrow and an hour in the date picker.
    page.click("[data-side-panel-toggle=status]")
    page.click("[data-a11y-dialog-show=schedule-publishing-dialog]")
    page.click("#id_go_live_at")
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.wait_for()
    page.wait_for_timeout(600)  # the picker draws itself twice as it opens; the editor looks at it
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    day = picker.locator(
        f".xdsoft_date[data-date='{tomorrow.day}'][data-month='{tomorrow.month - 1}'][data-year='{tomorrow.year}']"
    )
    if not day.is_visible():  # tomorrow is in next month
        picker.locator(".xdsoft_next").first.click()
    day.click()
    picker.locator(".xdsoft_time.xdsoft_current").click()  # the hour the picker offers first
    chosen = page.input_value("#id_go_live_at")
    go_live = timezone.make_aware(datetime.datetime.strptime(chosen, "%Y-%m-%d %H:%M"))
    assert go_live.date() == tomorrow and go_live.minute == 0
    page.locator("#schedule-publishing-dialog button.action-save").click()  # «حفظ الجدول» saves a draft
    saved(page)

    # The page comes back with the time it saved, and the publish button now schedules.
    assert page.input_value("#id_go_live_at") == chosen
    look_over(page)
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    schedule = page.locator("footer button[name=action-publish]")
    assert schedule.inner_text().strip() == SCHEDULE_TO_PUBLISH[locale]
    schedule.click()
    saved(page)

    article = ArticlePage.objects.get(title=title)
    assert not article.live
    assert article.get_latest_revision().approved_go_live_at == go_live
    task = DBTaskResult.objects.get(task_path="operations.tasks.publish_due")
    assert task.run_after == go_live
    home_before = BeautifulSoup(reader_page(browser, live_server, locale, "/").content(), "lxml")
    assert title not in text(home_before)

    # The worker, run when the time has come (the clock moved past the go-live time).
    with mock.patch("django.utils.timezone.now", return_value=go_live + datetime.timedelta(minutes=1)):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    article.refresh_from_db()
    assert article.live
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"

    section_page = BeautifulSoup(reader_page(browser, live_server, locale, world.url).content(), "lxml")
    assert section_page.find("a", string=title) is not None
    story = open_story_from_home(browser, live_server, locale, title)
    assert text(story.select_one("h1.article__title")) == title
    assert [text(a) for a in story.select(".article__byline a")] == ["قسم الأخبار"]
    assert_dated(story, article)
    assert text(story.select_one("time.article__published")) == format_date(go_live)
