package io.globalcalling.spring.api;

import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * Reads the request bodies of the given types with the application's JSON mapper made strict: a body naming a field
 * twice ({@code {"to":"+91…","to":"+44…"}}) is refused as not valid JSON, instead of being read as whichever of the
 * two the parser keeps (a proxy or a log that read the other saw another call), a fraction where a whole
 * number goes ({@code "maxDurationSeconds": 59.9} is not cut down to 59), and a field the type does not have
 * ({@code "maxCostPerMinut"} would otherwise be dropped and the call placed without its limit). The application's
 * own types are read as before.
 */
public final class StrictJsonBodies implements WebMvcConfigurer {

    /** The class whose presence says Spring MVC reads JSON with Jackson 3, the converter this configures. */
    public static final String JACKSON = "tools.jackson.databind.json.JsonMapper";

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON, new MediaType("application", "*+json"));

    private final List<Class<?>> types;

    public StrictJsonBodies(Class<?>... types) {
        this.types = List.of(types);
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConverters(converter -> {
            if (converter instanceof JacksonJsonHttpMessageConverter json) register(json);
        });
    }

    private void register(JacksonJsonHttpMessageConverter converter) {
        JsonMapper strict = converter.getMapper().rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        for (Class<?> type : types) {
            converter.registerMappersForType(type, mappers -> JSON.forEach(mediaType -> mappers.put(mediaType, strict)));
        }
    }
}
