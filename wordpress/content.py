"""WordPress post content (classic editor or Gutenberg) into an article's StreamField blocks.

Gutenberg's block comments are dropped and its saved HTML read like any
other; classic content is paragraphed first, as WordPress's `wpautop` does
when it shows a post. Shortcodes are converted (`[caption]`, `[embed]`) or
removed keeping their inner text, so no raw `[...]` reaches a reader.
Paragraph HTML is cleaned with nh3 down to what the editor's rich text has.
"""

import html
import re
from dataclasses import dataclass, field

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

GUTENBERG_DELIMITER = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.DOTALL)
BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|figure|figcaption|footer|form|h[1-6]|header|hr|li|ol|p|pre"
    "|section|table|ul"
)
BLOCK_START = re.compile(rf"^\s*<(?:{BLOCK_TAGS})[\s>/]", re.IGNORECASE)
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
SHORTCODE = re.compile(r"\[/?[A-Za-z_][\w-]*(?:\s[^\]]*)?/?\]")
RICH_TEXT_TAGS = {"a", "b", "i", "br"}
URL_ONLY = re.compile(r"^\s*(https?://\S+)\s*$")


@dataclass
class Converted:
    blocks: list = field(default_factory=list)
    # What could not be carried over, for the import report.
    dropped: list[str] = field(default_factory=list)
    image_for: object = None


def wpautop(text: str) -> str:
    """Paragraphs from blank lines and line breaks from single newlines, leaving block-level HTML alone."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def shortcodes_convert(text: str) -> str:
    text = CAPTION.sub(lambda m: f"<figure>{_caption_figure(m.group(1))}</figure>", text)
    text = EMBED.sub(lambda m: f'<figure class="wp-block-embed"><div>{m.group(1).strip()}</div></figure>', text)
    return SHORTCODE.sub("", text)


def _caption_figure(inner):
    # [caption]<img …> The caption text[/caption]: the caption is what follows the image.
    match = re.match(r"\s*((?:<a[^>]*>)?\s*<img[^>]*>\s*(?:</a>)?)(.*)", inner, re.DOTALL)
    if not match:
        return inner
    return f"{match.group(1)}<figcaption>{match.group(2).strip()}</figcaption>"


def convert(content: str, *, image_for=None) -> Converted:
    """Blocks of the article body for `content`; what was left out is listed in `dropped`.

    `image_for(src, alt)` gives the Wagtail image of an upload, or None when
    its file is not available (the image is then listed in `dropped`).
    """
    if "<!-- wp:" in content:
        content = GUTENBERG_DELIMITER.sub("", content)
    else:
        content = wpautop(content)
    content = shortcodes_convert(content)
    soup = BeautifulSoup(content, "html.parser")
    result = Converted(image_for=image_for)
    for node in soup.contents:
        _node(node, result)
    return result


def _node(node, result):
    if isinstance(node, NavigableString):
        text = str(node).strip()
        if text and not isinstance(node, Comment):
            _paragraph(html.escape(text), result)
        return
    if not isinstance(node, Tag):
        return
    name = node.name
    if name == "p":
        url = URL_ONLY.match(node.get_text())
        if url and not node.find("a"):
            result.blocks.append({"type": "embed", "value": {"embed": url.group(1), "caption": ""}})
        else:
            _paragraph(node.decode_contents(), result)
    elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = node.get_text(" ", strip=True)
        if text:
            result.blocks.append({"type": "heading", "value": text})
    elif name == "blockquote":
        cite = node.find(["cite", "footer"])
        speaker = cite.get_text(" ", strip=True) if cite else ""
        if cite:
            cite.extract()
        paragraphs = [p.get_text(" ", strip=True) for p in node.find_all("p")] or [node.get_text(" ", strip=True)]
        text = "\n".join(p for p in paragraphs if p)
        if text:
            result.blocks.append(
                {"type": "quote", "value": {"text": text, "speaker": speaker, "source": "", "source_url": ""}}
            )
    elif name in ("ul", "ol"):
        items = [li.get_text(" ", strip=True) for li in node.find_all("li")]
        items = [item for item in items if item]
        if items:
            result.blocks.append({"type": "list", "value": {"ordered": name == "ol", "items": items}})
    elif name == "figure" and "wp-block-embed" in " ".join(node.get("class", [])):
        url = node.get_text(" ", strip=True).split()
        caption = node.find("figcaption")
        if url and url[0].startswith("http"):
            result.blocks.append(
                {
                    "type": "embed",
                    "value": {"embed": url[0], "caption": caption.get_text(" ", strip=True) if caption else ""},
                }
            )
    elif name in ("figure", "img") or node.find("img"):
        caption_tag = node.find("figcaption") if name != "img" else None
        caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
        for tag in [node] if name == "img" else node.find_all("img"):
            src, alt = tag.get("src", ""), tag.get("alt", "").strip()
            image = result.image_for(src, alt or caption) if result.image_for and src else None
            if image is None:
                result.dropped.append(f"image {src}")
                continue
            result.blocks.append(
                {
                    "type": "image",
                    "value": {
                        "image": image.pk,
                        "alt_text": alt or caption or image.title,
                        "caption": caption,
                        "credit": "",
                    },
                }
            )
            caption = ""  # a gallery's caption goes with its first image
        if caption:
            _paragraph(html.escape(caption), result)
    elif name in ("hr", "br", "script", "style", "iframe", "form", "input", "button"):
        if name in ("iframe", "script", "form"):
            result.dropped.append(name)
    else:
        for child in node.contents:
            _node(child, result)


def _paragraph(inner_html, result):
    # The editor's rich text says <b> and <i>; everything else but links and line breaks goes.
    inner = re.sub(r"<(/?)strong\b", r"<\1b", inner_html)
    inner = re.sub(r"<(/?)em\b", r"<\1i", inner)
    clean = nh3.clean(inner, tags=RICH_TEXT_TAGS, attributes={"a": {"href"}}, link_rel=None).strip()
    clean = re.sub(r"(?:<br>\s*){2,}", "<br>", clean)
    clean = re.sub(r"^(?:<br>\s*)+|(?:\s*<br>)+$", "", clean)
    if BeautifulSoup(clean, "html.parser").get_text(strip=True):
        result.blocks.append({"type": "paragraph", "value": f"<p>{clean}</p>"})
