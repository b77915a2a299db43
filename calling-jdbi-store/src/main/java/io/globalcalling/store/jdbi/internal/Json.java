package io.globalcalling.store.jdbi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.globalcalling.spi.store.StoreException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON columns: flat string maps (metadata, event data, variables) and string lists (route reasons). */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private Json() {
    }

    public static String map(Map<String, String> map) {
        return write(new TreeMap<>(map));
    }

    public static String list(List<String> list) {
        return write(list);
    }

    public static Map<String, String> readMap(String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            return Map.copyOf(MAPPER.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored JSON object is malformed", e);
        }
    }

    public static List<String> readList(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return List.copyOf(MAPPER.readValue(json, LIST));
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored JSON array is malformed", e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("a value could not be written as JSON", e);
        }
    }
}
