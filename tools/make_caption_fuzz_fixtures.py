#!/usr/bin/env python3
"""Writes Tests/Fixtures/parity/inference.parsing__captions_fuzz.json: seeded random captions built
from a token pool rich in HTML (tags, comments, declarations, script/style, broken markup), character
references, mojibake, URLs, CJK and control characters, each with the reference's
`text_preprocessing` result. The reference file is read at run time (nothing of it is copied here);
its functions are executed unchanged with ftfy and beautifulsoup4. Captions on which the reference
raises (html.parser rejects some marked sections) are skipped, and so are captions whose result
depends on ftfy's mojibake repair (fix_encoding, not ported: the result differs when the reference
runs with ftfy.fix_text(..., fix_encoding=False)); both counts are printed. Deterministic per seed.

    git -C OPEN_SORA show v1.2.0:opensora/models/text_encoder/t5.py > /tmp/t5.py
    python3 tools/make_caption_fuzz_fixtures.py /tmp/t5.py [SEED] [COUNT] [OUT]
"""
import json, pathlib, random, sys

import bs4
import ftfy

from reference_captions import load_text_preprocessing

source_path = pathlib.Path(sys.argv[1])
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 12
count = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else root / "Tests" / "Fixtures" / "parity" / "inference.parsing__captions_fuzz.json"

text_preprocessing = load_text_preprocessing(source_path)


class FtfyWithoutMojibakeRepair:
    """ftfy as the reference sees it, with fix_encoding switched off."""
    @staticmethod
    def fix_text(text):
        return ftfy.fix_text(text, fix_encoding=False)


text_preprocessing_plain = load_text_preprocessing(source_path, FtfyWithoutMojibakeRepair)

pool = [
    # URLs and addresses
    "http://", "https://", "www.", "example", ".com", ".org", ".co", ".uk", "/path", "?q=1", "&b=2", "#frag",
    ":8080", "@user", "john.doe@mail.com",
    # markup, well-formed and broken
    "<b>", "</b>", "<a href='x'>", "<a href=\"y>z\">", "<br/>", "<br>", "</br>", "<img src=a.png>", "<p>", "</p>",
    "<!-- c -->", "<!--", "-->", "<!x>", "<!doctype html>", "<![cdata[x]]>", "<?php echo 1 ?>", "</ >", "</>",
    "<script>", "</script>", "<style>", "</style>", "<rt>", "</rt>", "<template>", "</template>", "<pre>", "</pre>",
    "<textarea>", "</textarea>", "<div class=a>", "</div>", "<span", "<a b=>", "<x/y>", "</b x>", "<", "<3", ">",
    "< b>", "<1>", "<-", "</1>",
    # character references
    "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&eacute;", "&hellip;", "&#39;", "&#x41;", "&#150;", "&#0;",
    "&#128;", "&#x9d;", "&#1114112;", "&#xd800;", "&#65", "&#x", "&#", "&#;", "&amp", "&copy", "&notin;",
    "&notit;", "&aacute;", "&zwnj;", "&foo;", "&ab", "&", "&&", "&#38;amp;", "&amp;lt;",
    # scripts and symbols
    "一只", "猫", "東京", "の", "한국", "ΟΔΟΣ", "Σ", "straße", "İ", "ﬁ", "ﬀ", "ＦＵＬＬ", "ｶﾀｶﾅ", "“", "”", "‘", "’",
    "—", "–", "-", "_", "...", ".", ",", "!", "?", ":", ";", "'", '"', "(", ")", "[", "]", "*", "~", "|", "\\", "/",
    "+", "%20", "%2C", "%E2%80%99", "%3Cb%3E", "%26amp%3B",
    # ids, numbers, file names, shop phrases
    "123", "1234567", "#12", "#12345", "jc6640", "6640vc231", "1920x1080", "3.5x", "img.jpg", "file.png",
    "free shipping", "download", "click on here", "page 3",
    # words and combining marks
    "cat", "dog", "red", "the", "a", "sunset", "over", "ocean", "Hello", "World", "é", "ü", "\u0301", "e\u0301",
    "x²", "½", "٣", "Ⅻ",
    # mojibake
    "Ã©", "â€™", "Ã¼", "â€œ", "â€\x9d", "Ã\xa0", "Ã ", "Ã¢â‚¬â„¢", "Â ", "Â£", "ÃƒÂ©", "â€", "Ã",
    # whitespace, controls, invisibles, emoji
    "\u00a0", "\u2028", "\u2029", "\x85", "\x1c", "\x1b[31m", "\x1b[0m", "\x00", "\x07", "\x7f", "\x80", "\x9d",
    "\ufeff", "\ufffd", "\r\n", "\r", "\t", "\n", "\\n", " ", " ", "  ", "\u200b", "\u3000", "🙂", "🐱",
]

random.seed(seed)
cases, skipped, mojibake = [], 0, 0
while len(cases) < count:
    n = random.randint(1, 12)
    caption = "".join(random.choice(pool) + random.choice(["", " ", " "]) for _ in range(n))
    try:
        result = text_preprocessing(caption)
    except Exception:
        skipped += 1
        continue
    if text_preprocessing_plain(caption) != result:
        mojibake += 1
        continue
    cases.append({"function": "text_preprocessing", "args": [caption], "result": result})

out.write_text(json.dumps({
    "kind": "inference.parsing",
    "source": f"opensora/models/text_encoder/t5.py@v1.2.0 text_preprocessing; bs4 {bs4.__version__}, ftfy {ftfy.__version__}; "
              f"tools/make_caption_fuzz_fixtures.py seed {seed} (captions depending on ftfy's fix_encoding left out)",
    "description": "random captions from a token pool rich in HTML, character references, mojibake, URLs, CJK and controls",
    "cases": cases,
}, ensure_ascii=True, indent=0) + "\n")
print(f"wrote {len(cases)} cases to {out}; skipped {skipped} on which the reference raised and "
      f"{mojibake} whose result depends on fix_encoding ({100 * mojibake / (len(cases) + mojibake):.1f}% of those run)")
