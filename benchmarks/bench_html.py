"""Speed of the HTML comment extractor: pages/s on a saved 1,000-comment WordPress page.

The page is WordPress core's html5 comment markup (avatars, meta, reply links, every fifth
comment a reply), as a theme saves it. Baseline, measured in the same run: libxml2's bare parse
of the same bytes (the floor any extractor on lxml pays), so the ratio says what the extraction
itself costs on this machine, whatever its load. Prints one JSON line.

    python benchmarks/bench_html.py [--comments 1000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from moderation.parsing import parse_text  # noqa: E402


def page(comments: int) -> str:
    items = []
    open_reply = False
    for n in range(1, comments + 1):
        reply = n % 5 == 0
        item = (
            f'<li id="comment-{n}" class="comment even depth-{2 if reply else 1}">'
            f'<article id="div-comment-{n}" class="comment-body"><footer class="comment-meta">'
            '<div class="comment-author vcard"><img alt="" src="a.png" class="avatar avatar-32" '
            f'height="32" width="32"><b class="fn">Reader {n}</b> <span class="says">says:</span>'
            '</div><div class="comment-metadata"><a href="#comment-{n}"><time '
            'datetime="2024-02-10T10:00:00+00:00">February 10, 2024 at 10:00 am</time></a></div>'
            '</footer><div class="comment-content"><p>Comment {n}: a sentence or two of what a '
            "reader wrote about the article, long enough to look real.</p></div>"
            '<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#">Reply</a>'
            "</div></article>"
        ).replace("{n}", str(n))
        if reply:
            items.append(f'<ol class="children">{item}</li></ol>')
            open_reply = True
        else:
            if open_reply or n > 1:
                items.append("</li>")
            items.append(item)
            open_reply = False
    items.append("</li>")
    return (
        "<!DOCTYPE html><html><head><title>Post &#8211; Site</title></head><body><article>"
        '<h1 class="entry-title">Post</h1><div class="entry-content"><p>Body.</p></div>'
        '</article><div id="comments" class="comments-area"><ol class="comment-list">'
        + "".join(items)
        + "</ol></div></body></html>"
    )


def rate(work, seconds: float) -> float:
    done = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        work()
        done += 1
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    text = page(args.comments)
    data = text.encode()
    [article] = parse_text(text, source="bench.html")
    assert len(article.comments) == args.comments, len(article.comments)
    pages = rate(lambda: parse_text(text, source="bench.html"), args.seconds)
    baseline = rate(lambda: etree.fromstring(data, etree.HTMLParser(huge_tree=True)), args.seconds)
    print(
        json.dumps(
            {
                "benchmark": "html_extractor",
                "comments_per_page": args.comments,
                "page_bytes": len(data),
                "pages_per_s": round(pages, 2),
                "comments_per_s": round(pages * args.comments),
                "baseline_libxml2_parse_pages_per_s": round(baseline, 2),
                "ratio_to_bare_parse": round(baseline / pages, 2),
                "strategy": article.extraction,
                "load_avg_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
