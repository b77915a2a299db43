package io.globalcalling.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line options: {@code --name=value} or {@code --name value}. */
final class Args {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Args() {
    }

    /** @throws IllegalArgumentException naming an argument that is not an option */
    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("argument '" + a + "' is not an --option");
            int eq = a.indexOf('=');
            if (eq > 0) {
                out.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                out.put(a.substring(2), args[++i]);
            } else {
                out.put(a.substring(2), "true");
            }
        }
        return out;
    }

    /** "90s", "3m", "250ms", "1.5m" or an ISO-8601 duration. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            return Duration.ofMillis(Math.round(n * unitMillis));
        }
        try {
            return Duration.parse(text.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("duration '" + text + "' is not like 90s, 3m, 250ms or PT90S", e);
        }
    }
}
