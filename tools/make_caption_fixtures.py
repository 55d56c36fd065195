#!/usr/bin/env python3
"""Writes `inference.parsing` fixtures for the caption cleaner (`text_preprocessing`) by running the
reference's own code on captions with URLs, e-mail addresses, @handles, HTML entities, CJK and other
shapes the public cases do not exercise. The reference file is read at run time from a checkout of
hpcaitech/Open-Sora (nothing of it is copied here); its three functions and BAD_PUNCT_REGEX are
executed unchanged with the libraries it imports (ftfy, beautifulsoup4; Open-Sora asks ftfy>=6.2).

    pip install ftfy beautifulsoup4
    git -C OPEN_SORA show v1.2.0:opensora/models/text_encoder/t5.py > /tmp/t5.py
    python3 tools/make_caption_fixtures.py /tmp/t5.py
"""
import json, pathlib, sys

import bs4
import ftfy

from reference_captions import load_text_preprocessing

text_preprocessing = load_text_preprocessing(sys.argv[1])

captions = [
    # URLs: schemes, www., paths, queries, fragments, ports, trailing punctuation, several per caption.
    "Check http://www.example.com/path/to/page?query=1&b=2 for more details about the cat",
    "see https://example.com/a/b?x=y#frag and then the dog runs",
    "http://www.foo-bar.org/index.html?id=42, then a bird flies.",
    "go to www.shop.co/items?color=red now",
    "https://sub.domain.example.net:8080/path?q=a+b more words here",
    "read http://example.org. then continue",
    "links: http://a.com/x, https://b.net/y?z=1; www.c.org/w! done",
    "visit HTTP://WWW.EXAMPLE.COM/UPPER?Q=1 Today",
    "url at end https://example.com/path?x=1",
    "(https://example.com/in-parens) a red car",
    "ftp://files.example.com/file.txt is not http",
    "example.com/path?q=1 without scheme and more",
    "the site is news.bbc.co.uk/sport?live=true and it loads",
    "http://192.168.0.1:80/admin?x=1 router page",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s funny video",
    "Photo by John on https://unsplash.com/photos/abc-def?utm_source=x&utm_medium=y of a mountain",
    "two urls http://x.com/a?b=c and http://y.org/d?e=f#g here",
    "http://example.com/path/?q=1. Next sentence starts",
    "a beautiful http://host.name.edu/path?k=v. view of the sea",
    "www.example.gov/page?x=1: the page about it",
    "http://t.co/AbC123?amp=1 sunset over the hills",
    "https://example.it/percorso?chiave=valore&altro=1 una strada",
    "http://example.ru/путь?q=1 зимний лес",
    # e-mail addresses and @handles
    "contact me at john.doe@example.com for prints",
    "mail info@shop.co.uk or sales@example.org today",
    "@photographer shot this at sunrise @ the beach",
    "follow @cool_user_99 and @another.handle on instagram",
    "user@localhost sent a note",
    # HTML and entities
    "<p>A <i>small</i> dog &amp; a cat</p>",
    "Tom &amp; Jerry &lt;3 &gt; cartoon &nbsp; time",
    "&#39;quoted&#39; and &#x2014; dash &copy; 2024",
    "caf&eacute; on the corner &hellip; at night",
    "<a href=\"http://example.com/x?y=1\">link text</a> after",
    "&amp;amp; double escaped &amp;lt;b&amp;gt;",
    "<!-- comment --> visible text <br/> next line",
    # CJK and other scripts
    "一只猫 a cat 在草地上 on the grass",
    "東京の夜景 tokyo night view ㋀ ㍻",
    "한국어 텍스트 korean text",
    "Ελληνικά ΟΔΟΣ and Deutsch STRASSE ÄÖÜ",
    "a dragon 龍 flying over the 山",
    # punctuation, numbers, ids, dashes, quotes
    "“Smart quotes” and ‘single’ ones — with dashes – here",
    "the year 2024, the price $19.99, 3.5x zoom, 1920x1080 video",
    "img_1234.jpg of a beach sunset.png",
    "item jc6640 and jc6640vc and 6640vc231 for sale",
    "free shipping worldwide shipping download free click on here page 12",
    "this-is-my-cute-cat_and_dog",
    "a.b.c.d e,f,g h/i/j",
    "wow... amazing!!! really??? ok.",
    "\"'quoted string'\"",
    "version 1.2.3 released at 10.0.0.1",
    "time 12:30 and ratio 4:3 : ok : fine",
    "#hashtag #1 #123456 #12 tags ***sale***",
    "a cat.\\nnew line in text",
    "   spaces   around   ",
    "-leading dash and trailing plus+",
    "percent%20encoded%2Ctext+with+plus",
    "ﬁne ligatures ＦＵＬＬ width",
    "1st place, 2nd.place,3rd place",
    "Mr.Smith went to Washington.D.C. yesterday",
    "e.g. this, i.e. that",
    # code points, not graphemes: a combining mark or joiner after the character a rule looks for
    "World\u0663a , \u200b \\n&zwnj; ",
    "a <person>\u0301 b \\n\u0301 c",
    "1+\u0301 2 %41%2b%zz%4 done",
]

cases = [{"function": "text_preprocessing", "args": [c], "result": text_preprocessing(c)} for c in captions]
out = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "parity" / "inference.parsing__captions.json"
out.write_text(json.dumps({
    "kind": "inference.parsing",
    "source": f"Open-Sora v1.2.0 opensora/models/text_encoder/t5.py, ftfy {ftfy.__version__}, beautifulsoup4 {bs4.__version__}, "
              f"Python {sys.version.split()[0]}",
    "description": "text_preprocessing (clean_caption twice) on URLs, e-mails, handles, HTML entities, CJK and punctuation",
    "cases": cases,
}, ensure_ascii=False, indent=1) + "\n")
print(f"wrote {len(cases)} cases to {out}")
