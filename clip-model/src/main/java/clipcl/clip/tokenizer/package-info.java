/**
 * OpenAI CLIP's tokenizer in pure Java: {@link clipcl.clip.tokenizer.ClipTokenizer} (encode, decode,
 * {@code clip.tokenize} with context length and truncation) over a
 * {@link clipcl.clip.tokenizer.BpeVocab} read from OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} or
 * Hugging Face's {@code vocab.json} + {@code merges.txt}.
 *
 * <h2>Exactly as OpenAI's simple_tokenizer.py</h2>
 * bytes_to_unicode; merges = lines 1..48894 of the file after its header; vocabulary = 256 byte
 * characters, the same with {@code </w>}, the merged pairs, {@code <|startoftext|>} (49406) and
 * {@code <|endoftext|>} (49407); BPE by lowest rank with a cache; the split pattern
 * {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 * with IGNORECASE (hand-compiled in {@code Pretokenizer}, including IGNORECASE's effects: {@code 'ſ}
 * counts as {@code 's}, and U+0345 matches no alternative); Python's {@code html.unescape} applied twice
 * (numeric references with HTML5's replacements; named references see below); {@code regex}'s \s
 * (White_Space) runs to one space; {@code str.strip()} (which also strips U+001C..U+001F);
 * {@code str.lower()}; decode with UTF-8 replacement. The reference fixtures (made by
 * {@code clip-model/src/test/python/make_tokenizer_fixtures.py} with ftfy 6.3.1 installed) pin all this
 * down to the id.
 *
 * <h2>What differs from OpenAI's tokenizer</h2>
 * <ul>
 * <li><b>ftfy.fix_text</b> is re-implemented, not run. Exact: the per-line segments, the HTML "auto"
 *   rule (ftfy's own unescape only until a line holding '&lt;', and ftfy repeats it to a fixed point, so
 *   {@code &amp;amp;amp;amp;} becomes {@code &}), {@code &EACUTE;}-style all-caps entities, C1 controls
 *   read as Windows-1252, Latin ligatures (ﬁ, Ĳ, ǅ, ŉ ...), fullwidth/halfwidth forms and U+3000,
 *   curly quotes to straight ones, line breaks, lone surrogates to U+FFFD, ANSI escapes, control
 *   characters (U+0000-0008, 000B, 000E-001F, 007F, 206A-206F, FEFF, FFF9-FFFC), NFC.
 *   Approximate: <b>mojibake</b>. ftfy decides with a large "badness" heuristic (rules over about
 *   400 characters) and tries ten single-byte encodings plus byte-level repairs; clipcl looks for UTF-8
 *   byte patterns spelled in Latin-1 or Windows-1252 (either reading per character), accepts a
 *   re-decoding only when every character it yields lies in common scripts and symbol blocks, tries
 *   the whole text (Latin-1, then Windows-1252) and otherwise each run on its own, and does not do
 *   Windows-1251/1250/1253/1254/1257, ISO-8859-2, MacRoman, CP437, restore_byte_a0,
 *   replace_lossy_sequences or U+FFFD handling. Measured against ftfy 6.3.1: on the fixtures (about 65
 *   mojibake and look-alike Latin-1 texts) it agrees except for the four listed in
 *   ReferenceTokenizationTest (clipcl also fixes a lone "â„¢" (™) and "ÃŽle" (Île) and a run ftfy
 *   leaves in "æ–‡å—åŒ–ã‘", and does not turn a space into a lost A0 byte as ftfy does in "ðŸ‘ ");
 *   on 72 realistic strings (24 words and phrases in 9 scripts, emoji and symbols, as UTF-8 read in
 *   Windows-1252 or Latin-1, alone and in a sentence) 69 agree; on an exhaustive sweep of every
 *   Latin-1 letter U+00C0..U+00FF followed by every possible continuation character, in three
 *   contexts (12,357 mostly unnatural strings), 2,863 differ: 2,024 that clipcl re-decodes and ftfy's
 *   rules call legitimate (e.g. "Ã…" → "Å"), 506 that ftfy fixes through encodings or repairs clipcl
 *   lacks, 333 fixed differently. Genuine Latin-1 text ("Spaß“", "café”", "Ø½") is left alone by
 *   both.</li>
 * <li><b>Named HTML entities</b>: {@code HtmlEntityTable} holds 424 of HTML5's 2,231 names: all of
 *   HTML 4.01, every name HTML5 accepts without ';' (so Python's longest-prefix rule, {@code &notit;} →
 *   {@code ¬it;}, is exact), HTML5's all-capital names, and HTML5's ASCII-punctuation and a few symbol
 *   names. A name outside it (e.g. {@code &bigstar;} is in, {@code &bne;} is not) stays as written.</li>
 * <li><b>Unicode versions</b>: letters and numbers are Java 25's (Unicode 16); the {@code regex}
 *   module used for the fixtures knows Unicode 17, so the ~4,650 characters new in Unicode 17 split
 *   differently (Java calls them neither letter nor number). Lower case is Python 3.9-3.13's: the
 *   capitals whose lower case Unicode 16 added (U+1C89, U+A7CB, U+A7CC, U+A7DA, U+A7DC,
 *   U+10D50..10D65) are left as they are; Python 3.14 would lower them. NFC and the width map use
 *   Java's Unicode 16 tables; Python 3.11's are Unicode 14 (no difference for characters both know).</li>
 * </ul>
 */
package clipcl.clip.tokenizer;
