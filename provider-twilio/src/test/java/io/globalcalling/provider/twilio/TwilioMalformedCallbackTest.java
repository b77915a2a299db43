package io.globalcalling.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.TestProviderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A form body with a broken {@code %} escape (found by TwilioWebhookFuzzTest) is refused, not thrown past the SPI. */
class TwilioMalformedCallbackTest {

    @Test
    void aMalformedPercentEscapeIsRefusedWith400() {
        try (TestProviderContext context = TwilioTests.context()) {
            var handler = Fixtures.provider(Fixtures.baseConfig("http://127.0.0.1:1"), context).webhooks();
            WebhookRequest request = WebhookRequest.post("https://hooks.example.com/calls/twilio?callId=call-42",
                    Map.of("X-Twilio-Signature", "c2lnbmF0dXJl"), "CallSid=CA1&CallStatus=%(a");

            WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                    () -> handler.handle(request, WebhookContext.none()).events());

            assertThat(e).isNotNull();
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains("form body");
        }
    }
}
