package io.globalcalling.spring.admin;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.spring.GlobalCallingManagerCustomizer;
import org.junit.jupiter.api.BeforeEach;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin dashboard in a whole application on a random port, on the sandbox provider, with the REST API beside
 * it: its login, CSRF and reach, the page as served, each JSON endpoint and the event stream (issue 17).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.autoconfigure.exclude=",   // Spring Security on, as a host with the dashboard has it
        "calling.admin.enabled=true",
        "calling.admin.password-hash=" + AdminDashboardIntegrationTest.PASSWORD_HASH,
        "calling.api.enabled=true",
        "calling.api.keys.acme=" + AdminDashboardIntegrationTest.API_KEY_HASH,
        "sandbox.time-scale=0.001",
        "calling.store.erasure-key=erasure-key-for-tests"})
class AdminDashboardIntegrationTest {

    static final String PASSWORD = "correct horse battery staple";
    static final String PASSWORD_HASH = "{bcrypt}$2a$10$ur/wDKXOg6WQ4vMOtX2LZufruFb/kTzTzp/euT8KYn7JNugTKAeDi";
    static final String API_KEY = "acme-live-6f1d2c3b4a59";
    static final String API_KEY_HASH = "46e9e38fa325dabbbba3042a235951771e40f4ad5a8acbd43c7583b428399f50";
    private static final String BASE = CallingAdminAutoConfiguration.BASE;
    private static final String API = AdminApiController.API;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        /** Campaigns move only when a test runs them. */
        @Bean
        GlobalCallingManagerCustomizer campaignsStill() {
            return b -> b.campaignNode("admin-test", Duration.ofSeconds(30), Duration.ZERO, 1);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GlobalCallingManager calling;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private AdminSession admin;

    @BeforeEach
    void logIn() throws Exception {
        admin = new AdminSession(port);
        HttpResponse<String> login = admin.logIn("admin", PASSWORD);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith(BASE);
    }

    // ---------------------------------------------------------------- security

    @Test
    void noRouteOfTheDashboardAnswersWithoutALogin() throws Exception {
        AdminSession stranger = new AdminSession(port);
        List<String> routes = new ArrayList<>(mappedRoutes());
        routes.addAll(List.of("GET " + BASE + "/assets/app/admin.js", "GET " + BASE + "/assets/app/admin.css",
                "GET " + BASE + "/assets/uplot/uPlot.iife.min.js", "GET " + BASE + "/events", "GET " + BASE + "/nowhere"));
        int calls = calling.calls().recent(10_000).size();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{id}", "x").replace("{category}", "internet_voip");
            if (path.endsWith("/login")) continue;
            HttpResponse<String> answer = stranger.send(HttpRequest.newBuilder(stranger.uri(path + "?customer=admin"))
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"to\":\"+14155550100\"}"))
                    .header("Content-Type", "application/json")
                    .header("Accept", path.contains("/assets/") ? "*/*" : "text/html,application/xhtml+xml,*/*;q=0.8")
                    .build());
            if (method.equals("POST")) {
                assertThat(answer.statusCode()).as(route).isIn(401, 403);
            } else if (path.startsWith(API) || path.endsWith("/events")) {
                assertThat(answer.statusCode()).as(route).isEqualTo(401);
            } else if (path.contains("/assets/")) {
                assertThat(answer.statusCode()).as(route).isIn(302, 401);
            } else {
                assertThat(answer.statusCode()).as(route).isEqualTo(302);
                assertThat(answer.headers().firstValue("Location").orElseThrow()).as(route).endsWith(BASE + "/login");
            }
            assertThat(answer.body()).as(route).doesNotContain("csrf-token", "category-card");
        }
        assertThat(calling.calls().recent(10_000)).as("nothing placed").hasSize(calls);
    }

    @Test
    void thePageRedirectsToTheLoginWhateverItsAcceptHeaderAndItsJsonAnswers401() throws Exception {
        AdminSession stranger = new AdminSession(port);
        for (String accept : new String[]{"*/*", "text/html", "application/json", "text/plain"}) {
            for (String page : List.of(BASE, BASE + "/")) {
                HttpResponse<String> answer = stranger.send(HttpRequest.newBuilder(stranger.uri(page))
                        .header("Accept", accept).GET().build());
                assertThat(answer.statusCode()).as(page + " with Accept " + accept).isEqualTo(302);
                assertThat(answer.headers().firstValue("Location").orElseThrow()).endsWith(BASE + "/login");
            }
            for (String json : List.of(API + "/calls", BASE + "/events")) {
                HttpResponse<String> answer = stranger.send(HttpRequest.newBuilder(stranger.uri(json))
                        .header("Accept", accept).GET().build());
                assertThat(answer.statusCode()).as(json + " with Accept " + accept).isEqualTo(401);
            }
        }
        HttpResponse<String> noAccept = stranger.send(HttpRequest.newBuilder(stranger.uri(BASE)).GET().build());
        assertThat(noAccept.statusCode()).as("no Accept header").isEqualTo(302);
    }

    @Test
    void aWrongPasswordOrUserIsRefused() throws Exception {
        AdminSession stranger = new AdminSession(port);
        for (String[] attempt : new String[][]{{"admin", "wrong"}, {"root", PASSWORD}, {"admin", PASSWORD_HASH}}) {
            HttpResponse<String> login = stranger.logIn(attempt[0], attempt[1]);
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith(BASE + "/login?error");
            assertThat(stranger.get(BASE).statusCode()).isEqualTo(302);
        }
        assertThat(stranger.get(BASE + "/login?error").body()).contains("id=\"login-error\"");
        assertThat(stranger.get(BASE + "/login").body()).doesNotContain("id=\"login-error\"");
    }

    @Test
    void aPostWithoutItsCsrfTokenIsRefused() throws Exception {
        int calls = calling.calls().recent(10_000).size();
        HttpResponse<String> noToken = admin.post(API + "/calls/internet_voip?customer=admin", "{\"to\":\"+14155550100\"}", null);
        assertThat(noToken.statusCode()).isEqualTo(403);
        HttpResponse<String> badToken = admin.post(API + "/calls/internet_voip?customer=admin", "{\"to\":\"+14155550100\"}", "forged");
        assertThat(badToken.statusCode()).isEqualTo(403);
        assertThat(calling.calls().recent(10_000)).as("nothing placed").hasSize(calls);

        HttpResponse<String> logout = admin.send(HttpRequest.newBuilder(admin.uri(BASE + "/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(logout.statusCode()).isEqualTo(403);
        assertThat(admin.get(BASE).statusCode()).as("still logged in").isEqualTo(200);
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        String token = admin.csrfToken();
        HttpResponse<String> logout = admin.send(HttpRequest.newBuilder(admin.uri(BASE + "/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token)).build());
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location").orElseThrow()).endsWith(BASE + "/login?logout");
        assertThat(admin.get(BASE).statusCode()).isEqualTo(302);
    }

    @Test
    void theApiKeyRoutesAndTheWebhookRouteAreLeftToTheirOwnChecks() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<String> withKey = plain.send(HttpRequest.newBuilder(admin.uri("/api/calling/coverage"))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withKey.headers().firstValue("Set-Cookie")).as("no session").isEmpty();

        HttpResponse<String> noKey = plain.send(HttpRequest.newBuilder(admin.uri("/api/calling/coverage")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");

        HttpResponse<String> placed = plain.send(HttpRequest.newBuilder(admin.uri("/api/calling/voip"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+14155550100\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as("a POST without a CSRF token").isEqualTo(201);

        // a callback no provider signed: the webhook route's own answer, not the admin chain's 401/403 or redirect
        HttpResponse<String> webhook = plain.send(HttpRequest.newBuilder(admin.uri("/calling/webhooks/no-such-provider"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("CallSid=CA1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- the page

    @Test
    void thePageShowsTheCoverageReportsFiguresAndTheContractsElements() throws Exception {
        String page = admin.get(BASE).body();
        JsonNode coverage = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                admin.uri("/api/calling/coverage")).header("Authorization", "Bearer " + API_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Set<String> languages = new HashSet<>();
        int agents = 0;
        for (JsonNode c : coverage.get("categories")) {
            c.get("aiLanguages").forEach(l -> languages.add(l.asString()));
            agents += c.get("agents").asInt();
        }
        assertThat(dataValue(page, "stat-countries")).isEqualTo(coverage.get("overall").get("countryCount").asString());
        assertThat(Double.parseDouble(dataValue(page, "stat-surface")))
                .isEqualTo(coverage.get("overall").get("surfacePercent").asDouble());
        assertThat(dataValue(page, "stat-languages")).isEqualTo(Integer.toString(languages.size()));
        assertThat(dataValue(page, "stat-agents")).isEqualTo(Integer.toString(agents));
        assertThat(coverage.get("overall").get("countryCount").asInt()).as("a figure worth comparing").isPositive();

        for (JsonNode c : coverage.get("categories")) {
            if (c.get("providers").isEmpty()) continue;
            String card = section(page, c.get("category").asString());
            for (JsonNode p : c.get("providers")) {
                assertThat(card).contains("<li class=\"provider\" data-provider=\"" + p.asString() + "\">");
                assertThat(card).containsPattern("data-provider=\"" + p.asString() + "\">.*class=\"health[^\"]*\">closed<");
            }
            assertThat(card).contains("<span class=\"badge badge-simulated\">simulated</span>");
        }
        for (String id : List.of("form id=\"logout-form\"", "button id=\"logout\"", "form id=\"form-voip\"",
                "form id=\"form-ai\"", "form id=\"form-human\"", "form id=\"form-satellite\"",
                "form id=\"form-coverage\"", "id=\"coverage-result\"", "id=\"toasts\"", "table id=\"calls\"",
                "form id=\"form-campaign\"", "table id=\"campaigns\"", "textarea id=\"campaign-numbers\" name=\"numbers\"",
                "select id=\"human-skill\" name=\"skill\"", "textarea id=\"ai-script\" name=\"script\"",
                "name=\"customer\" value=\"admin\"", "<meta name=\"csrf-token\"", "assets/uplot/uPlot.iife.min.js")) {
            assertThat(page).contains(id);
        }
        for (String skill : List.of("general", "sales", "technical", "billing", "vip")) {
            assertThat(page).contains("<option value=\"" + skill + "\">");
        }
    }

    @Test
    void theAssetsAndTheChartLibraryAreServedAfterLogin() throws Exception {
        assertThat(admin.get(BASE + "/assets/app/admin.js").body()).contains("EventSource");
        assertThat(admin.get(BASE + "/assets/app/admin.css").statusCode()).isEqualTo(200);
        HttpResponse<String> uplot = admin.get(BASE + "/assets/uplot/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
    }

    @Test
    void everyAnswerIsKeptOutOfCachesAndNotSniffed() throws Exception {
        String token = admin.csrfToken();
        List<HttpResponse<String>> answers = List.of(admin.get(BASE), admin.get(BASE + "/login"),
                admin.get(API + "/calls"), admin.get(API + "/overview"),
                admin.post(API + "/calls/internet_voip?customer=acme", "{\"to\":\"+14155550166\"}", token),
                admin.post(API + "/calls/internet_voip?customer=acme", "{\"to\":\"12345\"}", token),
                admin.post(API + "/calls/internet_voip?customer=acme", "{\"to\":\"+14155550166\"}", null),
                new AdminSession(port).get(API + "/calls"));

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("Cache-Control")).as(answer.uri() + " " + answer.statusCode())
                    .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri() + " " + answer.statusCode())
                    .hasValue("nosniff");
        }
    }

    @Test
    void aBodyLargerThanTheLimitIs413AndNothingIsRecorded() throws Exception {
        String huge = "{\"to\":\"+14155550155\",\"script\":\"" + "Hello. ".repeat(3 * 1024 * 1024 / 7) + "\"}";
        HttpResponse<String> refused = admin.post(API + "/calls/ai_automated?customer=acme", huge, admin.csrfToken());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(calling.calls().byNumber("+14155550155", 10)).as("nothing recorded").isEmpty();
    }

    // ---------------------------------------------------------------- JSON endpoints

    @Test
    void overviewHasTheFiguresAndACardPerCategory() throws Exception {
        JsonNode overview = JSON.readTree(admin.get(API + "/overview").body());
        assertThat(overview.get("figures").get("countries").asInt())
                .isEqualTo(calling.coverage().overall().countryCount());
        JsonNode first = overview.get("categories").get(0);
        assertThat(first.get("providers").get(0).get("id").asString()).isEqualTo("sandbox");
        assertThat(first.get("providers").get(0).get("simulated").asBoolean()).isTrue();
    }

    @Test
    void aCallIsPlacedInThePinnedCategoryAndListed() throws Exception {
        String token = admin.csrfToken();
        HttpResponse<String> placed = admin.post(API + "/calls/human_agent?customer=acme",
                "{\"to\":\"+14155550100\",\"skill\":\"billing\"}", token);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode call = JSON.readTree(placed.body());
        assertThat(call.get("category").asString()).isEqualTo("human_agent");
        assertThat(call.get("customerId").asString()).isEqualTo("acme");
        assertThat(call.get("simulated").asBoolean()).isTrue();
        String id = call.get("callId").asString();

        JsonNode calls = JSON.readTree(admin.get(API + "/calls").body()).get("calls");
        assertThat(calls.findValuesAsString("callId")).contains(id);
    }

    @Test
    void aPostWhoseAnswerTheClientDoesNotAcceptIsRefusedBeforeAnythingIsPlacedOrRecorded() throws Exception {
        String token = admin.csrfToken();
        HttpResponse<String> call = admin.send(HttpRequest.newBuilder(admin.uri(API + "/calls/internet_voip?customer=acme"))
                .header("Content-Type", "application/json").header("Accept", "text/html").header("X-CSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+14155550177\"}")).build());
        HttpResponse<String> campaign = admin.send(HttpRequest.newBuilder(admin.uri(API + "/campaigns"))
                .header("Content-Type", "application/json").header("Accept", "text/html").header("X-CSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Accept-406\",\"numbers\":\"+14155550177\","
                        + "\"customer\":\"acme\",\"hours\":\"any\"}")).build());

        assertThat(call.statusCode()).as(call.body()).isEqualTo(406);
        assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(406);
        assertThat(calling.calls().byNumber("+14155550177", 10)).as("no call placed").isEmpty();
        assertThat(calling.campaigns().list(null, 1000)).as("no campaign recorded")
                .noneMatch(c -> c.name().equals("Accept-406"));
    }

    @Test
    void aBodyNamingAFieldTwiceIsA400NamingItAndNothingIsRecorded() throws Exception {
        String token = admin.csrfToken();
        JsonNode call = problem(admin.post(API + "/calls/internet_voip?customer=acme",
                "{\"to\":\"+14155550188\",\"to\":\"+14155550199\"}", token));
        JsonNode campaign = problem(admin.post(API + "/campaigns", "{\"name\":\"Twice\",\"numbers\":\"+14155550188\","
                + "\"numbers\":\"+14155550199\",\"customer\":\"acme\",\"hours\":\"any\"}", token));

        assertThat(call.get("detail").asString()).contains("Duplicate", "\"to\"");
        assertThat(campaign.get("detail").asString()).contains("Duplicate", "\"numbers\"");
        assertThat(calling.calls().byNumber("+14155550199", 10)).as("no call placed").isEmpty();
        assertThat(calling.campaigns().list(null, 1000)).noneMatch(c -> c.name().equals("Twice"));
    }

    @Test
    void aBodyNamingAFieldTheDashboardDoesNotKnowIsA400NamingItAndNothingIsRecorded() throws Exception {
        String token = admin.csrfToken();
        JsonNode call = problem(admin.post(API + "/calls/internet_voip?customer=acme",
                "{\"to\":\"+14155550166\",\"scrpt\":\"Hello\"}", token));
        JsonNode campaign = problem(admin.post(API + "/campaigns", "{\"name\":\"Misspelt\",\"numbers\":\"+14155550166\","
                + "\"customer\":\"acme\",\"hours\":\"any\",\"untill\":\"17:00\"}", token));
        JsonNode coverage = problem(admin.post(API + "/coverage-check", "{\"number\":\"+14155550166\",\"lat\":10}", token));
        JsonNode erasure = problem(admin.post(API + "/erasures", "{\"number\":\"+14155550166\",\"dryRun\":true}", token));

        assertThat(call.get("detail").asString()).contains("\"scrpt\"");
        assertThat(campaign.get("detail").asString()).contains("\"untill\"");
        assertThat(coverage.get("detail").asString()).contains("\"lat\"");
        assertThat(erasure.get("detail").asString()).contains("\"dryRun\"");
        assertThat(calling.calls().byNumber("+14155550166", 10)).as("no call placed").isEmpty();
        assertThat(calling.campaigns().list(null, 1000)).noneMatch(c -> c.name().equals("Misspelt"));
    }

    @Test
    void aBadCallIsA400NamingTheFieldAndValueAndNothingIsPlaced() throws Exception {
        String token = admin.csrfToken();
        int calls = calling.calls().recent(10_000).size();
        JsonNode badNumber = problem(admin.post(API + "/calls/internet_voip?customer=admin", "{\"to\":\"12ab\"}", token));
        assertThat(badNumber.get("field").asString()).isEqualTo("to");
        assertThat(badNumber.get("value").asString()).isEqualTo("12ab");
        assertThat(badNumber.get("detail").asString()).contains("to '12ab'");
        JsonNode badCategory = problem(admin.post(API + "/calls/warp?customer=admin", "{\"to\":\"+14155550100\"}", token));
        assertThat(badCategory.get("field").asString()).isEqualTo("category");
        assertThat(badCategory.get("value").asString()).isEqualTo("warp");
        JsonNode noCustomer = problem(admin.post(API + "/calls/internet_voip?customer=%20", "{\"to\":\"+14155550100\"}", token));
        assertThat(noCustomer.get("field").asString()).isEqualTo("customer");
        JsonNode badSkill = problem(admin.post(API + "/calls/human_agent?customer=admin",
                "{\"to\":\"+14155550100\",\"skill\":\"Wizard!\"}", token));
        assertThat(badSkill.get("field").asString()).isEqualTo("skill");
        assertThat(calling.calls().recent(10_000)).as("nothing placed").hasSize(calls);
    }

    @Test
    void coverageCheckOfANumberAndOfAPoint() throws Exception {
        String token = admin.csrfToken();
        JsonNode number = JSON.readTree(admin.post(API + "/coverage-check", "{\"number\":\"+14155550100\"}", token).body());
        assertThat(number.get("checked").asString()).isEqualTo("+14155550100");
        JsonNode voip = byCategory(number, "internet_voip");
        assertThat(voip.get("reachable").asBoolean()).isTrue();
        assertThat(voip.get("providerId").asString()).isEqualTo("sandbox");
        assertThat(voip.get("simulated").asBoolean()).isTrue();
        assertThat(byCategory(number, "ai_automated").get("reachable").asBoolean()).as("planned with words to say").isTrue();
        assertThat(byCategory(number, "system_api").get("reachable").asBoolean()).as("not a phone number's").isFalse();

        JsonNode london = JSON.readTree(admin.post(API + "/coverage-check", "{\"latitude\":51.5,\"longitude\":-0.12}", token).body());
        assertThat(london.get("country").asString()).isEqualTo("GB");
        assertThat(byCategory(london, "internet_voip").get("reachable").asBoolean()).isTrue();
        JsonNode ocean = JSON.readTree(admin.post(API + "/coverage-check", "{\"latitude\":-40,\"longitude\":-120}", token).body());
        assertThat(byCategory(ocean, "internet_voip").get("reachable").asBoolean()).isFalse();
        assertThat(byCategory(ocean, "satellite").get("reachable").asBoolean()).isTrue();
    }

    /** A data-subject request from the dashboard: the number's ended calls are erased; a bad number is refused. */
    @Test
    void aNumberIsErasedFromTheDashboard() throws Exception {
        String token = admin.csrfToken();
        HttpResponse<String> placed = admin.post(API + "/calls/internet_voip?customer=acme", "{\"to\":\"+14155550177\"}", token);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String id = JSON.readTree(placed.body()).get("callId").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> calling.calls().find(id)
                .filter(r -> r.status().isTerminal() && r.cost() != null).isPresent());

        HttpResponse<String> erased = admin.post(API + "/erasures", "{\"number\":\" +14155550177 \"}", token);

        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(erased.body());
        assertThat(result.get("calls").asInt()).isEqualTo(1);
        assertThat(result.get("deferredCalls").asInt()).isZero();
        assertThat(calling.calls().find(id).orElseThrow().toNumber()).startsWith("erased:");
        JsonNode badNumber = problem(admin.post(API + "/erasures", "{\"number\":\"12ab\"}", token));
        assertThat(badNumber.get("field").asString()).isEqualTo("number");
        assertThat(badNumber.get("value").asString()).isEqualTo("12ab");
        assertThat(problem(admin.post(API + "/erasures", "{}", token)).get("field").asString()).isEqualTo("number");
    }

    @Test
    void aBadCoverageCheckIsA400NamingTheField() throws Exception {
        String token = admin.csrfToken();
        assertThat(problem(admin.post(API + "/coverage-check", "{}", token)).get("field").asString()).isEqualTo("number");
        JsonNode badNumber = problem(admin.post(API + "/coverage-check", "{\"number\":\"call me\"}", token));
        assertThat(badNumber.get("field").asString()).isEqualTo("number");
        assertThat(badNumber.get("value").asString()).isEqualTo("call me");
        JsonNode badPoint = problem(admin.post(API + "/coverage-check", "{\"latitude\":200,\"longitude\":0}", token));
        assertThat(badPoint.get("field").asString()).isEqualTo("latitude");
        assertThat(badPoint.get("detail").asString()).contains("200");
        assertThat(problem(admin.post(API + "/coverage-check", "{\"latitude\":10}", token)).get("field").asString())
                .isEqualTo("longitude");
    }

    @Test
    void aCampaignIsCreatedStartedListedPausedResumedAndCancelled() throws Exception {
        String token = admin.csrfToken();
        HttpResponse<String> created = admin.post(API + "/campaigns", "{\"name\":\"Spring promo\",\"numbers\":"
                + "\"+14155550101\\n\\n +14155550102 \\n\",\"category\":\"internet_voip\",\"customer\":\"acme\"}", token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode row = JSON.readTree(created.body());
        String id = row.get("campaignId").asString();
        assertThat(row.get("category").asString()).isEqualTo("internet_voip");
        assertThat(row.get("customerId").asString()).isEqualTo("acme");
        assertThat(row.get("progress").get("total").asInt()).isEqualTo(2);
        assertThat(row.get("progress").get("status").asString()).isEqualTo("in_progress");

        JsonNode list = JSON.readTree(admin.get(API + "/campaigns").body()).get("campaigns");
        assertThat(list.get(0).get("campaignId").asString()).as("newest first").isEqualTo(id);

        assertThat(campaignStatus(admin.post(API + "/campaigns/" + id + "/pause", "", token))).isEqualTo("paused");
        assertThat(campaignStatus(admin.post(API + "/campaigns/" + id + "/resume", "", token))).isEqualTo("in_progress");
        assertThat(campaignStatus(admin.post(API + "/campaigns/" + id + "/cancel", "", token))).isEqualTo("canceled");
        assertThat(admin.post(API + "/campaigns/" + id + "/resume", "", token).statusCode()).isEqualTo(409);
        assertThat(admin.post(API + "/campaigns/no-such/pause", "", token).statusCode()).isEqualTo(404);
    }

    @Test
    void aCampaignOutsideItsCallingHoursSaysWhyItsTargetsWait() throws Exception {
        String token = admin.csrfToken();
        // London numbers, and a window that excludes London's present hour
        int hour = LocalTime.now(ZoneId.of("Europe/London")).getHour();
        String from = hour <= 20 ? "%02d:00".formatted(hour + 2) : "01:00";
        String until = hour <= 20 ? "%02d:00".formatted(hour + 3) : "02:00";
        String windowed = JSON.readTree(admin.post(API + "/campaigns", "{\"name\":\"Later\",\"numbers\":"
                + "\"+442079460111\\n+442079460112\",\"customer\":\"admin\",\"hours\":\"window\",\"from\":\""
                + from + "\",\"until\":\"" + until + "\"}", token).body()).get("campaignId").asString();
        String anyTime = JSON.readTree(admin.post(API + "/campaigns", "{\"name\":\"Now\",\"numbers\":"
                + "\"+442079460113\",\"customer\":\"admin\",\"hours\":\"any\"}", token).body())
                .get("campaignId").asString();

        JsonNode rows = JSON.readTree(admin.get(API + "/campaigns").body()).get("campaigns");
        assertThat(campaign(rows, windowed).get("note").asString())
                .isEqualTo("all 2 pending waiting for calling hours " + from + "-" + until + " (callee's local time)");
        assertThat(campaign(rows, anyTime).get("note").isNull()).as("nothing holds it back").isTrue();
        assertThat(calling.campaigns().policy(anyTime).windows()).isEqualTo(CallingWindows.always());
        assertThat(calling.campaigns().policy(windowed).windows())
                .isEqualTo(CallingWindows.everyDay(LocalTime.parse(from), LocalTime.parse(until)));

        admin.post(API + "/campaigns/" + windowed + "/pause", "", token);
        JsonNode paused = campaign(JSON.readTree(admin.get(API + "/campaigns").body()).get("campaigns"), windowed);
        assertThat(paused.get("note").isNull()).as("a paused campaign waits for its resume, not its hours").isTrue();
        admin.post(API + "/campaigns/" + windowed + "/cancel", "", token);
        admin.post(API + "/campaigns/" + anyTime + "/cancel", "", token);
    }

    @Test
    void theFormsCallingHoursDefaultToThePolicysWindowAndBadHoursAreA400() throws Exception {
        String token = admin.csrfToken();
        String id = JSON.readTree(admin.post(API + "/campaigns", "{\"name\":\"Default hours\",\"numbers\":"
                + "\"+14155550101\",\"customer\":\"admin\"}", token).body()).get("campaignId").asString();
        assertThat(calling.campaigns().policy(id).windows()).isEqualTo(CampaignPolicy.defaults().windows());
        admin.post(API + "/campaigns/" + id + "/cancel", "", token);
        assertThat(admin.get(BASE).body()).contains("name=\"from\" type=\"time\" value=\"08:00\"",
                "name=\"until\" type=\"time\" value=\"21:00\"", "<option value=\"any\">any time</option>");

        int campaigns = calling.campaigns().list(null, 100).size();
        String base = "{\"name\":\"x\",\"numbers\":\"+14155550101\",\"customer\":\"admin\",";
        JsonNode hours = problem(admin.post(API + "/campaigns", base + "\"hours\":\"sometimes\"}", token));
        assertThat(hours.get("field").asString()).isEqualTo("hours");
        assertThat(hours.get("value").asString()).isEqualTo("sometimes");
        JsonNode from = problem(admin.post(API + "/campaigns", base + "\"from\":\"8 am\"}", token));
        assertThat(from.get("field").asString()).isEqualTo("from");
        assertThat(from.get("value").asString()).isEqualTo("8 am");
        JsonNode never = problem(admin.post(API + "/campaigns", base + "\"from\":\"21:00\",\"until\":\"08:00\"}", token));
        assertThat(never.get("field").asString()).isEqualTo("until");
        assertThat(calling.campaigns().list(null, 100)).as("nothing recorded").hasSize(campaigns);
    }

    private static JsonNode campaign(JsonNode rows, String id) {
        for (JsonNode row : rows) if (row.get("campaignId").asString().equals(id)) return row;
        throw new AssertionError("campaign " + id + " is not listed in " + rows);
    }

    @Test
    void aBadCampaignIsA400NamingTheFieldAndValueAndNothingIsRecorded() throws Exception {
        String token = admin.csrfToken();
        int campaigns = calling.campaigns().list(null, 100).size();
        JsonNode badLine = problem(admin.post(API + "/campaigns",
                "{\"name\":\"x\",\"numbers\":\"+14155550101\\nnot a number\",\"customer\":\"admin\"}", token));
        assertThat(badLine.get("field").asString()).isEqualTo("numbers");
        assertThat(badLine.get("value").asString()).isEqualTo("not a number");
        assertThat(badLine.get("detail").asString()).contains("line 2");
        assertThat(problem(admin.post(API + "/campaigns", "{\"name\":\"x\",\"numbers\":\"\\n\",\"customer\":\"admin\"}",
                token)).get("field").asString()).isEqualTo("numbers");
        assertThat(problem(admin.post(API + "/campaigns", "{\"numbers\":\"+14155550101\",\"customer\":\"admin\"}",
                token)).get("field").asString()).isEqualTo("name");
        JsonNode badCategory = problem(admin.post(API + "/campaigns",
                "{\"name\":\"x\",\"numbers\":\"+14155550101\",\"category\":\"warp\",\"customer\":\"admin\"}", token));
        assertThat(badCategory.get("field").asString()).isEqualTo("category");
        assertThat(calling.campaigns().list(null, 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCampaignForACustomerIdNoCallCanCarryIsA400NamingItAndNothingIsRecorded() throws Exception {
        String token = admin.csrfToken();
        int campaigns = calling.campaigns().list(null, 100).size();

        JsonNode bad = problem(admin.post(API + "/campaigns",
                "{\"name\":\"x\",\"numbers\":\"+14155550101\",\"customer\":\"acme corp\"}", token));

        assertThat(bad.get("field").asString()).isEqualTo("customer");
        assertThat(bad.get("value").asString()).isEqualTo("acme corp");
        assertThat(calling.campaigns().list(null, 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCampaignLineThatIsNoPhoneNumberIsA400NamingItAndNothingIsRecorded() throws Exception {
        String token = admin.csrfToken();
        int campaigns = calling.campaigns().list(null, 100).size();

        JsonNode sip = problem(admin.post(API + "/campaigns",
                "{\"name\":\"x\",\"numbers\":\"+14155550101\\nsip:alice@example.com\",\"customer\":\"admin\"}", token));

        assertThat(sip.get("field").asString()).isEqualTo("numbers");
        assertThat(sip.get("value").asString()).isEqualTo("sip:alice@example.com");
        assertThat(sip.get("detail").asString()).contains("line 2");
        assertThat(calling.campaigns().list(null, 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void aCampaignLineThatIsNoValidNumberIsA400NamingItAndNothingIsRecorded() throws Exception {
        String token = admin.csrfToken();
        int campaigns = calling.campaigns().list(null, 100).size();

        // well-formed E.164, but nine national digits where the US plan has ten: the import would skip it without a word
        JsonNode invalid = problem(admin.post(API + "/campaigns",
                "{\"name\":\"x\",\"numbers\":\"+14155550101\\n\\n+1415555010\",\"customer\":\"admin\"}", token));

        assertThat(invalid.get("field").asString()).isEqualTo("numbers");
        assertThat(invalid.get("value").asString()).isEqualTo("+1415555010");
        assertThat(invalid.get("detail").asString()).contains("line 3").contains("not a valid number");
        assertThat(calling.campaigns().list(null, 100)).as("nothing recorded").hasSize(campaigns);
    }

    @Test
    void statsCountTheLastDaysCallsPerCategoryAndHour() throws Exception {
        String token = admin.csrfToken();
        long before = voipCalls(JSON.readTree(admin.get(API + "/stats").body()));
        assertThat(admin.post(API + "/calls/internet_voip?customer=admin", "{\"to\":\"+14155550100\"}", token)
                .statusCode()).isEqualTo(201);
        JsonNode stats = JSON.readTree(admin.get(API + "/stats").body());
        assertThat(voipCalls(stats)).isEqualTo(before + 1);
        assertThat(stats.get("hours")).hasSize(24);
        long perHour = 0;
        for (JsonNode h : stats.get("hours")) perHour += h.get("calls").asLong();
        long perCategory = 0;
        for (JsonNode c : stats.get("categories")) perCategory += c.get("calls").asLong();
        assertThat(perHour).isEqualTo(perCategory).isPositive();
    }

    // ---------------------------------------------------------------- events

    @Test
    void theEventStreamSendsEveryCustomersCalls() throws Exception {
        String token = admin.csrfToken();
        HttpResponse<InputStream> stream = admin.send(HttpRequest.newBuilder(admin.uri(BASE + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(":subscribed");
            String id = JSON.readTree(admin.post(API + "/calls/internet_voip?customer=globex",
                    "{\"to\":\"+14155550100\"}", token).body()).get("callId").asString();
            List<String> seen = CompletableFuture.supplyAsync(() -> readUntil(lines, id)).get(20, TimeUnit.SECONDS);
            assertThat(seen).anySatisfy(l -> assertThat(l).isEqualTo("event:call"));
            assertThat(String.join("\n", seen)).contains("\"customerId\":\"globex\"");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> readUntil(BufferedReader lines, String callId) {
        List<String> seen = new ArrayList<>();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.add(line);
                if (line.startsWith("data:") && line.contains(callId)) return seen;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return seen;
    }

    private static String dataValue(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\" data-value=\"([^\"]*)\">([^<]+)<").matcher(page);
        assertThat(m.find()).as(id).isTrue();
        assertThat(m.group(2)).as("shown to people").isNotBlank();
        return m.group(1);
    }

    private static String section(String page, String category) {
        String start = "<section class=\"category-card\" data-category=\"" + category + "\">";
        int from = page.indexOf(start);
        assertThat(from).as(category + "'s card").isNotNegative();
        return page.substring(from, page.indexOf("</section>", from)).replace("\n", " ");
    }

    private static JsonNode problem(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        return JSON.readTree(answer.body());
    }

    private static JsonNode byCategory(JsonNode check, String category) {
        for (JsonNode c : check.get("categories")) if (c.get("category").asString().equals(category)) return c;
        throw new AssertionError(category + " not in " + check);
    }

    private static String campaignStatus(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("progress").get("status").asString();
    }

    private static long voipCalls(JsonNode stats) {
        for (JsonNode c : stats.get("categories")) {
            if (c.get("category").asString().equals("internet_voip")) return c.get("calls").asLong();
        }
        return 0;
    }

    private Set<String> mappedRoutes() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, org.springframework.web.method.HandlerMethod h) -> {
            if (!h.getBeanType().getPackageName().equals(AdminApiController.class.getPackageName())) return;
            for (String path : info.getPatternValues()) {
                info.getMethodsCondition().getMethods().forEach(m -> routes.add(m.name() + " " + path));
            }
        });
        assertThat(routes).as("the dashboard's routes").hasSizeGreaterThan(10);
        return routes;
    }
}
