package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.globalcalling.Endpoint;
import io.globalcalling.PhoneNumber;
import io.globalcalling.SipUri;

import java.net.URI;
import java.util.Objects;

/**
 * Writes the Nexmo Call Control Objects this provider sends. They are built as JSON trees, never by string
 * concatenation, so any text - quotes, braces, "action" words included - is one JSON string, spoken literally.
 */
public final class Ncco {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Ncco() {
    }

    /**
     * {@code [record?, {"action":"talk","text":..,"language":..,"style"?:..}]}.
     *
     * @param style           Vonage's voice style number for the language, or null for its default
     * @param recordEventUrl  where the recording is reported, or null to not record
     */
    public static ArrayNode talk(String text, String language, Integer style, URI recordEventUrl) {
        Objects.requireNonNull(text, "text");
        ArrayNode ncco = NODES.arrayNode();
        if (recordEventUrl != null) ncco.add(record(recordEventUrl));
        ObjectNode talk = ncco.addObject().put("action", "talk").put("text", text).put("language", language);
        if (style != null) talk.put("style", style);
        return ncco;
    }

    /** {@code [record?, {"action":"connect","from":..,"endpoint":[phone or sip]}]}: the callee is put through. */
    public static ArrayNode connect(Endpoint target, PhoneNumber from, URI recordEventUrl) {
        ArrayNode ncco = NODES.arrayNode();
        if (recordEventUrl != null) ncco.add(record(recordEventUrl));
        ObjectNode connect = ncco.addObject().put("action", "connect").put("from", from.digits());
        connect.putArray("endpoint").add(endpoint(target));
        return ncco;
    }

    /** A {@code to}/{@code endpoint} entry: {@code {"type":"phone","number":"447700900000"}} or {@code {"type":"sip","uri":..}}. */
    public static ObjectNode endpoint(Endpoint target) {
        if (target instanceof PhoneNumber p) return NODES.objectNode().put("type", "phone").put("number", p.digits());
        if (target instanceof SipUri s) return NODES.objectNode().put("type", "sip").put("uri", s.value());
        throw new IllegalArgumentException("Vonage calls phone numbers and SIP URIs, not " + target.getClass().getSimpleName());
    }

    private static ObjectNode record(URI eventUrl) {
        ObjectNode record = NODES.objectNode().put("action", "record").put("eventMethod", "POST");
        record.putArray("eventUrl").add(eventUrl.toString());
        return record;
    }
}
