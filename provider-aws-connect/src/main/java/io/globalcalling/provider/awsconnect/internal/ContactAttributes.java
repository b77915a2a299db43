package io.globalcalling.provider.awsconnect.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The contact attributes of an outbound contact, checked against Connect's limits before anything is sent: keys of
 * letters, digits, {@code -} and {@code _}, and at most 32,768 UTF-8 bytes across every key and value
 * (API_StartOutboundVoiceContact, {@code Attributes}).
 */
public final class ContactAttributes {

    /** Connect's limit on all keys and values of one contact together, in UTF-8 bytes. */
    public static final int MAX_TOTAL_BYTES = 32_768;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,32767}");

    private ContactAttributes() {
    }

    /**
     * Our own attributes first, then the script variables; a variable may not take the name of one of ours.
     *
     * @throws IllegalArgumentException naming the key, or the total size, that Connect would refuse
     */
    public static Map<String, String> of(Map<String, String> ours, Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(ours);
        variables.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("variable '" + key + "' cannot be a Connect contact attribute:"
                        + " a key may hold only letters, digits, '-' and '_'");
            }
            if (all.containsKey(key)) {
                throw new IllegalArgumentException("variable '" + key + "' clashes with the contact attribute the"
                        + " provider sets under that name");
            }
            all.put(key, value);
        });
        long bytes = all.entrySet().stream().mapToLong(e -> utf8(e.getKey()) + utf8(e.getValue())).sum();
        if (bytes > MAX_TOTAL_BYTES) {
            throw new IllegalArgumentException("contact attributes are " + bytes + " UTF-8 bytes; Connect accepts at most "
                    + MAX_TOTAL_BYTES + " across all keys and values");
        }
        return all;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
