package io.globalcalling.provider.twilio;

import io.globalcalling.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks Twilio's {@code X-Twilio-Signature}: base64 HMAC-SHA1, keyed with the Auth Token, over the full URL Twilio
 * called followed by each POST parameter's name and value, parameters sorted by name (case-sensitive). For JSON
 * bodies the URL carries {@code bodySHA256}, the hex SHA-256 of the raw body: the URL alone is signed and the body
 * hash is checked separately.
 *
 * <p>Like Twilio's own libraries, a signature is accepted for the URL as given, with its port removed, or with the
 * scheme's default port added, since Twilio may sign either form; {@code user:password@} credentials in the URL
 * stay where they are. Repeated parameters (which twilio-java's map cannot hold) are accepted in the order
 * received or with their values sorted. The de-duplicated form of twilio-python, twilio-node and twilio-php is
 * refused: it lets a sender shorten one parameter by repeating a value and lengthen another under the same
 * signature (found by fuzzing), and Twilio's callbacks never repeat a value.
 * Every comparison is constant-time ({@link MessageDigest#isEqual}); the class never reveals the token or the
 * signature it expected.
 */
public final class TwilioSignatureValidator {

    private final SecretKeySpec key;
    /** Keyed once; never used itself, only cloned (a Mac is not thread-safe). */
    private final Mac prototype;

    public TwilioSignatureValidator(Secret authToken) {
        Objects.requireNonNull(authToken, "authToken");
        this.key = new SecretKeySpec(authToken.revealBytes(), "HmacSHA1");
        this.prototype = keyedMac(key);
    }

    /**
     * Checks a form-encoded callback.
     *
     * @param url        the full URL Twilio called, query included, exactly as sent (not decoded)
     * @param parameters the decoded POST parameters, each name's values in the order received
     * @param signature  the {@code X-Twilio-Signature} header
     */
    public boolean validate(String url, Map<String, List<String>> parameters, String signature) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(parameters, "parameters");
        if (signature == null || signature.isBlank()) return false;
        byte[] given = signature.strip().getBytes(StandardCharsets.UTF_8);
        Set<String> urls = urlVariants(url);
        Set<String> forms = new LinkedHashSet<>();
        for (ValueOrder order : ValueOrder.values()) forms.add(parameterString(parameters, order));
        for (String form : forms) {
            if (matchesAny(urls, form, given)) return true;
        }
        return false;
    }

    /** How a repeated parameter's values are signed: Twilio's libraries differ. Both forms keep every value, so
     *  no change to a parameter can be absorbed by another. */
    private enum ValueOrder { RECEIVED, SORTED }

    /** Stops at the first URL form that matches, as twilio-java does; each comparison stays constant-time. */
    private boolean matchesAny(Set<String> urls, String parameters, byte[] given) {
        byte[] parameterBytes = parameters.getBytes(StandardCharsets.UTF_8);
        Mac mac = newMac();
        for (String candidate : urls) {
            mac.update(candidate.getBytes(StandardCharsets.UTF_8));
            if (MessageDigest.isEqual(Base64.getEncoder().encode(mac.doFinal(parameterBytes)), given)) return true;
        }
        return false;
    }

    /**
     * Checks a JSON callback: the signature over the URL (which must carry {@code bodySHA256}) and the body's hash.
     */
    public boolean validateBody(String url, byte[] body, String signature) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        String expectedHash = bodyHashParameter(url);
        if (expectedHash == null) return false;
        byte[] actualHash = HexFormat.of().formatHex(sha256(body)).getBytes(StandardCharsets.UTF_8);
        boolean bodyMatches = MessageDigest.isEqual(actualHash,
                expectedHash.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        boolean signatureMatches = validate(url, Map.of(), signature);
        return bodyMatches & signatureMatches;
    }

    /** The signature of {@code url} and {@code parameters} (values in the order given), as Twilio computes it. */
    public String signatureOf(String url, Map<String, List<String>> parameters) {
        Mac mac = newMac();
        mac.update(url.getBytes(StandardCharsets.UTF_8));
        byte[] raw = mac.doFinal(parameterString(parameters, ValueOrder.RECEIVED).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(raw);
    }

    private static String parameterString(Map<String, List<String>> parameters, ValueOrder order) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(parameters).forEach((name, values) -> {
            List<String> vs = new ArrayList<>(values == null ? List.of() : values);
            if (order == ValueOrder.SORTED) vs.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
            for (String v : vs) s.append(name).append(v == null ? "" : v);
        });
        return s.toString();
    }

    /**
     * The URL as given, without its port, and with the scheme's default port added where none is given. The port
     * is looked for after any {@code user:password@}, whose colon is not a port separator.
     */
    static Set<String> urlVariants(String url) {
        Set<String> out = new LinkedHashSet<>();
        out.add(url);
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) return out;
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) authorityEnd++;
        String authority = url.substring(authorityStart, authorityEnd);
        int hostStart = authority.lastIndexOf('@') + 1;
        int portColon = authority.lastIndexOf(':');
        if (portColon < hostStart || authority.indexOf(']', portColon) >= 0) portColon = -1; // userinfo or [IPv6]
        String head = url.substring(0, authorityStart);
        String tail = url.substring(authorityEnd);
        if (portColon >= 0) {
            out.add(head + authority.substring(0, portColon) + tail);
        } else {
            String scheme = url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
            String port = scheme.equals("https") ? "443" : scheme.equals("http") ? "80" : null;
            if (port != null) out.add(head + authority + ":" + port + tail);
        }
        return out;
    }

    private static String bodyHashParameter(String url) {
        int q = url.indexOf('?');
        if (q < 0) return null;
        int hash = url.indexOf('#', q);
        String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals("bodySHA256")) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * A keyed Mac of its own for the caller: a clone of the keyed prototype, which skips the provider lookup and
     * the key setup of {@code Mac.getInstance} and {@code init} (a new instance only where the JCE provider's Mac
     * cannot be cloned).
     */
    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return keyedMac(key);
        }
    }

    private static Mac keyedMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable in this JVM", e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "TwilioSignatureValidator[key=****]";
    }
}
