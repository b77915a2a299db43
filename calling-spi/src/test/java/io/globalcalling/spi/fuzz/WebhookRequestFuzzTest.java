package io.globalcalling.spi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.WebhookRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link WebhookRequest}'s decoding of what a caller sent: a form body either decodes, and encoding the
 * result again decodes to the same names and values in the same order, or is refused with an
 * IllegalArgumentException (a malformed {@code %} escape). Headers are found whatever their case, and the
 * request's toString never shows a header's value.
 */
class WebhookRequestFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void formDecodingRoundTripsOrRefuses(FuzzedDataProvider data) {
        String headerName = "X-" + data.consumeString(20).replaceAll("[^A-Za-z0-9-]", "") + "-Sig";
        String headerValue = "secret#" + data.consumeString(40); // '#' is in no header name or path
        String body = data.consumeRemainingAsString();
        WebhookRequest request = WebhookRequest.post("https://hooks.example.com/twilio?callId=c1",
                Map.of(headerName, headerValue), body);

        assertThat(request.header(headerName.toUpperCase())).contains(headerValue);
        assertThat(request.header(headerName.toLowerCase())).contains(headerValue);
        assertThat(request.toString()).doesNotContain("secret#");
        assertThat(request.bodyText()).isEqualTo(new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));

        Map<String, List<String>> form;
        try {
            form = request.formParameters();
        } catch (IllegalArgumentException e) {
            assertThat(body).contains("%");
            return;
        }
        Map<String, List<String>> again = WebhookRequest.post("https://hooks.example.com/twilio",
                Map.of(), encode(form)).formParameters();
        assertThat(again).as("re-encoded form of %s", body).isEqualTo(form);
        assertThat(new ArrayList<>(again.keySet())).isEqualTo(new ArrayList<>(form.keySet()));
        assertThat(request.queryParameters()).isEqualTo(Map.of("callId", List.of("c1")));
        assertThat(WebhookRequest.post("https://hooks.example.com/cb?" + encode(form), Map.of(), "").queryParameters())
                .as("the same form as a query").isEqualTo(form);
    }

    private static String encode(Map<String, List<String>> form) {
        StringBuilder s = new StringBuilder();
        form.forEach((name, values) -> values.forEach(v -> {
            if (s.length() > 0) s.append('&');
            s.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }));
        return s.toString();
    }
}
