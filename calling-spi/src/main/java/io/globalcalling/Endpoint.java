package io.globalcalling;

import io.globalcalling.spi.Urls;

import java.util.Objects;

/**
 * Where a call goes: a phone number, a SIP URI, a system's webhook URL or a satellite terminal.
 */
public sealed interface Endpoint permits PhoneNumber, SipUri, WebhookUrl, SatelliteTerminal {

    /** The endpoint as text, in the form {@link #parse} reads back. */
    String value();

    /**
     * Reads an endpoint from text: {@code +E164}, {@code sip:...}, {@code http(s)://...} or
     * {@code imei:<15 digits>}.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    static Endpoint parse(String text) {
        Objects.requireNonNull(text, "endpoint");
        String t = text.strip();
        if (t.startsWith("+")) return PhoneNumber.of(t);
        if (t.regionMatches(true, 0, "sip:", 0, 4) || t.regionMatches(true, 0, "sips:", 0, 5)) return new SipUri(t);
        if (t.regionMatches(true, 0, "http://", 0, 7) || t.regionMatches(true, 0, "https://", 0, 8)) return WebhookUrl.of(t);
        if (t.regionMatches(true, 0, "imei:", 0, 5)) return new SatelliteTerminal(t.substring(5));
        throw new IllegalArgumentException("endpoint '" + text
                + "' is not an E.164 number (+...), a SIP URI (sip:...), an http(s) URL or a terminal (imei:...)");
    }

    /**
     * An endpoint's text as it may be printed (a log line, a {@code toString()}): a phone number masked as
     * {@link PhoneNumber#mask} does, a URL without its {@code user:password@} part, and any number in other text
     * (a SIP URI's user, a terminal's IMEI) masked. Takes any text, valid or not.
     */
    static String mask(String text) {
        Objects.requireNonNull(text, "endpoint");
        String t = text.strip();
        if (t.regionMatches(true, 0, "http://", 0, 7) || t.regionMatches(true, 0, "https://", 0, 8)) {
            return Urls.withoutUserInfo(t);
        }
        return t.startsWith("+") ? PhoneNumber.mask(t) : PhoneNumber.maskNumbersIn(t);
    }
}
