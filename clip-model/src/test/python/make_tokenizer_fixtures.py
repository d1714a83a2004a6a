#!/usr/bin/env python3
"""Reference tokenizations for clipcl's CLIP tokenizer tests.

Re-implements OpenAI CLIP's simple_tokenizer.py (byte-level BPE) and clip.tokenize with plain lists,
and writes clip-model/src/test/resources/tokenizer/reference.jsonl: one JSON object a line,
  {"text": ..., "clean": text after OpenAI's cleaning, "bpe": [ids], "ctx16": [16 ids, truncate=True],
   "ctx77": [77 ids, truncate=True] (only when the text is longer than 77 tokens), "ftfy": bool}
and unicode_tables.json: the code points Python's `regex` module puts in \\s, \\p{L}, \\p{N}, and
str.lower() for every code point it changes (so the Java side can pin down Unicode-version gaps).

Needs the `regex` module (Debian: python3-regex) and, for OpenAI's exact cleaning, ftfy
(`pip install --target /tmp/ftfy ftfy==6.3.1` then PYTHONPATH=/tmp/ftfy). Without ftfy the
cleaning is OpenAI's minus ftfy.fix_text, and the file records "ftfy": false.
The vocabulary (never committed) comes from --vocab, default ../shared/clip/bpe_simple_vocab_16e6.txt.gz
relative to the repository root
(or to one of its parent folders, for git worktrees).

usage: python3 clip-model/src/test/python/make_tokenizer_fixtures.py [--vocab PATH] [--out DIR]
"""
import argparse
import gzip
import html
import html.entities
import json
import os
import sys
import unicodedata

import regex as re

try:
    import ftfy
    import ftfy.fixes
except ImportError:  # documented: cleaning without ftfy
    ftfy = None


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def get_pairs(word):
    pairs = set()
    prev = word[0]
    for ch in word[1:]:
        pairs.add((prev, ch))
        prev = ch
    return pairs


def basic_clean(text):
    if ftfy is not None:
        text = ftfy.fix_text(text)
    text = html.unescape(html.unescape(text))
    return text.strip()


def whitespace_clean(text):
    text = re.sub(r"\s+", " ", text)
    return text.strip()


class SimpleTokenizer:
    def __init__(self, bpe_path):
        self.byte_encoder = bytes_to_unicode()
        merges = gzip.open(bpe_path).read().decode("utf-8").split("\n")
        merges = merges[1:49152 - 256 - 2 + 1]
        merges = [tuple(m.split()) for m in merges]
        vocab = list(bytes_to_unicode().values())
        vocab = vocab + [v + "</w>" for v in vocab]
        for m in merges:
            vocab.append("".join(m))
        vocab.extend(["<|startoftext|>", "<|endoftext|>"])
        self.encoder = dict(zip(vocab, range(len(vocab))))
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
        self.pat = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", re.IGNORECASE)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        pairs = get_pairs(word)
        if not pairs:
            return token + "</w>"
        while True:
            bigram = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = " ".join(word)
        self.cache[token] = word
        return word

    def clean(self, text):
        return whitespace_clean(basic_clean(text)).lower()

    def decode(self, tokens):
        decoder = {v: k for k, v in self.encoder.items()}
        byte_decoder = {v: k for k, v in self.byte_encoder.items()}
        text = "".join(decoder[t] for t in tokens)
        return bytearray([byte_decoder[c] for c in text]).decode("utf-8", errors="replace").replace("</w>", " ")

    def encode(self, text):
        out = []
        for token in re.findall(self.pat, self.clean(text)):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            out.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return out


def tokenize(tok, text, context_length):
    """clip.tokenize(text, context_length, truncate=True)[0] as a list."""
    tokens = [49406] + tok.encode(text) + [49407]
    if len(tokens) > context_length:
        tokens = tokens[:context_length]
        tokens[-1] = 49407
    return tokens + [0] * (context_length - len(tokens))


CAPTIONS = [
    "a photo of a cat.", "A photo of a dog", "a diagram", "This is a photo of a T-shirt/top.",
    "Two dogs playing in the snow near a red barn.", "a close-up photo of the Golden Gate Bridge at sunset",
    "An ankle boot, a sneaker and a bag on a white background", "itap of a {}.", "a bad photo of the {}.",
    "a origami {}.", "a photo of the large {}.", "art of the {}.", "a photo of the small {}.",
    "A man riding a wave on top of a surfboard.", "A kitchen with wooden cabinets and a white stove top oven.",
    "Hello world!", "hello   world", "HELLO WORLD", "hElLo WoRlD", "CamelCaseWordsLikeThis",
]
PUNCT = [
    "Hello, world! How are you?", "wait... what?!", "e-mail: someone@example.com", "https://example.com/a?b=c&d=e",
    "(parentheses) [brackets] {braces} <angles>", "#hashtag @mention $100 50% a+b=c ^_^ ~tilde~ `tick`",
    "semi;colon:colon", "quote \"double\" 'single'", "slash/back\\slash|pipe", "!!!???...,,,;;;",
    "---", "___init___", "a.b.c.d", "don't stop-believing", "C++ and C# and F#", ":-) :-( ;-) <3",
    "<|startoftext|>", "<|endoftext|>", "a <|endoftext|> b", "<|STARTOFTEXT|>hi<|EndOfText|>", ".<|endoftext|>",
    "<|startoftext|><|endoftext|>", "<|unknown|>",
]
DIGITS = [
    "0", "42", "3.14159", "1,000,000", "2024-01-15", "12:30pm", "version 1.2.3", "100x100 pixels", "007",
    "1st 2nd 3rd 4th", "phone 555-0123", "½ ¼ ¾ ² ³", "١٢٣ Arabic-Indic digits", "१२३ Devanagari digits",
    "Ⅻ roman numeral", "①②③", "𝟙𝟚𝟛 math digits", "０１２ fullwidth",
]
CONTRACTIONS = [
    "it's", "It's", "IT'S", "don't", "DON'T", "we're", "they've", "I'm", "we'll", "he'd", "she'S",
    "'s", "''s", "!'s", "rock'n'roll", "o'clock", "y'all", "'tis", "it’s curly", "It‘s curly too",
    "‘single’ “double” „low“", "'re'll've'd'm't's", "it'ſ long s", "isn't it", "the dog's bone",
]
ACCENTED = [
    "café", "Café au lait", "naïve résumé", "Ñandú", "Straße", "STRASSE", "Ærø Øresund", "Ångström",
    "crème brûlée", "Zürich", "Łódź", "Dvořák", "İstanbul", "I\u0307", "ĲSSELMEER ĳs", "ﬁne ﬂour ﬀ ﬃ ﬄ ﬅ ﬆ",
    "cafe\u0301 (decomposed)", "e\u0301\u0301 double accent", "ǅemal ǲ ǈ ǋ", "ŉ", "Ǆ Ǳ",
    "ΣΟΦΟΣ", "ὈΔΥΣΣΕΎΣ", "Σ", "ΑΣ.", "ﬀ", "ǰ", "ẞ", "K Kelvin Å Angstrom Ω Ohm",
]
NONLATIN = [
    "Привет, мир!", "Москва — столица России", "Γειά σου Κόσμε", "αβγδεζηθ", "你好，世界", "北京欢迎你",
    "東京タワー", "ｶﾀｶﾅ halfwidth katakana", "ひらがなとカタカナ", "안녕하세요 세계", "ﾍﾝｹﾞﾙ",
    "مرحبا بالعالم", "السلام عليكم", "नमस्ते दुनिया", "हिन्दी", "שלום עולם", "สวัสดีชาวโลก", "ᚠᛇᚻ runes",
    "ⴰⵣⵓⵍ", "ꦲꦏ꧀ꦱꦫ", "𐌰𐌱 gothic", "𓀀 hieroglyph", "Ol Onal \U0001e5d0\U0001e5d1", "Garay \U00010d50\U00010d70",
    "mixed русский English 中文 العربية",
]
EMOJI = [
    "I love pizza 🍕", "😀😃😄😁", "👍🏽 thumbs", "👨‍👩‍👧‍👦 family", "🏳️‍🌈 flag", "🇺🇸🇫🇷 flags",
    "❤️ heart", "✔ check", "🤷‍♀️", "👋🏻👋🏼👋🏽👋🏾👋🏿", "🏴󠁧󠁢󠁷󠁬󠁳󠁿 wales", "☕️ coffee", "1️⃣ keycap",
    "🧑‍💻 coder", "emoji🐱inside🐶words", "🫠 melting",
]
HTML = [
    "Tom &amp; Jerry", "&lt;b&gt;bold&lt;/b&gt;", "it&#39;s", "it&#x27;s", "a&nbsp;b", "&amp;amp;",
    "&amp;lt;", "&amp;amp;amp;", "&amp;amp;amp;amp;", "&quot;quoted&quot;", "&copy; 2024", "&eacute;t&eacute;",
    "&EACUTE;", "P&EACUTE;REZ", "&hellip;", "&mdash; &ndash;", "&euro;100", "&#8364;", "&#x20AC;", "&#X20ac;",
    "&#128512;", "&#0;", "&#x110000;", "&#150;", "&#x80;", "&#xD800;", "&amp", "&lt3", "&notit;", "&notin;",
    "this&not that", "AT&T", "&unknown;", "&#;", "&#x;", "&ampersand", "<b>Tom &amp; Jerry</b>",
    "&lt;tag&gt; &amp;", "&frac12; &sup2;", "&Sigma;&sigma;&sigmaf;", "&NTILDE; &Ntilde; &ntilde;",
    "&#39;&#39;s", "&#9731;", "&#x1F600;", "&nbsp;&nbsp;padded&nbsp;", "&Auml;&auml;&szlig;", "&amp;#39;",
    "&#038;", "&#38;amp;", "&ThinSpace;x", "&NewLine;", "&Tab;tab", "&bigstar;",
    # ftfy unescapes line by line, and stops for good at the first line holding a '<'
    "first &EACUTE;\n<i> &EACUTE;\nlast &EACUTE;", "one &EACUTE;\r\ntwo &EACUTE;", "x &lt; y &EACUTE;",
    "&amp;lt;b&amp;gt; &EACUTE;",
]
WHITESPACE = [
    "", " ", "   ", "\t\n\r", "  leading", "trailing  ", "a\tb\nc\rd", "a\u00a0b", "a\u2003b", "a\u3000b",
    "a\u200bb zero width space", "a\u200cb\u200db joiners", "a\u2028b\u2029c", "a\x85b", "a\x0bb\x0cc",
    "a\x1cb\x1dc\x1ed\x1ff", "a\u202fb\u205fc\u1680d", "\ufeffBOM at start", "a\u00adb soft hyphen",
    "tab\tseparated\tvalues", "line\r\nbreaks\r\nwindows", "\u200e\u200f marks", "a\x00b\x07c", "a\x7fb",
    "\x1b[36;44mcolored\x1b[0m", "a\ufffcb", "a\u206ab",
]
MOJIBAKE = [
    "cafÃ©", "Ã©tÃ©", "donâ€™t", "â€œquotedâ€\x9d", "âœ” No problems", "Ã¼ber", "The Mona Lisa doesnâ€™t have eyebrows.",
    "MÃ¶tley CrÃ¼e", "Ã\xa0 la carte", "ÐŸÑ€Ð¸Ð²ÐµÑ‚", "æ–‡å—åŒ–ã‘", "á", "Â£100", "naÃ¯ve", "Ã", "Â",
    "C1 \x80 \x93 controls", "\x96 dash", "l'\x92amour",
    # common mojibake
    "â€¢ bullet", "â€“ dash", "â€” em dash", "â€¦ ellipsis", "Ã¡Ã©Ã­Ã³Ãº", "NiÃ±o", "Ã§a", "â„¢", "Â°C", "Â½ cup",
    "ðŸ˜€ grin", "ðŸ‘ thumbs", "Ãœber", "Ã–sterreich", "Ã¸l", "â‚¬5", "Â©2020", "caf\xc3\xa9 au lait",
    "It\xe2\x80\x99s", "mixed cafÃ© and cafè", "Ã©t\xe9", "Ã\x83Â©", "ÃƒÂ©",
    "â\x82¬100 (Latin-1 reading)", "â€\x94dash (mixed readings)", "Ã\x85ngstr\xc3\xb6m", "Â\x80 double",
    # legitimate Latin-1 text that must stay as it is
    "„Spaß“", "Ich habe Spaß“", "café”", "naïve”", "Les Misérables", "Malmö", "São Paulo", "Eyjafjallajökull",
    "déjà vu", "français", "ÆØÅ æøå", "Ü”", "ß‘", "rôle", "piñata", "Ça va?", "¿Qué?", "¡Hola!", "Â»", "ÃŽle",
    "Ø½", "Ãx", "×÷", "À¢", "½ and ¾", "Î±", "Ð±",
]
LONG = [
    " ".join(["word"] * 100),
    "a photo of " + "very " * 80 + "big cat",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex "
    "ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu "
    "fugiat nulla pariatur.",
    "x" * 500,
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "🍕" * 40,
    "数" * 100,
    "!" * 300,
]

HTML_MORE = [
    "&", "&&", "& amp;", "&amp", "&ampamp;", "&AMP;", "&Amp;", "&amp;&lt;&gt;&quot;&apos;", "&#65;&#x41;&#X41;",
    "&#65", "&#x41", "&#0065;", "&#x0000041;", "&#99999999999;", "&#xFFFFFFFFFF;", "&#1114111;", "&#xFFFE;",
    "&#x1FFFF;", "&#xFDD0;", "&#13;", "&#11;", "&#127;", "&#x81;", "&#x9F;", "&#128;", "&copy", "&copyright",
    "&COPY", "&Copy;", "&ETH; &eth; &ETA; &eta; &Eta;", "&THORN; &thorn; &SZLIG;", "&lang; &rang;",
    "&image; &IMAGE;", "&TRADE; &trade;", "&MICRO;", "&YUML; &yuml; &Yuml;", "&aelig; &AELIG; &AElig;",
    "&sup1;&sup2;&sup3;&SUP2;", "&Tab;&NewLine;&excl;&quot;&num;", "&nbsp", "&nbspx", "&nbsp;x",
    "&lt;&lt;&lt;", "&#x3c;script&#x3e;", "&\u00e9acute;", "&" + "a" * 40 + ";", "&abcdefghijklmnopqrstuvwxyz;",
    "&#38;#38;", "x &lt y &gt z", "&frac12;&FRAC12;&frac12", "&Ouml;&OUML;", "&lArr;&LARR;&larr;",
]


def code_point_tables():
    # the split pattern's classes as it uses them (IGNORECASE changes U+0345), \s as whitespace_clean uses it
    s_re = re.compile(r"\s")
    l_re = re.compile(r"[\p{L}]", re.IGNORECASE)
    n_re = re.compile(r"[\p{N}]", re.IGNORECASE)
    o_re = re.compile(r"[^\s\p{L}\p{N}]", re.IGNORECASE)
    def ranges(pred):
        out, start = [], None
        for cp in range(0x110000):
            ok = not (0xD800 <= cp <= 0xDFFF) and pred(chr(cp))
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                out.append([start, cp - 1]); start = None
        if start is not None:
            out.append([start, 0x10FFFF])
        return out
    lower = {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        lo = chr(cp).lower()
        if lo != chr(cp):
            lower[str(cp)] = [ord(c) for c in lo]
    return {
        "python": sys.version.split()[0], "unicodedata": unicodedata.unidata_version, "regex": re.__version__,
        "space": ranges(lambda c: s_re.match(c) is not None),
        "letter": ranges(lambda c: l_re.match(c) is not None),
        "number": ranges(lambda c: n_re.match(c) is not None),
        "other": ranges(lambda c: o_re.match(c) is not None),
        "isspace": ranges(lambda c: c.isspace()),
        "assigned": ranges(lambda c: unicodedata.category(c) != "Cn"),  # in str's (unicodedata's) Unicode version
        "html5": {k: v for k, v in html.entities.html5.items()},
        "lower": lower,
    }


def find_vocab(root):
    """shared/clip/bpe_simple_vocab_16e6.txt.gz beside the repository or beside one of its parents."""
    d = root
    while True:
        cand = os.path.join(d, "..", "shared", "clip", "bpe_simple_vocab_16e6.txt.gz")
        if os.path.exists(cand) or os.path.dirname(d) == d:
            return os.path.abspath(cand)
        d = os.path.dirname(d)


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", default=find_vocab(root))
    ap.add_argument("--out", default=os.path.join(root, "clip-model", "src", "test", "resources", "tokenizer"))
    a = ap.parse_args()
    tok = SimpleTokenizer(a.vocab)
    texts = CAPTIONS + PUNCT + DIGITS + CONTRACTIONS + ACCENTED + NONLATIN + EMOJI + HTML + WHITESPACE + MOJIBAKE + LONG
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "reference.jsonl"), "w", encoding="utf-8") as f:
        for t in texts:
            bpe = tok.encode(t)
            rec = {"text": t, "clean": tok.clean(t), "bpe": bpe, "decoded": tok.decode(bpe), "ctx16": tokenize(tok, t, 16),
                   "ftfy": ftfy is not None}
            if len(rec["bpe"]) + 2 > 77:
                rec["ctx77"] = tokenize(tok, t, 77)
            f.write(json.dumps(rec, ensure_ascii=True) + "\n")
    with open(os.path.join(a.out, "html_unescape.jsonl"), "w", encoding="utf-8") as f:
        for t in HTML + HTML_MORE:
            ft = ftfy.fixes.unescape_html(t) if ftfy is not None else None
            f.write(json.dumps({"text": t, "python": html.unescape(t), "ftfy": ft}, ensure_ascii=True) + "\n")
    with open(os.path.join(a.out, "unicode_tables.json"), "w", encoding="utf-8") as f:
        json.dump(code_point_tables(), f, separators=(",", ":"))
    print(f"wrote {len(texts)} texts (ftfy: {ftfy is not None}) to {a.out}")


if __name__ == "__main__":
    main()
