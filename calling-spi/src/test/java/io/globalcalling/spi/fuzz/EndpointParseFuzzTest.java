package io.globalcalling.spi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.Endpoint;
import io.globalcalling.PhoneNumber;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.SipUri;
import io.globalcalling.WebhookUrl;
import io.globalcalling.spi.Urls;

/**
 * Fuzzes {@link Endpoint#parse} and through it {@link PhoneNumber}, {@link SipUri}, {@link WebhookUrl} and
 * {@link SatelliteTerminal}: any text is either read into the endpoint its prefix names, whose value parses back
 * to an equal endpoint, or refused with an IllegalArgumentException that quotes the input.
 */
class EndpointParseFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parseAcceptsAndRoundTripsOrRefusesNamingTheInput(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            String stripped = text.strip();
            String named = stripped.regionMatches(true, 0, "imei:", 0, 5) ? stripped.substring(5) : stripped;
            // a refused URL is named without its user:password@, like every printed URL
            assertThat(e.getMessage()).as("refusal of %s", text)
                    .containsAnyOf("'" + text + "'", "'" + named + "'", "'" + Urls.withoutUserInfo(stripped) + "'");
            return;
        }
        String t = text.strip();
        Class<?> expected = t.startsWith("+") ? PhoneNumber.class
                : t.regionMatches(true, 0, "sip", 0, 3) ? SipUri.class
                : t.regionMatches(true, 0, "http", 0, 4) ? WebhookUrl.class
                : SatelliteTerminal.class;
        assertThat(endpoint).isInstanceOf(expected);
        assertThat(Endpoint.parse(endpoint.value())).as("round trip of %s", text).isEqualTo(endpoint);
        // a printed webhook URL leaves out user:password@, anything else prints masked (a number is personal)
        assertThat(endpoint.toString()).isEqualTo(endpoint instanceof WebhookUrl
                ? Urls.withoutUserInfo(endpoint.value()) : Endpoint.mask(endpoint.value()));
        if (endpoint instanceof PhoneNumber p) {
            assertThat(p.value()).matches("\\+[1-9][0-9]{1,14}");
            assertThat(p.digits()).isEqualTo(p.value().substring(1));
        }
        if (endpoint instanceof SatelliteTerminal s) assertThat(s.imei()).matches("[0-9]{15}");
        if (endpoint instanceof WebhookUrl w) assertThat(w.uri().getHost()).isNotNull();
    }
}
