package clipcl.autograd.nn;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Patterns over full parameter names: "re:" followed by a Java regex (matched against the whole
 * name), otherwise a glob where '*' matches any run of characters (dots included) and '?' one.
 * Examples: "visual.*", "*.ln_?.*", "re:transformer\.resblocks\.(0|1)\..*".
 */
public final class NamePattern {
    private NamePattern() { }

    public static Predicate<String> compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) throw new IllegalArgumentException("empty parameter-name pattern");
        String regex;
        if (pattern.startsWith("re:")) {
            regex = pattern.substring(3);
        } else {
            StringBuilder sb = new StringBuilder();
            for (char ch : pattern.toCharArray()) {
                switch (ch) {
                    case '*' -> sb.append(".*");
                    case '?' -> sb.append('.');
                    default -> sb.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            regex = sb.toString();
        }
        try {
            Pattern p = Pattern.compile(regex);
            return s -> p.matcher(s).matches();
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad parameter-name pattern '" + pattern + "': " + e.getDescription());
        }
    }
}
