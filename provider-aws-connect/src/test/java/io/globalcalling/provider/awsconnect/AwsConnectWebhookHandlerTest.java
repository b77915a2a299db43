package io.globalcalling.provider.awsconnect;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Contact events posted by an EventBridge API destination: the shared secret, the parsing, the statuses. */
class AwsConnectWebhookHandlerTest {

    static final String URL = "https://app.example.com/calling/webhooks/aws-connect";
    static final String HEADER = "X-Calling-Webhook-Secret";

    private final TestProviderContext context = Fixtures.context();
    private final ConnectClient connect = Fixtures.connect("http://127.0.0.1:9");   // never called here
    private AwsConnectProvider provider = Fixtures.provider(Fixtures.baseConfig(), context, connect);

    @AfterEach
    void close() {
        provider.close();
        connect.close();
        context.close();
    }

    static WebhookRequest post(String body, String secret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (secret != null) headers.put(HEADER, secret);
        return WebhookRequest.post(URL, headers, body);
    }

    private CallEvent single(String body) {
        WebhookResult result = provider.webhooks().handle(post(body, Fixtures.WEBHOOK_SECRET), WebhookContext.none());
        assertThat(result.response().status()).isEqualTo(200);
        assertThat(result.events()).hasSize(1);
        return result.events().get(0);
    }

    @Test
    void eachContactEventBecomesItsStatusAtItsOwnTime() {
        Map<String, CallStatus> expected = Map.of("INITIATED", CallStatus.INITIATED,
                "CONNECTED_TO_SYSTEM", CallStatus.ANSWERED, "QUEUED", CallStatus.WAITING_FOR_AGENT,
                "CONNECTED_TO_AGENT", CallStatus.WITH_AGENT);
        Map<String, String> times = Map.of("initiationTimestamp", "2024-05-01T10:00:01Z",
                "connectedToSystemTimestamp", "2024-05-01T10:00:09Z", "enqueueTimestamp", "2024-05-01T10:00:15Z",
                "connectedToAgentTimestamp", "2024-05-01T10:01:00Z");
        Map<String, String> stepTime = Map.of("INITIATED", "2024-05-01T10:00:01Z", "CONNECTED_TO_SYSTEM",
                "2024-05-01T10:00:09Z", "QUEUED", "2024-05-01T10:00:15Z", "CONNECTED_TO_AGENT", "2024-05-01T10:01:00Z");
        expected.forEach((type, status) -> {
            CallEvent e = single(Fixtures.event(type, CONTACT_ID, times, null));
            assertThat(e.status()).as(type).isEqualTo(status);
            assertThat(e.occurredAt()).as(type).isEqualTo(Instant.parse(stepTime.get(type)));
            assertThat(e.providerCallId()).isEqualTo(CONTACT_ID);
            assertThat(e.providerId()).isEqualTo("aws-connect");
            assertThat(e.details()).containsEntry("eventType", type);
        });
    }

    @Test
    void aDisconnectAfterAnswerCompletesWithTheConnectedDurationPricedByTheDeck() {
        CallEvent e = single(Fixtures.event("DISCONNECTED", CONTACT_ID, Map.of(
                "initiationTimestamp", "2024-05-01T10:00:01Z", "connectedToSystemTimestamp", "2024-05-01T10:00:09Z",
                "disconnectTimestamp", "2024-05-01T10:02:39Z"), "CUSTOMER_DISCONNECT"));

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.ofSeconds(150));
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:02:39Z"));
        assertThat(e.price()).as("Connect reports no price: the core prices the duration with the deck").isNull();
        Rate us = provider.rates().stream().filter(r -> r.prefix().equals("1")).findFirst().orElseThrow();
        assertThat(us.category()).isEqualTo(CallCategory.HUMAN_AGENT);
        // 150 s at (0.038 service + 0.0088 telephony) USD a minute, billed per second
        assertThat(us.priceFor(e.duration()).amount()).isEqualByComparingTo(new BigDecimal("0.117"));
        assertThat(us.priceFor(e.duration()).currency()).isEqualTo(Money.USD);
    }

    @Test
    void aDisconnectBeforeAnswerEndsByItsReason() {
        Map<String, String> notAnswered = Map.of("initiationTimestamp", "2024-05-01T10:00:01Z",
                "disconnectTimestamp", "2024-05-01T10:00:40Z");
        assertThat(single(Fixtures.event("DISCONNECTED", CONTACT_ID, notAnswered, "TELECOM_BUSY")).status())
                .isEqualTo(CallStatus.BUSY);
        assertThat(single(Fixtures.event("DISCONNECTED", CONTACT_ID, notAnswered, "TELECOM_UNANSWERED")).status())
                .isEqualTo(CallStatus.NO_ANSWER);
        assertThat(single(Fixtures.event("DISCONNECTED", CONTACT_ID, notAnswered, "TELECOM_NUMBER_INVALID")).status())
                .isEqualTo(CallStatus.FAILED);
        assertThat(single(Fixtures.event("DISCONNECTED", CONTACT_ID, notAnswered, "API")).status())
                .isEqualTo(CallStatus.CANCELED);
        CallEvent unanswered = single(Fixtures.event("DISCONNECTED", CONTACT_ID, notAnswered, null));
        assertThat(unanswered.status()).isEqualTo(CallStatus.NO_ANSWER);
        assertThat(unanswered.duration()).isNull();
    }

    @Test
    void fieldNamesAreMatchedInAnyCaseAsConnectsOldSamplesMixThem() {
        String body = """
                {"version":"0","id":"x","detail-type":"Amazon Connect Contact Event","source":"aws.connect",
                 "time":"2024-05-01T10:01:00Z","region":"us-east-1","resources":[],
                 "detail":{"EventType":"CONNECTED_TO_AGENT","ContactId":"%s","Channel":"VOICE",
                   "instanceARN":"%s","AgentInfo":{"AgentArn":"arn:agent","ConnectedToAgentTimestamp":"2024-05-01T10:00:58Z"}}}
                """.formatted(CONTACT_ID, Fixtures.INSTANCE_ARN);

        CallEvent e = single(body);

        assertThat(e.status()).isEqualTo(CallStatus.WITH_AGENT);
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:00:58Z"));
        assertThat(e.details()).containsEntry("agentArn", "arn:agent");
    }

    @Test
    void eventsOfAnotherInstanceChannelOrTypeAreAcknowledgedAndLeftOut() {
        String otherInstance = Fixtures.event("QUEUED", CONTACT_ID, Map.of(), null)
                .replace(Fixtures.INSTANCE_ID, "99999999-0000-4000-8000-000000000000");
        String chat = Fixtures.event("QUEUED", CONTACT_ID, Map.of(), null).replace("\"VOICE\"", "\"CHAT\"");
        String otherType = Fixtures.event("QUEUED", CONTACT_ID, Map.of(), null)
                .replace("Amazon Connect Contact Event", "Amazon Connect Agent Event");

        for (String body : new String[]{otherInstance, chat, otherType}) {
            WebhookResult r = provider.webhooks().handle(post(body, Fixtures.WEBHOOK_SECRET), WebhookContext.none());
            assertThat(r.events()).isEmpty();
            assertThat(r.response().status()).isEqualTo(200);
        }
    }

    @Test
    void aMissingOrWrongSecretIsRefusedWith403BeforeTheBodyIsRead() {
        String notEvenJson = "{{{";
        for (String secret : new String[]{null, "", "connect-webhook-secret-7f3b", Fixtures.WEBHOOK_SECRET + "x"}) {
            WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                    () -> provider.webhooks().handle(post(notEvenJson, secret), WebhookContext.none()));
            assertThat(e).as("secret " + secret).isNotNull();
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).doesNotContain(Fixtures.WEBHOOK_SECRET);
        }
    }

    @Test
    void withoutAConfiguredSecretEveryEventIsRefused() {
        provider.close();
        Map<String, String> config = Fixtures.baseConfig();
        config.remove("aws-connect.webhook-secret");
        provider = Fixtures.provider(config, context, connect);

        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> provider.webhooks()
                .handle(post(Fixtures.event("QUEUED", CONTACT_ID, Map.of(), null), "anything"), WebhookContext.none()));

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("aws-connect.webhook-secret");
    }

    @Test
    void aMalformedBodyIsRefusedWith400() {
        for (String body : new String[]{"not json", "[1]", "{\"detail\":{\"eventType\":\"QUEUED\"}}", "{\"detail\":5}",
                Fixtures.event("QUEUED", CONTACT_ID, Map.of("enqueueTimestamp", "yesterday"), null)}) {
            WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                    () -> provider.webhooks().handle(post(body, Fixtures.WEBHOOK_SECRET), WebhookContext.none()));
            assertThat(e).as(body).isNotNull();
            assertThat(e.httpStatus()).as(body).isEqualTo(400);
        }
    }

    /**
     * A timestamp that was not one was quoted in the 400 and the warning logged for it: a field filled by a broken
     * flow or a proxy may carry the callee's number. The refusal names the field instead.
     */
    @Test
    void aMalformedTimestampIsRefusedNamingItsFieldWithoutQuotingIt() {
        String body = Fixtures.event("DISCONNECTED", CONTACT_ID, Map.of("initiationTimestamp", "2024-05-01T10:00:01Z",
                "disconnectTimestamp", Fixtures.TO), null);
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        WebhookRejectedException e;
        try {
            e = catchThrowableOfType(WebhookRejectedException.class,
                    () -> provider.webhooks().handle(post(body, Fixtures.WEBHOOK_SECRET), WebhookContext.none()));
        } finally {
            System.setErr(err);
        }

        assertThat(e).isNotNull();
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("detail.disconnectTimestamp", "ISO-8601")
                .doesNotContain(Fixtures.TO.substring(1));
        assertThat(logs.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("detail.disconnectTimestamp")
                .doesNotContain(Fixtures.TO.substring(1));
    }

    @Test
    void aCoverageOfPrefixesComesFromTheDeckResourceWithItsSourceAndDate() {
        assertThat(provider.ratesSource()).contains("aws.amazon.com/connect/pricing").containsPattern("\\d{4}-\\d{2}-\\d{2}");
        assertThat(provider.rates()).allSatisfy(r -> assertThat(r.category()).isEqualTo(CallCategory.HUMAN_AGENT));
        Rate ukMobile = provider.rates().stream().filter(r -> PhoneNumber.of("+447700900123").digits().startsWith(r.prefix()))
                .max(Comparator.comparingInt(r -> r.prefix().length())).orElseThrow();
        assertThat(ukMobile.prefix()).isEqualTo("447");
    }
}
