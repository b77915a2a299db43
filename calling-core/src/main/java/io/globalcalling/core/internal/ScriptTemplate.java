package io.globalcalling.core.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{name}}} placeholders of an AI call's script. A blank script, or a placeholder whose
 * value is missing or blank, is an error: a call never speaks silence or braces. Blank counts control
 * characters as nothing, since providers strip them (XML cannot carry most of them) and speak none.
 */
public final class ScriptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    private ScriptTemplate() {
    }

    /** The placeholder names of {@code template}, in the order they first appear. */
    public static Set<String> placeholders(String template) {
        Objects.requireNonNull(template, "script");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** Whether {@code text} has nothing to speak: only whitespace and control characters, or nothing. */
    public static boolean blank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    /** @throws IllegalArgumentException for a blank script, or naming the first placeholder that has no value */
    public static String render(String template, Map<String, String> variables) {
        Objects.requireNonNull(template, "script");
        Objects.requireNonNull(variables, "variables");
        if (blank(template)) throw new IllegalArgumentException("script must not be blank: it is what the call speaks");
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (m.find()) {
            String name = m.group(1);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("script placeholder {{" + name + "}} has no value in variables "
                        + variables.keySet());
            }
            if (blank(value)) {
                throw new IllegalArgumentException("script placeholder {{" + name + "}} has a blank value '" + value + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
