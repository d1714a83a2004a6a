package clipcl.tools;

import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.clip.tokenizer.TextTooLongException;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `clipcl tokenize`: JSON-lines texts in, JSON-lines id arrays out, exactly as OpenAI's clip.tokenize. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"texts (JSON lines) to CLIP token ids (JSON lines)", "",
            "Each input line is one JSON string; each output line is the JSON array of its token ids, as OpenAI's clip.tokenize "
                + "gives them: 49406 (start), the BPE ids, 49407 (end), zeros up to the context length.", ""})
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--vocab", paramLabel = "V", required = true, description = {
        "OpenAI's bpe_simple_vocab_16e6.txt.gz; or Hugging Face's vocab.json (merges.txt beside it, or --merges); or a folder holding either"})
    Path vocab;

    @Option(names = "--merges", paramLabel = "M", description = "Hugging Face merges.txt, with --vocab vocab.json")
    Path merges;

    @Option(names = "--context-length", paramLabel = "N", description = "tokens per text, start and end included (default ${DEFAULT-VALUE})")
    int context = ClipTokenizer.DEFAULT_CONTEXT_LENGTH;

    @Option(names = "--truncate", description = {
        "cut texts that are too long, keeping the end token last (OpenAI's truncate=True); without it a text too long is an error"})
    boolean truncate;

    @Option(names = "--bpe-only", description = "the raw BPE ids only: no start/end, no padding, no length limit")
    boolean bpeOnly;

    @Option(names = "--input", paramLabel = "IN.jsonl", required = true, description = "texts, one JSON string a line ('-' reads standard input)")
    String input;

    @Option(names = "--output", paramLabel = "OUT.jsonl", required = true, description = "ids, one JSON array a line ('-' writes standard output)")
    String output;

    @Override
    public Integer call() throws Exception {
        if (context < 2) throw new UsageException("--context-length must be at least 2 (start and end tokens), got " + context);
        if (!input.equals("-") && Files.isDirectory(Path.of(input))) throw new IllegalArgumentException(input + ": is a folder, not an input file");
        if (!input.equals("-") && !Files.isRegularFile(Path.of(input))) throw new IllegalArgumentException(input + ": input file not found");

        ClipTokenizer tok = merges == null ? ClipTokenizer.load(vocab) : ClipTokenizer.load(vocab, merges);
        StringBuilder out = new StringBuilder();
        int lineNo = 0;
        byte[] raw;
        try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input))) {
            raw = in.readNBytes((int) InputLimits.JSON_MAX_BYTES + 1);
        }
        if (raw.length > InputLimits.JSON_MAX_BYTES) throw new BadInputException(input, null, "larger than the limit of " + InputLimits.JSON_MAX_BYTES + " bytes");
        String[] lines = utf8Lines(raw, input);
        for (String line : lines) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            String text = parseText(line, input, lineNo);
            int[] ids;
            try {
                ids = bpeOnly ? tok.encode(text) : tok.tokenize(text, context, truncate);
            } catch (TextTooLongException e) {
                throw new IllegalArgumentException(input + ":" + lineNo + ": " + e.getMessage().replace("(use truncate)", "(use --truncate)"), e);
            }
            out.append('[');
            for (int i = 0; i < ids.length; i++) {
                if (i > 0) out.append(',');
                out.append(ids[i]);
            }
            out.append("]\n");
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        if (output.equals("-")) {
            PrintStream so = System.out;
            so.write(bytes);
            so.flush();
        } else {
            AtomicFiles.write(Path.of(output), bytes);
            System.err.printf("tokenized %d texts -> %s%n", lineNo, output);
        }
        return 0;
    }

    /**
     * The lines of UTF-8 input (as BufferedReader.readLine splits them); bytes that are not UTF-8
     * and lines over the length limit are reported by line number.
     */
    private static String[] utf8Lines(byte[] raw, String file) {
        String text;
        try {
            text = TextFiles.decodeUtf8(raw, file);
        } catch (BadInputException e) {
            int at = Integer.parseInt(e.field().substring("byte ".length())), line = 1;
            for (int i = 0; i < at; i++) if (raw[i] == '\n') line++;
            throw new BadInputException(file, "line " + line, "not valid UTF-8 text (byte " + at + ")");
        }
        String[] lines = text.split("\r?\n|\r", -1);
        if (lines.length > 0 && lines[lines.length - 1].isEmpty()) lines = java.util.Arrays.copyOf(lines, lines.length - 1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].length() > InputLimits.TEXT_MAX_LINE_CHARS) {
                throw new BadInputException(file, "line " + (i + 1), lines[i].length() + " characters, more than the limit of " + InputLimits.TEXT_MAX_LINE_CHARS);
            }
        }
        return lines;
    }

    private static String parseText(String line, String file, int lineNo) {
        Object v;
        try {
            v = Json.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": expected a JSON string, got " + (v == null ? "null" : Json.write(v)));
        }
        return s;
    }
}
