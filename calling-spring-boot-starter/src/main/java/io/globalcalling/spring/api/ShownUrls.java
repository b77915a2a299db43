package io.globalcalling.spring.api;

import io.globalcalling.spi.Urls;
import org.jspecify.annotations.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs as a problem document may show them: a system_api destination or an answer URL can carry a credential as
 * {@code user:password@} or a token in its query, so a URL is shown without its user info, and its query and
 * fragment are cut down to {@value #CUT}.
 */
final class ShownUrls {

    /** What stands for a URL's query or fragment. */
    static final String CUT = "?…";

    private static final Pattern URL = Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.-]*://\\S+");
    /** Quotes and punctuation a message puts right after a URL it quotes. */
    private static final String CLOSING = "'\"),;.:]";

    private ShownUrls() {
    }

    /** {@code value} as it may be shown: a URL (text with {@code ://}) without secrets, anything else as it is. */
    static @Nullable String value(@Nullable String value) {
        if (value == null || !value.contains("://")) return value;
        String shown = Urls.withoutUserInfo(value);
        int slashes = shown.indexOf("//");
        int cut = indexOfAny(shown, slashes < 0 ? 0 : slashes + 2);
        return cut < 0 ? shown : shown.substring(0, cut) + CUT;
    }

    /**
     * {@code text} with {@code value} (as given, stripped, or already without its user info) shown as
     * {@link #value} shows it, and then every other URL in it too: for a message that quotes a bad value, which may
     * hold spaces where no URL pattern can tell where it ends.
     */
    static @Nullable String text(@Nullable String text, @Nullable String value) {
        if (text == null) return null;
        if (value != null && value.contains("://")) {
            String shown = value(value);
            for (String form : new String[]{value, value.strip(), Urls.withoutUserInfo(value),
                    Urls.withoutUserInfo(value.strip())}) {
                if (!form.isEmpty()) text = text.replace(form, shown);
            }
        }
        return text(text);
    }

    /** {@code text} with every URL in it shown as {@link #value} shows it. */
    static @Nullable String text(@Nullable String text) {
        if (text == null || !text.contains("://")) return text;
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String url = m.group();
            int end = url.length();
            while (end > 0 && CLOSING.indexOf(url.charAt(end - 1)) >= 0) end--;
            String shown = value(url.substring(0, end));
            m.appendReplacement(out, Matcher.quoteReplacement(shown + url.substring(end)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The first query or fragment mark at or after {@code from}, or -1. */
    private static int indexOfAny(String url, int from) {
        for (int i = from; i < url.length(); i++) {
            if (url.charAt(i) == '?' || url.charAt(i) == '#') return i;
        }
        return -1;
    }
}
