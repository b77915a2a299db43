package io.globalcalling.core.lifecycle;

/**
 * Caps free text that arrives from outside (transcripts, event details, error messages) before it
 * is stored, so that one oversized callback cannot bloat a record or the event log.
 */
public final class FreeText {

    /** The most characters a free-text field keeps, marker included. */
    public static final int MAX_CHARS = 16 * 1024;

    private FreeText() {
    }

    /** {@code text} itself when it fits; else its start followed by {@link #cutMarker(int)}. Null stays null. */
    public static String cap(String text) {
        if (text == null || text.length() <= MAX_CHARS) return text;
        String marker = cutMarker(text.length());
        int keep = MAX_CHARS - marker.length();
        if (Character.isHighSurrogate(text.charAt(keep - 1))) keep--;   // never split a character in two
        return text.substring(0, keep) + marker;
    }

    /** What ends a text that was cut from {@code originalLength} characters. */
    public static String cutMarker(int originalLength) {
        return "…[cut: " + originalLength + " characters]";
    }
}
