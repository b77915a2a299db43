package io.globalcalling.provider.twilio.internal;

import java.util.Objects;

/**
 * Writes the small TwiML documents this provider sends inline. Every piece of text is escaped so it is spoken
 * (or dialled) literally and can never add or close an element: {@code & < > " '} become entities, carriage
 * returns and tabs become character references (an XML parser would otherwise normalise them), and characters
 * XML 1.0 forbids - U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, lone surrogates, U+FFFE and U+FFFF - are dropped.
 */
public final class Twiml {

    /** The empty document that acknowledges a callback. */
    public static final String EMPTY_RESPONSE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private Twiml() {
    }

    /** {@code <Response><Say language=".." voice="..">text</Say></Response>}; a null voice leaves the account's. */
    public static String say(String text, String language, String voice) {
        Objects.requireNonNull(text, "text");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say");
        if (language != null) xml.append(" language=\"").append(escape(language)).append('"');
        if (voice != null) xml.append(" voice=\"").append(escape(voice)).append('"');
        return xml.append('>').append(escape(text)).append("</Say></Response>").toString();
    }

    /** {@code <Response><Dial>target</Dial></Response>} for a number, or {@code <Dial><Sip>uri</Sip></Dial>}. */
    public static String dial(String target) {
        Objects.requireNonNull(target, "target");
        String inner = target.regionMatches(true, 0, "sip", 0, 3)
                ? "<Sip>" + escape(target) + "</Sip>" : escape(target);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial>" + inner + "</Dial></Response>";
    }

    /** The text with the characters XML 1.0 cannot carry removed. */
    public static String legalCharacters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(Twiml::isXmlChar).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Escapes for element text and double- or single-quoted attribute values alike. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                case '\n' -> out.append("&#10;");
                default -> {
                    if (isXmlChar(cp)) out.appendCodePoint(cp);
                }
            }
        });
        return out.toString();
    }

    private static boolean isXmlChar(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
