package io.globalcalling.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.core.internal.ScriptTemplate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link ScriptTemplate#render}: a template made of literal text and placeholders renders to the literal
 * text with each value inserted exactly as given ({@code $} and {@code \} included); an arbitrary template either
 * renders with no placeholder left, or is refused with an IllegalArgumentException naming a placeholder that
 * has no value. Blank is whitespace and control characters only.
 */
class ScriptTemplateFuzzTest {

    private static final Pattern NAME = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    @FuzzTest(maxDuration = "10m")
    void rendersValuesLiterallyOrNamesTheMissingPlaceholder(FuzzedDataProvider data) {
        Map<String, String> variables = new LinkedHashMap<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) variables.put("v" + i, data.consumeString(20));

        StringBuilder template = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        Set<String> blankUsed = new HashSet<>();
        int pieces = data.consumeInt(0, 8);
        for (int i = 0; i < pieces; i++) {
            if (count > 0 && data.consumeBoolean()) {
                String name = "v" + data.consumeInt(0, count - 1);
                template.append(data.consumeBoolean() ? "{{" + name + "}}" : "{{ " + name + "  }}");
                expected.append(variables.get(name));
                if (blank(variables.get(name))) blankUsed.add(name);
            } else {
                String literal = data.consumeString(16).replace("{", "(");
                template.append(literal);
                expected.append(literal);
            }
        }
        if (blank(template.toString())) {
            assertThatThrownBy(() -> ScriptTemplate.render(template.toString(), variables))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
        } else if (!blankUsed.isEmpty()) {
            assertThatThrownBy(() -> ScriptTemplate.render(template.toString(), variables))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(blankUsed).anyMatch(n -> e.getMessage().contains("{{" + n + "}}")));
        } else {
            assertThat(ScriptTemplate.render(template.toString(), variables)).isEqualTo(expected.toString());
        }

        String hostile = data.consumeRemainingAsString();
        String rendered;
        try {
            rendered = ScriptTemplate.render(hostile, variables);
        } catch (IllegalArgumentException e) {
            Matcher m = NAME.matcher(hostile);
            boolean named = blank(hostile) && e.getMessage().contains("must not be blank");
            while (m.find()) {
                String value = variables.get(m.group(1));
                boolean unusable = value == null || blank(value);
                if (unusable && e.getMessage().contains("{{" + m.group(1) + "}}")) named = true;
            }
            assertThat(named).as("refusal %s names the blank script or a missing or blank placeholder of %s",
                    e.getMessage(), hostile).isTrue();
            return;
        }
        Matcher m = NAME.matcher(hostile);
        while (m.find()) assertThat(variables).containsKey(m.group(1));
        if (!NAME.matcher(hostile).find()) assertThat(rendered).isEqualTo(hostile);
    }

    /** Nothing to speak: whitespace and control characters only (providers strip the latter). */
    private static boolean blank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }
}
