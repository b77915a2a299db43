package io.globalcalling.spring.api;

import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.FrequencyCap;
import io.globalcalling.core.campaign.Outcome;
import io.globalcalling.core.campaign.RetryRule;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.RateWindow;
import io.globalcalling.spring.GlobalCallingManagerCustomizer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST API in a whole application on a random port, on the sandbox provider with calls kept in memory: every
 * endpoint, its authentication, its errors, idempotency and the event stream (issue 17).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "calling.api.enabled=true",
        "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH,
        "calling.api.keys.globex=" + CallingApiIntegrationTest.GLOBEX_HASH,
        "calling.api.keys.slow=" + CallingApiIntegrationTest.SLOW_HASH,
        "calling.api.keys.broke=" + CallingApiIntegrationTest.BROKE_HASH,
        "calling.policy.denied-prefixes=4470",
        "sandbox.time-scale=0.001"})
class CallingApiIntegrationTest {

    static final String ACME_KEY = "acme-live-6f1d2c3b4a59";
    static final String GLOBEX_KEY = "globex-live-0a9b8c7d6e5f";
    static final String SLOW_KEY = "slow-live-112233445566";
    static final String BROKE_KEY = "broke-live-665544332211";
    // SHA-256 of the keys above, as an operator configures them
    static final String ACME_HASH = "46e9e38fa325dabbbba3042a235951771e40f4ad5a8acbd43c7583b428399f50";
    static final String GLOBEX_HASH = "03653a3acdc2d3f007970ed24dc5a3d3e3119eea098d563ba36eb2da355d2850";
    static final String SLOW_HASH = "953fc46418f16232119cb3565f05b7d3b82fe03f87dc3d2b424b1110ced47c87";
    static final String BROKE_HASH = "ba30a6ce360295d9d673267d986ad094258ccffdb3c31f2bec6a50eb1d9d04a2";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        /** Tight limits for two customers; campaigns move only when a test says so. */
        @Bean
        GlobalCallingManagerCustomizer testLimits() {
            return b -> b.limits(l -> l.customerRateWindows("slow", RateWindow.perMinute(1))
                            .customerBudgets("broke", Budget.daily(Money.inr("0.01"))))
                    .campaignNode("api-test", Duration.ofSeconds(30), Duration.ZERO, 1);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GlobalCallingManager calling;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theConfiguredHashesAreTheKeysSha256() {
        assertThat(HashedApiKeys.sha256Hex(ACME_KEY)).isEqualTo(ACME_HASH);
        assertThat(HashedApiKeys.sha256Hex(GLOBEX_KEY)).isEqualTo(GLOBEX_HASH);
        assertThat(HashedApiKeys.sha256Hex(SLOW_KEY)).isEqualTo(SLOW_HASH);
        assertThat(HashedApiKeys.sha256Hex(BROKE_KEY)).isEqualTo(BROKE_HASH);
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void noRouteUnderTheApiAnswersWithoutAValidKey() throws Exception {
        int before = calling.calls().recent(10_000).size();
        List<String> routes = new ArrayList<>(mappedRoutes());
        routes.add("GET /api/calling");
        routes.add("GET /api/calling/no-such-route");
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "x");
            for (String auth : new String[]{null, "Bearer not-a-key", "Basic " + ACME_KEY, ACME_KEY}) {
                HttpRequest.Builder r = HttpRequest.newBuilder(uri(path))
                        .method(method, HttpRequest.BodyPublishers.ofString("{\"to\":\"+919876543210\"}"))
                        .header("Content-Type", "application/json");
                if (auth != null) r.header("Authorization", auth);
                HttpResponse<String> answer = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(route + " with " + auth).isEqualTo(401);
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(answer.body()).doesNotContain(ACME_KEY);
            }
        }
        assertThat(calling.calls().recent(10_000)).as("nothing placed").hasSize(before);
    }

    @Test
    void everyAnswerIsKeptOutOfCachesAndNotSniffed() throws Exception {
        HttpResponse<String> placed = post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919811119999\"}");
        String callId = JSON.readTree(placed.body()).get("callId").asString();
        String campaign = campaignId(post("/api/calling/campaign/create", ACME_KEY, campaignJson("Headers", 1)));
        List<HttpResponse<String>> answers = List.of(placed, get("/api/calling/calls/" + callId, ACME_KEY),
                get("/api/calling/calls?number=%2B919811119999", ACME_KEY),
                get("/api/calling/campaign/" + campaign + "/report", ACME_KEY),
                get("/api/calling/calls/call-that-never-was", ACME_KEY),
                post("/api/calling/voip", ACME_KEY, "{\"to\":\"12345\"}"),
                get("/api/calling/calls/" + callId, "not-a-key"));

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("Cache-Control")).as(answer.uri() + " " + answer.statusCode())
                    .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri() + " " + answer.statusCode())
                    .hasValue("nosniff");
        }
    }

    @Test
    void anUnsupportedMethodOrAnUnmappedPathIsAProblemDocument() throws Exception {
        HttpResponse<String> postToGet = post("/api/calling/calls/some-call", ACME_KEY, "{}");
        HttpResponse<String> getToPost = get("/api/calling/voip", ACME_KEY);
        HttpResponse<String> unmapped = get("/api/calling/no-such-route", ACME_KEY);

        assertThat(postToGet.statusCode()).as(postToGet.body()).isEqualTo(405);
        assertThat(postToGet.headers().firstValue("Allow")).hasValue("GET");
        assertThat(getToPost.statusCode()).as(getToPost.body()).isEqualTo(405);
        assertThat(getToPost.headers().firstValue("Allow")).hasValue("POST");
        assertThat(unmapped.statusCode()).as(unmapped.body()).isEqualTo(404);
        for (HttpResponse<String> answer : List.of(postToGet, getToPost, unmapped)) {
            assertThat(answer.headers().firstValue("Content-Type")).as(answer.body()).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("status").asInt()).isEqualTo(answer.statusCode());
            assertThat(problem.get("title").asString()).isNotBlank();
            assertThat(problem.get("detail").asString()).isNotBlank();
        }
        assertThat(JSON.readTree(postToGet.body()).get("detail").asString()).contains("POST");
        assertThat(JSON.readTree(unmapped.body()).get("detail").asString()).contains("/api/calling/no-such-route");
    }

    // ---------------------------------------------------------------- placing calls

    @Test
    void initiatePlacesACallForTheKeysCustomerWithSmartRouting() throws Exception {
        HttpResponse<String> placed = post("/api/calling/initiate", ACME_KEY,
                "{\"to\":\"+919876543210\",\"purpose\":\"notification\",\"script\":\"Hello {{name}}\","
                        + "\"variables\":{\"name\":\"Asha\"},\"language\":\"en-IN\"}");

        assertThat(placed.statusCode()).isEqualTo(201);
        JsonNode call = JSON.readTree(placed.body());
        assertThat(call.get("customerId").asString()).isEqualTo("acme");
        assertThat(call.get("category").asString()).isEqualTo("ai_automated");
        assertThat(call.get("simulated").asBoolean()).isTrue();
        assertThat(placed.headers().firstValue("Location")).hasValue("/api/calling/calls/" + call.get("callId").asString());
        assertThat(calling.calls().find(call.get("callId").asString()).orElseThrow().customerId()).isEqualTo("acme");
    }

    @Test
    void eachPinnedEndpointPlacesItsCategory() throws Exception {
        Map<String, String> expected = Map.of("/api/calling/voip", "internet_voip", "/api/calling/ai", "ai_automated",
                "/api/calling/human", "human_agent", "/api/calling/satellite", "satellite");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String to = e.getValue().equals("satellite") ? "imei:300234010753370" : "+919876543210";
            HttpResponse<String> placed = post(e.getKey(), ACME_KEY, "{\"to\":\"" + to + "\",\"script\":\"Hello\"}");
            assertThat(placed.statusCode()).as(e.getKey() + ": " + placed.body()).isEqualTo(201);
            assertThat(JSON.readTree(placed.body()).get("category").asString()).isEqualTo(e.getValue());
        }
    }

    @Test
    void aPinnedEndpointRefusesAnotherCategoryNamingTheField() throws Exception {
        HttpResponse<String> refused = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919876543210\",\"category\":\"satellite\"}");

        assertProblem(refused, 400, "category", "satellite");
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndTheValue() throws Exception {
        assertProblem(post("/api/calling/initiate", ACME_KEY, "{\"purpose\":\"notification\"}"), 400, "to", null);
        assertProblem(post("/api/calling/initiate", ACME_KEY, "{\"to\":\"12345\"}"), 400, "to", "12345");
        assertProblem(post("/api/calling/initiate", ACME_KEY, "{\"to\":\"+919876543210\",\"priority\":\"urgent-ish\"}"),
                400, "priority", "urgent-ish");
        assertProblem(post("/api/calling/initiate", ACME_KEY, "{\"to\":\"+919876543210\",\"maxCostPerMinute\":"
                + "{\"amount\":\"cheap\",\"currency\":\"INR\"}}"), 400, "maxCostPerMinute", "cheap INR");
        HttpResponse<String> notJson = post("/api/calling/initiate", ACME_KEY, "{\"to\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> wrongType = post("/api/calling/initiate", ACME_KEY,
                "{\"to\":\"+919876543210\",\"maxDurationSeconds\":\"long\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("maxDurationSeconds");
        assertProblem(get("/api/calling/calls?limit=0", ACME_KEY), 400, "limit", "0");
        assertProblem(get("/api/calling/calls?status=ringing-ish", ACME_KEY), 400, "status", "ringing-ish");
        HttpResponse<String> badLimit = get("/api/calling/calls?limit=many", ACME_KEY);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit", "many");
        assertThat(calling.calls().recent(100)).as("nothing recorded").noneMatch(c -> c.toNumber().equals("12345"));
    }

    @Test
    void anAmountInExponentNotationIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        // 1e999999999 overflowed Money's scale (500); 1e10000000 held a request thread for seconds of arithmetic
        for (String amount : new String[]{"1e999999999", "1E10000000", "1e2"}) {
            String cap = "\"maxCostPerMinute\":{\"amount\":\"" + amount + "\",\"currency\":\"INR\"}";
            assertProblem(post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919811114444\"," + cap + "}"), 400,
                    "maxCostPerMinute", amount + " INR");
            assertProblem(post("/api/calling/plan", ACME_KEY, "{\"to\":\"+919811114444\"," + cap + "}"), 400,
                    "maxCostPerMinute", amount + " INR");
        }
        assertThat(calling.calls().byNumber("+919811114444", 10)).as("nothing recorded").isEmpty();
        assertThat(post("/api/calling/plan", ACME_KEY, "{\"to\":\"+919811114444\","
                + "\"maxCostPerMinute\":{\"amount\":\"2.50\",\"currency\":\"INR\"}}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyNamingAFieldTwiceIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        // which of the two a parser keeps is its own choice: a proxy that checked the first saw another call
        HttpResponse<String> call = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811116666\",\"to\":\"+919811117777\"}");
        HttpResponse<String> campaign = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Twice\",\"targets\":[{\"number\":\"+919811116666\",\"number\":\"+919811117777\"}]}");

        for (HttpResponse<String> refused : List.of(call, campaign)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(JSON.readTree(call.body()).get("detail").asString()).contains("Duplicate", "\"to\"");
        assertThat(JSON.readTree(campaign.body()).get("detail").asString()).contains("Duplicate", "\"number\"");
        assertThat(calling.calls().byNumber("+919811117777", 10)).as("no call placed").isEmpty();
        assertThat(calling.campaigns().list("acme", 1000)).noneMatch(c -> c.name().equals("Twice"));
    }

    @Test
    void aCallBodyNamingAFieldTheApiDoesNotKnowIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        // a misspelt limit dropped is a call placed without it
        HttpResponse<String> misspelt = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811115551\",\"maxCostPerMinut\":{\"amount\":\"0.01\",\"currency\":\"INR\"}}");
        HttpResponse<String> keyInBody = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811115552\",\"idempotencyKey\":\"once-only\"}");
        HttpResponse<String> nested = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811115553\",\"maxCostPerMinute\":{\"amount\":\"0.01\",\"currency\":\"INR\",\"per\":\"hour\"}}");

        assertUnknownField(misspelt, "maxCostPerMinut");
        assertUnknownField(keyInBody, "idempotencyKey");
        assertUnknownField(nested, "per");
        for (String number : List.of("+919811115551", "+919811115552", "+919811115553")) {
            assertThat(calling.calls().byNumber(number, 10)).as("nothing recorded for " + number).isEmpty();
        }
    }

    @Test
    void aCampaignBodyNamingAFieldTheApiDoesNotKnowIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        HttpResponse<String> misspelt = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Misspelt\",\"outageAtempts\":1,\"targets\":[{\"number\":\"+919811115554\"}]}");
        HttpResponse<String> inTarget = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Misspelt target\",\"targets\":[{\"number\":\"+919811115555\",\"timeZone\":\"Asia/Kolkata\"}]}");
        HttpResponse<String> inPart = multipart(ACME_KEY, "{\"name\":\"Misspelt part\",\"callsPerSecnd\":1}",
                "number\n+919811115556\n");

        assertUnknownField(misspelt, "outageAtempts");
        assertUnknownField(inTarget, "timeZone");
        assertUnknownField(inPart, "callsPerSecnd");
        assertThat(calling.campaigns().list("acme", 1000)).as("no campaign recorded")
                .noneMatch(c -> c.name().startsWith("Misspelt"));
    }

    @Test
    void aBodyTheApiCannotReadIsAProblemInTheApisOwnTermsNamingNoJavaClass() throws Exception {
        HttpResponse<String> malformed = post("/api/calling/voip", ACME_KEY, "{\"to\": ");
        HttpResponse<String> empty = post("/api/calling/voip", ACME_KEY, "");
        HttpResponse<String> wrongType = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811119991\",\"maxDurationSeconds\":\"long\"}");
        HttpResponse<String> notAnObject = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811119992\",\"maxCostPerMinute\":\"cheap\"}");
        HttpResponse<String> notAList = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Shapeless\",\"targets\":{\"number\":\"+919811119993\"}}");
        HttpResponse<String> unknown = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811119994\",\"maxCostPerMinut\":{\"amount\":\"0.01\",\"currency\":\"INR\"}}");
        HttpResponse<String> unknownInTarget = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Shapeless\",\"targets\":[{\"number\":\"+919811119995\",\"timeZone\":\"UTC\"}]}");
        HttpResponse<String> badEnum = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811119996\",\"priority\":\"urgent-ish\"}");

        assertReadableProblem(malformed, null, "not valid JSON", "line 1, column");
        assertReadableProblem(empty, null, "missing or is not JSON");
        assertReadableProblem(wrongType, "maxDurationSeconds", "field \"maxDurationSeconds\" must be a whole number");
        assertReadableProblem(notAnObject, "maxCostPerMinute", "field \"maxCostPerMinute\" must be an object");
        assertReadableProblem(notAList, "targets", "field \"targets\" must be a list");
        assertReadableProblem(unknown, "maxCostPerMinut", "field \"maxCostPerMinut\" is not one this endpoint takes");
        assertReadableProblem(unknownInTarget, "targets[0].timeZone",
                "field \"timeZone\" in \"targets[0]\" is not one this endpoint takes");
        assertReadableProblem(badEnum, "priority", "priority", "urgent-ish");
        assertThat(calling.calls().recent(100)).as("nothing recorded")
                .noneMatch(c -> c.toNumber().startsWith("+91981111999"));
        assertThat(calling.campaigns().list("acme", 1000)).noneMatch(c -> c.name().equals("Shapeless"));
    }

    /** A 400 problem document saying {@code said} of {@code field} in the API's terms, with no server class named. */
    private static void assertReadableProblem(HttpResponse<String> refused, String field, String... said) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        if (field != null) assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).as(refused.body())
                .doesNotContain("io.globalcalling", "java.", "tools.jackson", "Jackson", "CallBody", "CampaignBody",
                        "TargetBody", "Integer", "known properties", "Source", "`", "org.springframework")
                .contains(said);
    }

    /** A 400 problem document whose detail names the field the body should not have held. */
    private static void assertUnknownField(HttpResponse<String> refused, String field) throws Exception {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("\"" + field + "\"");
    }

    @Test
    void aFractionWhereAWholeNumberGoesIsAProblemNamingItNotCutDown() throws Exception {
        HttpResponse<String> call = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919811118888\",\"maxDurationSeconds\":59.9}");
        HttpResponse<String> campaign = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Fraction\",\"callsPerSecond\":1.5,\"targets\":[{\"number\":\"+919811118888\"}]}");

        for (HttpResponse<String> refused : List.of(call, campaign)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(JSON.readTree(call.body()).get("detail").asString()).contains("maxDurationSeconds");
        assertThat(JSON.readTree(campaign.body()).get("detail").asString()).contains("callsPerSecond");
        assertThat(calling.calls().byNumber("+919811118888", 10)).as("no call placed").isEmpty();
        assertThat(calling.campaigns().list("acme", 1000)).noneMatch(c -> c.name().equals("Fraction"));
    }

    @Test
    void aDestinationLongerThanARecordKeepsIsAProblemNamingIt() throws Exception {
        String sip = "sip:" + "a".repeat(600) + "@example.com";
        HttpResponse<String> refused = post("/api/calling/voip", ACME_KEY, "{\"to\":\"" + sip + "\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("to is 616 characters", "512");
        assertThat(calling.calls().recent(100)).as("nothing recorded").noneMatch(c -> c.toNumber().equals(sip));
    }

    @Test
    void aNullVariableOrMetadataValueIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        assertProblem(post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919811113333\",\"metadata\":{\"ticket\":null}}"),
                400, "metadata.ticket", null);
        assertProblem(post("/api/calling/ai", ACME_KEY, "{\"to\":\"+919811113333\",\"script\":\"Hi {{name}}\","
                + "\"variables\":{\"name\":null}}"), 400, "variables.name", null);
        assertThat(calling.calls().recent(100)).as("nothing recorded").noneMatch(c -> c.toNumber().equals("+919811113333"));
    }

    @Test
    void aBodyLargerThanTheLimitIs413AndNothingIsRecorded() throws Exception {
        String huge = "{\"to\":\"+919811110001\",\"script\":\"" + "Hello. ".repeat(3 * 1024 * 1024 / 7) + "\"}";
        HttpResponse<String> sized = post("/api/calling/ai", ACME_KEY, huge);
        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(uri("/api/calling/ai"))
                .header("Authorization", "Bearer " + ACME_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> refused : List.of(sized, chunked)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("1048576 bytes");
        }
        assertThat(calling.calls().byNumber("+919811110001", 10)).as("nothing recorded").isEmpty();
    }

    @Test
    void aScriptPayloadOrMetadataLongerThanTheApiTakesIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        String to = "\"to\":\"+919811110002\"";
        assertProblem(post("/api/calling/ai", ACME_KEY, "{" + to + ",\"script\":\"" + "a".repeat(CallBody.MAX_SCRIPT + 1)
                + "\"}"), 400, "script", null);
        assertProblem(post("/api/calling/ai", ACME_KEY, "{" + to + ",\"script\":\"Hi {{name}}\",\"variables\":{\"name\":\""
                + "a".repeat(CallBody.MAX_SCRIPT + 1) + "\"}}"), 400, "variables.name", null);
        assertProblem(post("/api/calling/initiate", ACME_KEY, "{\"to\":\"https://alerts.example.com/x\",\"payload\":\"\\\""
                + "a".repeat(CallBody.MAX_PAYLOAD_BYTES) + "\\\"\"}"), 400, "payload", null);
        assertProblem(post("/api/calling/voip", ACME_KEY, "{" + to + ",\"metadata\":{\"note\":\""
                + "a".repeat(CallBody.MAX_METADATA_VALUE + 1) + "\"}}"), 400, "metadata.note", null);
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"Long script\",\"script\":\""
                + "a".repeat(CallBody.MAX_SCRIPT + 1) + "\",\"targets\":[{\"number\":\"+919811110002\"}]}"), 400,
                "script", null);
        assertThat(calling.calls().byNumber("+919811110002", 10)).as("nothing recorded").isEmpty();
        assertThat(calling.calls().recent(100)).noneMatch(c -> c.toNumber().equals("https://alerts.example.com/x"));
        assertThat(calling.campaigns().list("acme", 1000)).noneMatch(c -> c.name().equals("Long script"));
    }

    @Test
    void aDestinationThePolicyRefusesIsForbidden() throws Exception {
        HttpResponse<String> refused = post("/api/calling/voip", ACME_KEY, "{\"to\":\"+447011112222\"}");

        assertProblem(refused, 403, "to", "+447011112222");
    }

    @Test
    void aCallNoProviderCanTakeUnderItsCostCapIs422() throws Exception {
        HttpResponse<String> refused = post("/api/calling/voip", ACME_KEY,
                "{\"to\":\"+919876543210\",\"maxCostPerMinute\":{\"amount\":\"0.01\",\"currency\":\"INR\"}}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(refused.body()).get("category").asString()).isEqualTo("internet_voip");
    }

    @Test
    void aFullRateWindowIs429WithRetryAfter() throws Exception {
        assertThat(post("/api/calling/voip", SLOW_KEY, "{\"to\":\"+919876543210\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> refused = post("/api/calling/voip", SLOW_KEY, "{\"to\":\"+919876543211\"}");

        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("limit").asString()).isEqualTo("calls-per-minute");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919876543211\"}").statusCode())
                .as("another customer's window is its own").isEqualTo(201);
    }

    @Test
    void anExhaustedBudgetIs402WithRetryAfter() throws Exception {
        HttpResponse<String> refused = post("/api/calling/voip", BROKE_KEY, "{\"to\":\"+919876543210\"}");

        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(JSON.readTree(refused.body()).get("limit").asString()).isEqualTo("spend-per-day");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 86_400L);
    }

    @Test
    void aPostWhoseAnswerTheClientDoesNotAcceptIsRefusedBeforeAnythingIsPlacedOrRecorded() throws Exception {
        HttpResponse<String> call = post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919844445555\"}",
                "Accept", "text/html");
        HttpResponse<String> campaign = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\": \"Accept-406\", \"targets\": [{\"number\": \"+919844445555\"}]}", "Accept", "text/html");

        assertThat(call.statusCode()).as(call.body()).isEqualTo(406);
        assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(406);
        assertThat(calling.calls().byNumber("+919844445555", 10)).as("no call placed").isEmpty();
        assertThat(calling.campaigns().list("acme", 1000)).as("no campaign recorded")
                .noneMatch(c -> c.name().equals("Accept-406"));
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyReturnsTheFirstCall() throws Exception {
        String body = "{\"to\":\"+919812345678\"}";
        HttpResponse<String> first = post("/api/calling/voip", ACME_KEY, body, "Idempotency-Key", "order-4711");
        HttpResponse<String> retry = post("/api/calling/voip", ACME_KEY, body, "Idempotency-Key", "order-4711");

        assertThat(first.statusCode()).isEqualTo(201);
        String callId = JSON.readTree(first.body()).get("callId").asString();
        assertThat(first.headers().firstValue("Location")).hasValue("/api/calling/calls/" + callId);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(retry.statusCode()).as("a replay is not a creation").isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.headers().firstValue("Location")).isEmpty();
        assertThat(JSON.readTree(retry.body()).get("callId").asString()).isEqualTo(callId);
        assertThat(calling.calls().byNumber("+919812345678", 10)).hasSize(1);

        HttpResponse<String> otherCustomer = post("/api/calling/voip", GLOBEX_KEY, body, "Idempotency-Key", "order-4711");
        assertThat(JSON.readTree(otherCustomer.body()).get("callId").asString())
                .as("keys are scoped per customer").isNotEqualTo(callId);

        HttpResponse<String> reused = post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919800000001\"}",
                "Idempotency-Key", "order-4711");
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(reused.body()).contains("order-4711", callId);

        assertProblem(post("/api/calling/voip", ACME_KEY, body, "Idempotency-Key", "no spaces"), 400,
                "Idempotency-Key", "no spaces");
    }

    @Test
    void aKeyReusedForTheSameNumberWithOtherSettingsIsAConflictNotAReplay() throws Exception {
        String first = "{\"to\":\"+919812340001\",\"metadata\":{\"order\":\"A-1\"}}";
        assertThat(post("/api/calling/voip", ACME_KEY, first, "Idempotency-Key", "order-A-1").statusCode()).isEqualTo(201);
        assertThat(post("/api/calling/voip", ACME_KEY, first, "Idempotency-Key", "order-A-1").statusCode())
                .as("a retry of the same body").isEqualTo(200);

        for (String other : List.of("{\"to\":\"+919812340001\",\"metadata\":{\"order\":\"B-2\"}}",
                "{\"to\":\"+919812340001\",\"metadata\":{\"order\":\"A-1\"},\"priority\":\"emergency\"}",
                "{\"to\":\"+919812340001\",\"metadata\":{\"order\":\"A-1\"},\"purpose\":\"sales\"}",
                "{\"to\":\"+919812340001\",\"metadata\":{\"order\":\"A-1\"},\"from\":\"+14155550100\"}")) {
            HttpResponse<String> reused = post("/api/calling/voip", ACME_KEY, other, "Idempotency-Key", "order-A-1");
            assertThat(reused.statusCode()).as(other + ": " + reused.body()).isEqualTo(409);
            assertThat(reused.body()).contains("order-A-1");
        }
        assertThat(calling.calls().byNumber("+919812340001", 10)).hasSize(1);
    }

    /** What a call says or may spend is not on its record, and a key reused with another of it is still a 409. */
    @Test
    void aKeyReusedWithAnotherScriptVariableCostCapOrLocationIsAConflictNotAReplay() throws Exception {
        String first = "{\"to\":\"+919812340002\",\"script\":\"Your code is {{otp}}\",\"variables\":{\"otp\":\"4711\"}}";
        assertThat(post("/api/calling/ai", ACME_KEY, first, "Idempotency-Key", "otp-B-7").statusCode()).isEqualTo(201);
        assertThat(post("/api/calling/ai", ACME_KEY, first, "Idempotency-Key", "otp-B-7").statusCode())
                .as("a retry of the same body").isEqualTo(200);

        for (String other : List.of(
                "{\"to\":\"+919812340002\",\"script\":\"Your code is {{otp}}\",\"variables\":{\"otp\":\"9931\"}}",
                "{\"to\":\"+919812340002\",\"script\":\"Your new code is {{otp}}\",\"variables\":{\"otp\":\"4711\"}}",
                "{\"to\":\"+919812340002\",\"script\":\"Your code is {{otp}}\",\"variables\":{\"otp\":\"4711\"},"
                        + "\"maxCostPerMinute\":{\"amount\":\"50\",\"currency\":\"INR\"}}",
                "{\"to\":\"+919812340002\",\"script\":\"Your code is {{otp}}\",\"variables\":{\"otp\":\"4711\"},"
                        + "\"location\":{\"latitude\":28.61,\"longitude\":77.21}}",
                "{\"to\":\"+919812340002\",\"script\":\"Your code is {{otp}}\",\"variables\":{\"otp\":\"4711\"},"
                        + "\"language\":\"hi-IN\"}")) {
            HttpResponse<String> reused = post("/api/calling/ai", ACME_KEY, other, "Idempotency-Key", "otp-B-7");
            assertThat(reused.statusCode()).as(other + ": " + reused.body()).isEqualTo(409);
            assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(reused.body()).get("title").asString()).isEqualTo("Conflict");
            assertThat(reused.body()).contains("otp-B-7").doesNotContain("4711", "9931");
        }
        assertThat(calling.calls().byNumber("+919812340002", 10)).hasSize(1);
    }

    @Test
    void noProblemQuotesTheCredentialsOrQueryOfADestinationOrUrl() throws Exception {
        String hook = "https://hooks:s3cret-pass@alerts.example.com/notify?token=tok-4242";
        String first = "{\"to\":\"" + hook + "\",\"payload\":\"{}\",\"metadata\":{\"order\":\"A-1\"}}";
        assertThat(post("/api/calling/initiate", ACME_KEY, first, "Idempotency-Key", "hook-1").statusCode())
                .isEqualTo(201);
        HttpResponse<String> reused = post("/api/calling/initiate", ACME_KEY, first.replace("A-1", "B-2"),
                "Idempotency-Key", "hook-1");
        HttpResponse<String> badTo = post("/api/calling/initiate", ACME_KEY,
                "{\"to\":\"https://hooks:s3cret-pass@alerts.example.com/no tify?token=tok-4242\",\"payload\":\"{}\"}");
        HttpResponse<String> badAnswerUrl = post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919811115555\","
                + "\"answerUrl\":\"https://hooks:s3cret-pass@twiml.example.com/an swer?token=tok-4242\"}");

        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
        assertThat(reused.body()).contains("hook-1", "alerts.example.com/notify");
        assertThat(badTo.statusCode()).as(badTo.body()).isEqualTo(400);
        assertThat(badAnswerUrl.statusCode()).as(badAnswerUrl.body()).isEqualTo(400);
        assertThat(JSON.readTree(badAnswerUrl.body()).get("field").asString()).isEqualTo("answerUrl");
        for (HttpResponse<String> refused : List.of(reused, badTo, badAnswerUrl)) {
            assertThat(refused.body()).doesNotContain("s3cret-pass", "tok-4242");
        }
        assertThat(calling.calls().byNumber("+919811115555", 10)).as("nothing recorded").isEmpty();
    }

    // ---------------------------------------------------------------- dry runs and reports

    @Test
    void planAndEstimateRecordNothing() throws Exception {
        HttpResponse<String> plan = post("/api/calling/plan", ACME_KEY, "{\"to\":\"+919876543210\",\"category\":\"internet_voip\"}");
        HttpResponse<String> estimate = post("/api/calling/estimate?durationSeconds=300", ACME_KEY,
                "{\"to\":\"+919876543210\",\"category\":\"internet_voip\"}");

        assertThat(plan.statusCode()).isEqualTo(200);
        JsonNode p = JSON.readTree(plan.body());
        assertThat(p.get("category").asString()).isEqualTo("internet_voip");
        assertThat(p.get("options").get(0).get("providerId").asString()).isEqualTo("sandbox");
        assertThat(p.get("simulated").asBoolean()).isTrue();
        assertThat(estimate.statusCode()).isEqualTo(200);
        JsonNode e = JSON.readTree(estimate.body());
        assertThat(e.get("durationSeconds").asInt()).isEqualTo(300);
        assertThat(e.get("total").get("amount").asString()).matches("\\d+(\\.\\d+)?");
        assertThat(calling.calls().byNumber("+919876543210", 100)).noneMatch(c -> c.customerId().equals("acme")
                && c.category().wireName().equals("internet_voip") && c.createdAt().isAfter(java.time.Instant.now().minusSeconds(2)));
        assertProblem(post("/api/calling/estimate?durationSeconds=-1", ACME_KEY, "{\"to\":\"+919876543210\"}"), 400,
                "durationSeconds", "-1");
    }

    @Test
    void anEstimateOfADurationNoCallCanLastIsAProblemNamingIt() throws Exception {
        HttpResponse<String> estimate = post("/api/calling/estimate?durationSeconds=" + Long.MAX_VALUE, ACME_KEY,
                "{\"to\":\"+919876543210\",\"category\":\"internet_voip\"}");

        assertProblem(estimate, 400, "durationSeconds", Long.toString(Long.MAX_VALUE));
    }

    @Test
    void coverageIsTheManagersReport() throws Exception {
        HttpResponse<String> coverage = get("/api/calling/coverage", ACME_KEY);

        assertThat(coverage.statusCode()).isEqualTo(200);
        JsonNode c = JSON.readTree(coverage.body());
        assertThat(c.get("overall").get("countryCount").asInt()).isEqualTo(calling.coverage().overall().countryCount());
        assertThat(c.get("categories").size()).isEqualTo(calling.coverage().categories().size());
        assertThat(c.get("overall").get("simulatedProviders").get(0).asString()).isEqualTo("sandbox");
    }

    @Test
    void aCustomerReadsItsOwnCallsOnly() throws Exception {
        String mine = JSON.readTree(post("/api/calling/voip", GLOBEX_KEY, "{\"to\":\"+919811112222\"}").body())
                .get("callId").asString();
        post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919811112222\"}");
        // the sandbox moves the call on: its status is read once it can no longer change, then filtered by
        await().atMost(Duration.ofSeconds(30))
                .until(() -> calling.calls().find(mine).orElseThrow().status().isTerminal());

        assertThat(get("/api/calling/calls/" + mine, GLOBEX_KEY).statusCode()).isEqualTo(200);
        assertThat(get("/api/calling/calls/" + mine, ACME_KEY).statusCode()).as("another customer's").isEqualTo(404);
        assertThat(get("/api/calling/calls/call-that-never-was", GLOBEX_KEY).statusCode()).isEqualTo(404);

        JsonNode byNumber = JSON.readTree(get("/api/calling/calls?number=%2B919811112222&limit=10", GLOBEX_KEY).body());
        assertThat(byNumber.get("calls").size()).isEqualTo(1);
        assertThat(byNumber.get("calls").get(0).get("callId").asString()).isEqualTo(mine);
        String status = byNumber.get("calls").get(0).get("status").asString();
        assertThat(byNumber.get("calls").get(0).get("statusRank").asInt())
                .isEqualTo(CallStatus.fromWireName(status).rank());
        JsonNode byStatus = JSON.readTree(get("/api/calling/calls?status=" + status + "&number=%2B919811112222",
                GLOBEX_KEY).body());
        assertThat(byStatus.get("calls").size()).isEqualTo(1);
        JsonNode recent = JSON.readTree(get("/api/calling/calls?limit=1000", GLOBEX_KEY).body());
        assertThat(recent.get("calls").findValuesAsString("customerId")).containsOnly("globex");
    }

    // ---------------------------------------------------------------- events

    @Test
    void theEventStreamDeliversTheCustomersStatusChangesOnly() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/calling/events"))
                .header("Authorization", "Bearer " + ACME_KEY).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> stream = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).as("subscribed before anything is placed").isEqualTo(":subscribed");
            String theirs = JSON.readTree(post("/api/calling/voip", GLOBEX_KEY, "{\"to\":\"+919833334444\"}").body())
                    .get("callId").asString();
            String mine = JSON.readTree(post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919833334444\"}").body())
                    .get("callId").asString();

            // bounded so that a missing event fails the test instead of hanging it
            CompletableFuture<List<String>> untilMine = CompletableFuture.supplyAsync(() -> readUntil(lines, mine));
            List<String> received = untilMine.get(30, TimeUnit.SECONDS);

            assertThat(received).anyMatch(l -> l.equals("event:status"));
            JsonNode change = JSON.readTree(received.get(received.size() - 1).substring("data:".length()));
            assertThat(change.get("callId").asString()).isEqualTo(mine);
            assertThat(change.get("call").get("customerId").asString()).isEqualTo("acme");
            assertThat(change.get("previous").asString()).isNotEqualTo(change.get("status").asString());
            assertThat(received).noneMatch(l -> l.contains(theirs));
        }
    }

    private static List<String> readUntil(BufferedReader lines, String callId) {
        List<String> seen = new ArrayList<>();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.add(line);
                if (line.startsWith("data:") && line.contains("\"callId\":\"" + callId + "\"")) return seen;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("the stream ended before an event of " + callId + ": " + seen);
    }

    // ---------------------------------------------------------------- campaigns

    @Test
    void aCampaignWithInlineTargetsIsCreatedStartedPausedResumedCancelledAndReported() throws Exception {
        HttpResponse<String> created = post("/api/calling/campaign/create", ACME_KEY, """
                {"name": "Renewals", "category": "ai_automated", "script": "Hello {{name}}", "callsPerSecond": 2,
                 "targets": [{"number": "+919876500001", "variables": {"name": "Asha"}},
                             {"number": "98765", "variables": {"name": "Ravi"}},
                             {"number": "+919876500002"}]}
                """);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode c = JSON.readTree(created.body());
        String id = c.get("campaignId").asString();
        assertThat(c.get("added").asInt()).isEqualTo(1);
        assertThat(c.get("skipped").asInt()).isEqualTo(2);
        assertThat(c.get("problems").findValuesAsString("value")).contains("98765");
        assertThat(c.get("progress").get("status").asString()).isEqualTo("scheduled");
        assertThat(calling.campaigns().find(id).customerId()).isEqualTo("acme");

        assertThat(status(post("/api/calling/campaign/" + id + "/start", ACME_KEY, ""))).isEqualTo("in_progress");
        assertThat(status(post("/api/calling/campaign/" + id + "/pause", ACME_KEY, ""))).isEqualTo("paused");
        assertThat(status(post("/api/calling/campaign/" + id + "/resume", ACME_KEY, ""))).isEqualTo("in_progress");
        assertThat(status(post("/api/calling/campaign/" + id + "/cancel", ACME_KEY, ""))).isEqualTo("canceled");
        HttpResponse<String> restart = post("/api/calling/campaign/" + id + "/start", ACME_KEY, "");
        assertThat(restart.statusCode()).isEqualTo(409);
        assertThat(restart.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> progress = get("/api/calling/campaign/" + id + "/progress", ACME_KEY);
        assertThat(JSON.readTree(progress.body()).get("total").asInt()).isEqualTo(1);
        HttpResponse<String> report = get("/api/calling/campaign/" + id + "/report", ACME_KEY);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(report.body()).contains("+919876500001");

        assertThat(get("/api/calling/campaign/" + id + "/progress", GLOBEX_KEY).statusCode())
                .as("another customer's campaign").isEqualTo(404);
        assertThat(post("/api/calling/campaign/" + id + "/pause", GLOBEX_KEY, "").statusCode()).isEqualTo(404);
        assertThat(get("/api/calling/campaign/cmp_none/report", ACME_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void aCampaignsTargetsMayComeAsACsvUpload() throws Exception {
        HttpResponse<String> created = multipart(ACME_KEY, "{\"name\": \"Reminders\", \"script\": \"Hi {{name}}\"}",
                "number,name\n+919876500011,Asha\n+919876500012,Ravi\nnot-a-number,Jo\n");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode c = JSON.readTree(created.body());
        assertThat(c.get("added").asInt()).isEqualTo(2);
        assertThat(c.get("skipped").asInt()).isEqualTo(1);
        assertThat(c.get("problems").get(0).get("line").asInt()).isEqualTo(4);

        HttpResponse<String> noNumberColumn = multipart(ACME_KEY, "{\"name\": \"Broken\"}", "phone,name\n+919876500011,Asha\n");
        assertProblem(noNumberColumn, 400, "csv", null);
        // a file without a header row: its first line is a recipient, whom the 400 does not quote
        HttpResponse<String> noHeader = multipart(ACME_KEY, "{\"name\": \"No header\"}", "+919876500011,Asha\n");
        assertProblem(noHeader, 400, "csv", null);
        assertThat(noHeader.body()).contains("'number'").doesNotContain("919876500011").doesNotContain("Asha");
    }

    @Test
    void aCampaignNeedsANameAndTargets() throws Exception {
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"targets\":[{\"number\":\"+919876500001\"}]}"),
                400, "name", null);
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"Empty\"}"), 400, "targets", null);
        assertProblem(post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"Fast\",\"callsPerSecond\":0,\"targets\":[{\"number\":\"+919876500001\"}]}"),
                400, "callsPerSecond", "0");
        String longName = "N".repeat(513);   // longer than the database keeps
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"" + longName + "\","
                + "\"targets\":[{\"number\":\"+919876500001\"}]}"), 400, "name", longName);
    }

    @Test
    void aCampaignsOutageSettingsAreKeptInItsPolicy() throws Exception {
        HttpResponse<String> created = post("/api/calling/campaign/create", ACME_KEY, """
                {"name": "Outage", "outageDelaySeconds": 5, "outageAttempts": 2, "outagePause": 3,
                 "targets": [{"number": "+919876500021"}]}
                """);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        CampaignPolicy policy = calling.campaigns().policy(JSON.readTree(created.body()).get("campaignId").asString());
        assertThat(policy.outageDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.outageAttempts()).isEqualTo(2);
        assertThat(policy.outagePause()).isEqualTo(3);

        // one of the pair alone keeps the other's default
        HttpResponse<String> attemptsOnly = post("/api/calling/campaign/create", ACME_KEY, """
                {"name": "Outage attempts", "outageAttempts": 1, "targets": [{"number": "+919876500022"}]}
                """);
        assertThat(attemptsOnly.statusCode()).as(attemptsOnly.body()).isEqualTo(201);
        CampaignPolicy defaults = CampaignPolicy.defaults();
        CampaignPolicy kept = calling.campaigns().policy(JSON.readTree(attemptsOnly.body()).get("campaignId").asString());
        assertThat(kept.outageAttempts()).isEqualTo(1);
        assertThat(kept.outageDelay()).isEqualTo(defaults.outageDelay());
        assertThat(kept.outagePause()).isEqualTo(defaults.outagePause());
    }

    @Test
    void aCampaignsBadOutageSettingsAreProblemsNamingTheFieldAndNothingIsRecorded() throws Exception {
        int campaigns = calling.campaigns().list("acme", 100).size();
        String target = ",\"targets\":[{\"number\":\"+919876500023\"}]}";

        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"O\",\"outageDelaySeconds\":0" + target),
                400, "outageDelaySeconds", "0");
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"O\",\"outageDelaySeconds\":-30" + target),
                400, "outageDelaySeconds", "-30");
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"O\",\"outageAttempts\":0" + target),
                400, "outageAttempts", "0");
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"O\",\"outagePause\":-1" + target),
                400, "outagePause", "-1");
        assertThat(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"O\",\"outagePause\":1.5" + target)
                .statusCode()).isEqualTo(400);
        assertThat(calling.campaigns().list("acme", 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCampaignsRetriesWindowsAndCapsAreKeptInItsPolicyAndAClosedWindowKeepsItsCallBack() throws Exception {
        // open only on the day after tomorrow in the recipient's zone: closed all of today and tomorrow
        DayOfWeek open = ZonedDateTime.now(ZoneId.of("Asia/Kolkata")).getDayOfWeek().plus(2);
        HttpResponse<String> created = post("/api/calling/campaign/create", ACME_KEY, """
                {"name": "Rules", "retries": [{"outcome": "busy", "delaySeconds": 600, "maxAttempts": 3},
                                              {"outcome": "no_answer", "delaySeconds": 0, "maxAttempts": 2}],
                 "windows": {"%s": {"from": "09:30", "until": "24:00"}},
                 "frequencyCaps": [{"maxCalls": 2, "perSeconds": 86400}],
                 "targets": [{"number": "+919876500031"}]}
                """.formatted(open.name().toLowerCase(Locale.ROOT)));

        String id = campaignId(created);
        CampaignPolicy policy = calling.campaigns().policy(id);
        assertThat(policy.retries()).containsExactly(
                Map.entry(Outcome.BUSY, new RetryRule(Duration.ofMinutes(10), 3)),
                Map.entry(Outcome.NO_ANSWER, new RetryRule(Duration.ZERO, 2)));
        assertThat(policy.windows()).isEqualTo(CallingWindows.of(Map.of(open,
                new CallingWindows.Window(LocalTime.of(9, 30), LocalTime.MAX))));
        assertThat(policy.frequencyCaps()).containsExactly(new FrequencyCap(2, Duration.ofDays(1)));

        assertThat(status(post("/api/calling/campaign/" + id + "/start", ACME_KEY, ""))).isEqualTo("in_progress");
        calling.campaigns().runOnce();

        assertThat(calling.campaigns().progress(id).pending()).as("waits for its window").isEqualTo(1);
        assertThat(JSON.readTree(get("/api/calling/calls?number=%2B919876500031", ACME_KEY).body()).get("calls").size())
                .as("no call outside the window").isZero();
    }

    @Test
    void aCampaignsFrequencyCapKeepsBackANumberCalledAlready() throws Exception {
        String called = JSON.readTree(post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919876500032\"}").body())
                .get("callId").asString();
        assertThat(called).isNotBlank();
        String id = campaignId(post("/api/calling/campaign/create", ACME_KEY, """
                {"name": "Capped", "callsPerSecond": 10, "frequencyCaps": [{"maxCalls": 1, "perSeconds": 86400}],
                 "windows": {"monday": {"from": "00:00", "until": "24:00"}, "tuesday": {"from": "00:00", "until": "24:00"},
                             "wednesday": {"from": "00:00", "until": "24:00"}, "thursday": {"from": "00:00", "until": "24:00"},
                             "friday": {"from": "00:00", "until": "24:00"}, "saturday": {"from": "00:00", "until": "24:00"},
                             "sunday": {"from": "00:00", "until": "24:00"}},
                 "targets": [{"number": "+919876500032"}, {"number": "+919876500033"}]}
                """));

        assertThat(status(post("/api/calling/campaign/" + id + "/start", ACME_KEY, ""))).isEqualTo("in_progress");
        calling.campaigns().runOnce();

        assertThat(JSON.readTree(get("/api/calling/calls?number=%2B919876500033", ACME_KEY).body()).get("calls").size())
                .as("a number under its cap is called").isEqualTo(1);
        assertThat(JSON.readTree(get("/api/calling/calls?number=%2B919876500032", ACME_KEY).body()).get("calls").size())
                .as("the number called already is held back by the cap").isEqualTo(1);
        assertThat(calling.campaigns().progress(id).pending()).isEqualTo(1);
    }

    @Test
    void aCampaignsBadRetriesWindowsAndCapsAreProblemsNamingTheFieldAndNothingIsRecorded() throws Exception {
        int campaigns = calling.campaigns().list("acme", 100).size();
        String target = ",\"targets\":[{\"number\":\"+919876500034\"}]}";
        Map<String, String[]> bad = new java.util.LinkedHashMap<>();
        bad.put("\"retries\":[{\"outcome\":\"completed\",\"delaySeconds\":60,\"maxAttempts\":2}]",
                new String[]{"retries[0].outcome", "completed"});
        bad.put("\"retries\":[{\"outcome\":\"BUSY\",\"delaySeconds\":60,\"maxAttempts\":2}]",
                new String[]{"retries[0].outcome", "BUSY"});
        bad.put("\"retries\":[{\"delaySeconds\":60,\"maxAttempts\":2}]", new String[]{"retries[0].outcome", null});
        bad.put("\"retries\":[{\"outcome\":\"busy\",\"delaySeconds\":-1,\"maxAttempts\":2}]",
                new String[]{"retries[0].delaySeconds", "-1"});
        bad.put("\"retries\":[{\"outcome\":\"busy\",\"maxAttempts\":2}]", new String[]{"retries[0].delaySeconds", null});
        bad.put("\"retries\":[{\"outcome\":\"busy\",\"delaySeconds\":60,\"maxAttempts\":0}]",
                new String[]{"retries[0].maxAttempts", "0"});
        bad.put("\"retries\":[{\"outcome\":\"busy\",\"delaySeconds\":60,\"maxAttempts\":2},"
                + "{\"outcome\":\"busy\",\"delaySeconds\":5,\"maxAttempts\":3}]", new String[]{"retries[1].outcome", "busy"});
        bad.put("\"retries\":[null]", new String[]{"retries[0]", null});
        bad.put("\"windows\":{}", new String[]{"windows", "{}"});
        bad.put("\"windows\":{\"funday\":{\"from\":\"09:00\",\"until\":\"17:00\"}}", new String[]{"windows.funday", "funday"});
        bad.put("\"windows\":{\"monday\":{\"from\":\"9am\",\"until\":\"17:00\"}}", new String[]{"windows.monday.from", "9am"});
        bad.put("\"windows\":{\"monday\":{\"from\":\"09:00\"}}", new String[]{"windows.monday.until", null});
        bad.put("\"windows\":{\"monday\":{\"from\":\"17:00\",\"until\":\"09:00\"}}",
                new String[]{"windows.monday", "17:00-09:00"});
        bad.put("\"windows\":{\"monday\":null}", new String[]{"windows.monday", null});
        bad.put("\"frequencyCaps\":[{\"maxCalls\":0,\"perSeconds\":3600}]", new String[]{"frequencyCaps[0].maxCalls", "0"});
        bad.put("\"frequencyCaps\":[{\"maxCalls\":1,\"perSeconds\":0}]", new String[]{"frequencyCaps[0].perSeconds", "0"});
        bad.put("\"frequencyCaps\":[{\"maxCalls\":1}]", new String[]{"frequencyCaps[0].perSeconds", null});
        for (Map.Entry<String, String[]> b : bad.entrySet()) {
            HttpResponse<String> answer = post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"R\"," + b.getKey() + target);
            assertProblem(answer, 400, b.getValue()[0], b.getValue()[1]);
        }
        // a field a rule does not have is refused as the body's other unknown fields are
        HttpResponse<String> misspelt = post("/api/calling/campaign/create", ACME_KEY,
                "{\"name\":\"R\",\"retries\":[{\"outcome\":\"busy\",\"delay\":60,\"maxAttempts\":2}]" + target);
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(misspelt.body()).contains("delay");
        assertThat(calling.campaigns().list("acme", 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCampaignWhoseEveryInlineTargetIsInvalidIsAProblemListingTheRowsAndNothingIsRecorded() throws Exception {
        int campaigns = calling.campaigns().list("acme", 100).size();

        HttpResponse<String> allBad = post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"All bad\","
                + "\"targets\":[{\"number\":\"98765\"},{\"number\":\"not-a-number\"}]}");

        assertProblem(allBad, 400, "targets", null);
        assertThat(JSON.readTree(allBad.body()).get("detail").asString()).contains("98765", "not-a-number");
        assertThat(calling.campaigns().list("acme", 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCsvHeaderIsReadAsTheImportReadsIt() throws Exception {
        int campaigns = calling.campaigns().list("acme", 100).size();

        // a space before the quote: the import reads the field as ' "number"', which is no number column
        assertProblem(multipart(ACME_KEY, "{\"name\": \"Spaced\"}", " \"number\",name\n+919876500041,Asha\n"),
                400, "csv", null);
        // a quote never closed: the whole file is the header
        assertProblem(multipart(ACME_KEY, "{\"name\": \"Unclosed\"}", "\"number,name\n+919876500042,Asha\n"),
                400, "csv", null);
        assertThat(calling.campaigns().list("acme", 100)).as("nothing recorded").hasSize(campaigns);

        // a quoted column name spanning two lines is a valid header
        HttpResponse<String> spanning = multipart(ACME_KEY, "{\"name\": \"Spanning\"}",
                "\"first\nname\",number\nAsha,+919876500043\n");
        assertThat(spanning.statusCode()).as(spanning.body()).isEqualTo(201);
        assertThat(JSON.readTree(spanning.body()).get("added").asInt()).isEqualTo(1);
    }

    @Test
    void aCampaignWhoseSettingsNoCallCouldBePlacedWithIsAProblemNamingTheSettingAndNothingIsRecorded() throws Exception {
        int campaigns = calling.campaigns().list("acme", 100).size();
        // what a single call with the same settings is refused for, a campaign must be too, not each of its calls
        assertThat(post("/api/calling/voip", ACME_KEY, "{\"to\":\"+919876500031\",\"from\":\"+10005552671\"}")
                .statusCode()).isEqualTo(400);

        HttpResponse<String> badCaller = post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"Caller\","
                + "\"from\":\"+10005552671\",\"targets\":[{\"number\":\"+919876500031\"}]}");
        assertThat(badCaller.statusCode()).as(badCaller.body()).isEqualTo(400);
        assertThat(JSON.readTree(badCaller.body()).get("detail").asString()).contains("from", "+10005552671");

        HttpResponse<String> unreachable = post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"Hooks\","
                + "\"category\":\"system_api\",\"targets\":[{\"number\":\"+919876500031\"}]}");
        assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(400);
        assertThat(JSON.readTree(unreachable.body()).get("detail").asString()).contains("category", "system_api");

        assertThat(calling.campaigns().list("acme", 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aNullTargetOrTargetVariableIsAProblemNamingItAndNothingIsRecorded() throws Exception {
        int campaigns = calling.campaigns().list("acme", 100).size();

        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"Nulls\",\"targets\":["
                + "{\"number\":\"+919876500001\",\"variables\":{\"name\":null}}]}"), 400, "targets[0].variables.name", null);
        assertProblem(post("/api/calling/campaign/create", ACME_KEY, "{\"name\":\"Nulls\",\"targets\":["
                + "{\"number\":\"+919876500001\"},null]}"), 400, "targets[1]", null);
        assertThat(calling.campaigns().list("acme", 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCustomerListsItsOwnCampaignsNewestFirstWithTheirCounters() throws Exception {
        String theirs = campaignId(post("/api/calling/campaign/create", GLOBEX_KEY, campaignJson("Theirs", 1)));
        String older = campaignId(post("/api/calling/campaign/create", ACME_KEY, campaignJson("Older", 2)));
        String newer = campaignId(post("/api/calling/campaign/create", ACME_KEY, campaignJson("Newer", 3)));

        HttpResponse<String> mine = get("/api/calling/campaigns?limit=1000", ACME_KEY);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        JsonNode listed = JSON.readTree(mine.body()).get("campaigns");
        List<String> ids = listed.findValuesAsString("campaignId");
        assertThat(ids).contains(older, newer).doesNotContain(theirs)
                .isEqualTo(calling.campaigns().list("acme", 1000).stream().map(c -> c.campaignId()).toList());
        JsonNode newest = listed.valueStream().filter(c -> c.get("campaignId").asString().equals(newer)).findFirst()
                .orElseThrow();
        assertThat(newest.get("name").asString()).isEqualTo("Newer");
        assertThat(newest.get("status").asString()).isEqualTo("scheduled");
        assertThat(newest.get("total").asInt()).isEqualTo(3);
        assertThat(newest.get("completed").asInt()).isZero();
        assertThat(newest.get("totalCost").get("currency").asString()).isNotBlank();

        List<String> globex = JSON.readTree(get("/api/calling/campaigns", GLOBEX_KEY).body()).get("campaigns")
                .findValuesAsString("campaignId");
        assertThat(globex).contains(theirs).doesNotContain(older, newer);
        assertThat(JSON.readTree(get("/api/calling/campaigns?limit=1", ACME_KEY).body()).get("campaigns")
                .findValuesAsString("campaignId")).containsExactly(ids.get(0));
        assertProblem(get("/api/calling/campaigns?limit=0", ACME_KEY), 400, "limit", "0");
        assertProblem(get("/api/calling/campaigns?limit=1001", ACME_KEY), 400, "limit", "1001");
    }

    @Test
    void aRetriedCampaignCreateWithTheSameIdempotencyKeyReturnsTheFirstCampaign() throws Exception {
        String body = campaignJson("Quarterly", 2);
        HttpResponse<String> first = post("/api/calling/campaign/create", ACME_KEY, body, "Idempotency-Key", "q-2026-1");
        HttpResponse<String> retry = post("/api/calling/campaign/create", ACME_KEY, body, "Idempotency-Key", "q-2026-1");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String id = campaignId(first);
        assertThat(first.headers().firstValue("Location")).hasValue("/api/calling/campaign/" + id + "/progress");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode replay = JSON.readTree(retry.body());
        assertThat(replay.get("campaignId").asString()).isEqualTo(id);
        assertThat(replay.get("added").isNull()).as("the import was the first answer's").isTrue();
        assertThat(replay.get("progress").get("total").asInt()).as("no second import").isEqualTo(2);
        assertThat(calling.campaigns().list("acme", 1000)).filteredOn(c -> "q-2026-1".equals(c.idempotencyKey()))
                .extracting(c -> c.campaignId()).containsExactly(id);

        HttpResponse<String> otherCustomer = post("/api/calling/campaign/create", GLOBEX_KEY, body,
                "Idempotency-Key", "q-2026-1");
        assertThat(otherCustomer.statusCode()).as("keys are scoped per customer").isEqualTo(201);
        assertThat(campaignId(otherCustomer)).isNotEqualTo(id);

        HttpResponse<String> reused = post("/api/calling/campaign/create", ACME_KEY, campaignJson("Other", 2),
                "Idempotency-Key", "q-2026-1");
        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
        assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reused.body()).contains("q-2026-1", id);

        assertProblem(post("/api/calling/campaign/create", ACME_KEY, body, "Idempotency-Key", "no spaces"), 400,
                "Idempotency-Key", "no spaces");
    }

    @Test
    void aRetriedCsvCampaignCreateWithTheSameIdempotencyKeyImportsOnce() throws Exception {
        String settings = "{\"name\": \"Csv once\", \"script\": \"Hi {{name}}\"}";
        String csv = "number,name\n+919876500021,Asha\n+919876500022,Ravi\n";
        HttpResponse<String> first = multipart(ACME_KEY, settings, csv, "Idempotency-Key", "csv-once");
        HttpResponse<String> retry = multipart(ACME_KEY, settings, csv, "Idempotency-Key", "csv-once");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        String id = campaignId(first);
        assertThat(JSON.readTree(retry.body()).get("campaignId").asString()).isEqualTo(id);
        assertThat(calling.campaigns().progress(id).total()).as("no second import").isEqualTo(2);

        HttpResponse<String> reused = multipart(ACME_KEY, "{\"name\": \"Csv other\"}", csv, "Idempotency-Key", "csv-once");
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(reused.body()).contains("csv-once");

        HttpResponse<String> otherRows = multipart(ACME_KEY, settings, csv + "+919876500023,Jo\n",
                "Idempotency-Key", "csv-once");
        assertThat(otherRows.statusCode()).as("another file is another campaign: " + otherRows.body()).isEqualTo(409);
        assertThat(otherRows.body()).contains("csv-once", id);
        assertThat(calling.campaigns().progress(id).total()).as("nothing imported").isEqualTo(2);
    }

    @Test
    void aCampaignCreateReusingAKeyWithOtherTargetsIsAConflictNamingTheKey() throws Exception {
        String body = campaignJson("Targets", 2);
        String id = campaignId(post("/api/calling/campaign/create", ACME_KEY, body, "Idempotency-Key", "t-2026-1"));

        for (String other : List.of(campaignJson("Targets", 3), body.replace("+919876501002", "+919876501009"),
                body.replace("{\"number\": \"+919876501002\"}",
                        "{\"number\": \"+919876501002\", \"variables\": {\"name\": \"Ravi\"}}"),
                body.replace("{\"number\": \"+919876501002\"}",
                        "{\"number\": \"+919876501002\", \"timezone\": \"Asia/Dubai\"}"))) {
            HttpResponse<String> reused = post("/api/calling/campaign/create", ACME_KEY, other,
                    "Idempotency-Key", "t-2026-1");
            assertThat(reused.statusCode()).as(other + ": " + reused.body()).isEqualTo(409);
            assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(reused.body()).contains("t-2026-1", id);
        }
        assertThat(calling.campaigns().progress(id).total()).as("nothing imported").isEqualTo(2);

        HttpResponse<String> retry = post("/api/calling/campaign/create", ACME_KEY, body, "Idempotency-Key", "t-2026-1");
        assertThat(retry.statusCode()).as("the same request is still a replay: " + retry.body()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).get("campaignId").asString()).isEqualTo(id);
    }

    // ---------------------------------------------------------------- the OpenAPI document

    @Test
    void theOpenApiDocumentListsExactlyTheMappedEndpoints() throws Exception {
        HttpResponse<String> doc = get("/api/calling/openapi.json", ACME_KEY);
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(doc.body()).get("paths");
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (String method : path.getValue().propertyNames()) documented.add(method.toUpperCase() + " " + path.getKey());
        }

        assertThat(documented).isEqualTo(mappedRoutes());
    }

    @Test
    void theOpenApiDocumentShowsTheIdempotencyKeyAndTheReplayOfEveryPostThatTakesIt() throws Exception {
        JsonNode paths = JSON.readTree(get("/api/calling/openapi.json", ACME_KEY).body()).get("paths");
        Set<String> keyed = new TreeSet<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, org.springframework.web.method.HandlerMethod h) -> {
            boolean takesKey = java.util.Arrays.stream(h.getMethodParameters())
                    .map(p -> p.getParameterAnnotation(org.springframework.web.bind.annotation.RequestHeader.class))
                    .anyMatch(a -> a != null && a.name().equals(CallingApiController.IDEMPOTENCY_KEY));
            if (takesKey) keyed.addAll(info.getPatternValues());
        });

        assertThat(keyed).contains("/api/calling/voip", "/api/calling/campaign/create");
        for (String path : keyed) {
            JsonNode post = paths.get(path).get("post");
            assertThat(post.get("parameters").findValuesAsString("name")).as(path).contains("Idempotency-Key");
            assertThat(post.get("responses").get("200").get("headers").has("Idempotent-Replayed")).as(path).isTrue();
            assertThat(post.get("responses").get("201").get("headers").has("Location")).as(path).isTrue();
        }
    }

    @Test
    void theOpenApiDocumentNamesEveryFieldOfEveryViewItDescribes() throws Exception {
        JsonNode schemas = JSON.readTree(get("/api/calling/openapi.json", ACME_KEY).body()).get("components").get("schemas");
        List<String> compared = new ArrayList<>();
        for (Class<?> view : ApiViews.class.getDeclaredClasses()) {
            JsonNode schema = schemas.get(view.getSimpleName());
            if (!view.isRecord() || schema == null) continue;
            Set<String> documented = new TreeSet<>();
            for (String name : schema.get("properties").propertyNames()) documented.add(name);
            Set<String> answered = new TreeSet<>();
            for (RecordComponent c : view.getRecordComponents()) answered.add(c.getName());
            assertThat(documented).as(view.getSimpleName()).isEqualTo(answered);
            compared.add(view.getSimpleName());
        }
        assertThat(compared).contains("Call", "Amount", "Progress", "CampaignSummary");
    }

    @Test
    void theOpenApiDocumentNamesEveryFieldOfTheBodiesTheApiReads() throws Exception {
        JsonNode schemas = JSON.readTree(get("/api/calling/openapi.json", ACME_KEY).body()).get("components").get("schemas");
        for (Class<?> body : List.of(CallBody.class, CampaignBody.class)) {
            Set<String> documented = new TreeSet<>();
            for (String name : schemas.get(body.getSimpleName()).get("properties").propertyNames()) documented.add(name);
            Set<String> read = new TreeSet<>();
            for (RecordComponent c : body.getRecordComponents()) read.add(c.getName());
            assertThat(documented).as(body.getSimpleName()).isEqualTo(read);
            assertThat(schemas.get(body.getSimpleName()).get("additionalProperties").asBoolean(true))
                    .as(body.getSimpleName() + " refuses other fields").isFalse();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** "METHOD path" of every handler the API's controllers map. */
    private Set<String> mappedRoutes() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, org.springframework.web.method.HandlerMethod h) -> {
            if (!h.getBeanType().getPackageName().equals(CallingApiController.class.getPackageName())) return;
            for (String path : info.getPatternValues()) {
                info.getMethodsCondition().getMethods().forEach(m -> routes.add(m.name() + " " + path));
            }
        });
        assertThat(routes).as("the API's routes").hasSizeGreaterThan(15);
        return routes;
    }

    private static String status(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("status").asString();
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String field, String value) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("field").asString()).isEqualTo(field);
        if (value == null) {
            assertThat(problem.get("value").isNull()).isTrue();
        } else {
            assertThat(problem.get("value").asString()).isEqualTo(value);
        }
        assertThat(problem.get("detail").asString()).contains(field);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key, String json, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String campaignJson(String name, int targets) {
        StringBuilder numbers = new StringBuilder();
        for (int i = 1; i <= targets; i++) {
            numbers.append(i > 1 ? "," : "").append("{\"number\": \"+91987650").append(1000 + i).append("\"}");
        }
        return "{\"name\": \"" + name + "\", \"targets\": [" + numbers + "]}";
    }

    private static String campaignId(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("campaignId").asString();
    }

    private HttpResponse<String> multipart(String key, String campaignJson, String csv, String... headers)
            throws Exception {
        String boundary = "----calling-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"campaign\"\r\nContent-Type: application/json\r\n\r\n"
                + campaignJson + "\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"csv\"; filename=\"targets.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n--" + boundary + "--\r\n";
        HttpRequest.Builder r = HttpRequest.newBuilder(uri("/api/calling/campaign/create"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
