package io.globalcalling.examples.admin;

import io.globalcalling.CallStatus;
import io.globalcalling.spring.api.HashedApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The admin dashboard in Debian's headless Chromium, driven by Selenium through its chromedriver, against the
 * admin server on a random port: what an administrator does with it, from a desktop, a phone and a keyboard. Every
 * wait is on a condition. The screenshots land in target/screenshots.
 */
@SpringBootTest(classes = AdminServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:admin-browser-test;DB_CLOSE_DELAY=-1",
        // a simulated minute takes 60 ms, so calls and a campaign end within seconds
        "sandbox.time-scale=0.001"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final String PASSWORD = "browser-test-" + UUID.randomUUID();
    /** The API key of the customer the dashboard's forms act for ("admin", prefilled). */
    private static final String API_KEY = "admin-" + UUID.randomUUID();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Numbers of one time zone (Europe/London), for campaigns whose calling hours the tests choose. */
    private static final List<String> LONDON = List.of("+442079460111", "+442079460112", "+442079460113");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry properties) {
        properties.add("calling.admin.password-hash", () -> "{bcrypt}" + new BCryptPasswordEncoder().encode(PASSWORD));
        properties.add("calling.api.keys.admin", () -> HashedApiKeys.sha256Hex(API_KEY));
        properties.add("calling.store.erasure-key", () -> "browser-test-erasure-" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    @Value("${calling.admin.username:admin}")
    String username;

    private ChromeDriver driver;
    private WebDriverWait wait;
    private Path profile;

    @BeforeAll
    void startChromium() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The dashboard's browser tests need Debian's chromium and chromedriver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": apt-get install chromium chromium-driver (as .ci/run does)");
        }
        // the driver is named, so Selenium Manager has nothing to look for (and nothing to download)
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("admin-dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,1800");
        driver = new ChromeDriver(options);
        wait = new WebDriverWait(driver, PATIENCE, POLL);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopChromium() throws IOException {
        if (driver != null) driver.quit();
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @BeforeEach
    void desktopWidth() {
        driver.manage().window().setSize(new Dimension(1280, 1800));
    }

    // ------------------------------------------------------------------------------------------------ the scenario

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedAndTheRightOneOpensTheDashboard() {
        driver.manage().deleteAllCookies();
        driver.get(url("/admin/calling"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form#login-form")));

        submitLogin(PASSWORD + "-wrong");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(driver.findElements(By.id("stat-countries"))).isEmpty();

        submitLogin(PASSWORD);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stat-countries")));
        assertThat(driver.getCurrentUrl()).endsWith("/admin/calling");
    }

    @Test
    @Order(2)
    void theCoverageFiguresAreTheOnesTheApiReturns() throws Exception {
        logIn();
        JsonNode coverage = api("/api/calling/coverage");
        Set<String> languages = new TreeSet<>();
        int agents = 0;
        for (JsonNode category : coverage.get("categories")) {
            category.get("aiLanguages").forEach(l -> languages.add(l.asString()));
            agents += category.get("agents").asInt();
        }

        assertThat(figure("stat-countries")).isEqualByComparingTo(coverage.get("overall").get("countryCount").asString());
        assertThat(figure("stat-surface")).isEqualByComparingTo(coverage.get("overall").get("surfacePercent").asString());
        assertThat(figure("stat-languages")).isEqualByComparingTo(BigDecimal.valueOf(languages.size()));
        assertThat(figure("stat-agents")).isEqualByComparingTo(BigDecimal.valueOf(agents));
        for (String id : List.of("stat-countries", "stat-surface", "stat-languages", "stat-agents")) {
            assertThat(driver.findElement(By.id(id)).getText()).as("#" + id + " shown").isNotBlank();
        }
        // each category the report lists has its card, with the sandbox labelled as simulated
        for (JsonNode category : coverage.get("categories")) {
            WebElement card = driver.findElement(By.cssSelector(
                    "section.category-card[data-category='" + category.get("category").asString() + "']"));
            for (JsonNode simulated : category.get("simulatedProviders")) {
                WebElement provider = card.findElement(By.cssSelector(
                        "li.provider[data-provider='" + simulated.asString() + "']"));
                assertThat(provider.findElement(By.cssSelector("span.badge-simulated")).getText()).isEqualTo("simulated");
                assertThat(provider.findElement(By.cssSelector(".health")).getText()).isNotBlank();
            }
        }
    }

    @Test
    @Order(3)
    void aCallPlacedFromEachFormAppearsInTheTableWithItsBadges() throws Exception {
        logIn();
        placeFromForm("form-voip", "+14155550101", Map.of(), "internet_voip");
        placeFromForm("form-ai", "+919876543210", Map.of("script", "Hello from the browser test"), "ai_automated");
        placeFromForm("form-human", "+14155550102", Map.of("skill", "sales"), "human_agent");
        placeFromForm("form-satellite", "imei:300234010753370", Map.of(), "satellite");
    }

    @Test
    @Order(4)
    void aBadNumberGetsAnErrorToastNamingIt() {
        logIn();
        WebElement form = driver.findElement(By.id("form-voip"));
        fill(form.findElement(By.name("to")), "12345");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String toast = wait.until(d -> texts("#toasts div.toast.toast-error").stream()
                .filter(t -> t.contains("12345")).findFirst().orElse(null));
        assertThat(toast).contains("to");
    }

    @Test
    @Order(5)
    void theCoverageCheckAnswersForANumberAndForAPoint() {
        logIn();
        WebElement form = driver.findElement(By.id("form-coverage"));

        fill(form.findElement(By.name("number")), "+919876543210");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        String forNumber = wait.until(d -> blankToNull(text("#coverage-result")));

        fill(form.findElement(By.name("number")), "");
        fill(form.findElement(By.name("latitude")), "-33.8688");
        fill(form.findElement(By.name("longitude")), "151.2093");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> {
            String forPoint = blankToNull(text("#coverage-result"));
            return forPoint != null && !forPoint.equals(forNumber);
        });
    }

    @Test
    @Order(6)
    void aSmallCampaignIsCreatedAndItsCountersReachCompletion() throws Exception {
        logIn();
        Set<String> before = ids("table#campaigns tbody tr[data-campaign-id]", "data-campaign-id");
        WebElement form = driver.findElement(By.id("form-campaign"));
        fill(form.findElement(By.name("name")), "Browser test reminders");
        fill(form.findElement(By.name("numbers")), String.join("\n", LONDON));
        new Select(form.findElement(By.name("category"))).selectByValue("internet_voip");
        // whatever the time of day where the numbers ring
        new Select(form.findElement(By.name("hours"))).selectByValue("any");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String campaignId = wait.until(d -> ids("table#campaigns tbody tr[data-campaign-id]", "data-campaign-id")
                .stream().filter(id -> !before.contains(id)).findFirst().orElse(null));
        String row = "table#campaigns tbody tr[data-campaign-id='" + campaignId + "']";
        Map<String, String> done = new WebDriverWait(driver, PATIENCE, POLL)
                .withMessage(() -> "campaign " + campaignId + " to complete; the page shows " + campaignRow(row)
                        + ", the API " + api("/api/calling/campaign/" + campaignId + "/progress"))
                .until(d -> {
                    Map<String, String> shown = campaignRow(row);
                    return shown != null && "completed".equals(shown.get("status")) ? shown : null;
                });
        int total = Integer.parseInt(done.get("total"));
        int completed = Integer.parseInt(done.get("completed"));
        int failed = Integer.parseInt(done.get("failed"));
        // completed counts every target finished with a call, failed the unsuccessful ones among them
        assertThat(total).isEqualTo(3);
        assertThat(done.get("pending")).isEqualTo("0");
        assertThat(completed).isEqualTo(3);
        assertThat(failed).isBetween(0, completed);
        JsonNode progress = api("/api/calling/campaign/" + campaignId + "/progress");
        assertThat(progress.get("status").asString()).isEqualTo("completed");
        assertThat(progress.get("total").asInt()).isEqualTo(total);
        assertThat(progress.get("completed").asInt()).isEqualTo(completed);
        assertThat(progress.get("failed").asInt()).isEqualTo(failed);

        // the README's screenshot shows the page, not the creation's toast
        driver.executeScript("document.querySelectorAll('#toasts .toast-close').forEach(b => b.click())");
        wait.until(d -> texts("#toasts .toast").isEmpty());
        saveFullPage("dashboard-desktop.png");
    }

    @Test
    @Order(7)
    void aCampaignOutsideItsCallingHoursSaysItsTargetsWaitForThem() throws Exception {
        logIn();
        // a daily window in London that excludes London's present hour
        int hour = LocalTime.now(ZoneId.of("Europe/London")).getHour();
        String from = hour <= 20 ? "%02d:00".formatted(hour + 2) : "01:00";
        String until = hour <= 20 ? "%02d:00".formatted(hour + 3) : "02:00";
        Set<String> before = ids("table#campaigns tbody tr[data-campaign-id]", "data-campaign-id");
        WebElement form = driver.findElement(By.id("form-campaign"));
        fill(form.findElement(By.name("name")), "Browser test, later today");
        fill(form.findElement(By.name("numbers")), String.join("\n", LONDON));
        new Select(form.findElement(By.name("hours"))).selectByValue("window");
        driver.executeScript("arguments[0].value = arguments[1]; arguments[2].value = arguments[3]",
                form.findElement(By.name("from")), from, form.findElement(By.name("until")), until);
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String campaignId = wait.until(d -> ids("table#campaigns tbody tr[data-campaign-id]", "data-campaign-id")
                .stream().filter(id -> !before.contains(id)).findFirst().orElse(null));
        String row = "table#campaigns tbody tr[data-campaign-id='" + campaignId + "']";
        // a scheduler pass may hold a target for a moment (claimed, then put back as outside its window): wait for all 3
        String expected = "all 3 pending waiting for calling hours " + from + "-" + until + " (callee's local time)";
        String note = wait.until(d -> expected.equals(text(row + " .campaign-note")) ? expected : null);
        assertThat(note).isEqualTo(expected);
        Map<String, String> shown = campaignRow(row);
        assertThat(shown.get("status")).isEqualTo("in_progress");
        assertThat(shown.get("pending")).isEqualTo("3");

        driver.findElement(By.xpath("//tr[@data-campaign-id='" + campaignId + "']//button[text()='Cancel']")).click();
        wait.until(d -> "canceled".equals(campaignRow(row).get("status")));
        assertThat(text(row + " .campaign-note")).as("a cancelled campaign waits for nothing").isNull();
    }

    @Test
    @Order(8)
    void atPhoneWidthThePageDoesNotScrollSidewaysAndNumbersStayWhole() throws Exception {
        logIn();
        driver.manage().window().setSize(new Dimension(390, 844));
        wait.until(d -> number("return window.innerWidth") <= 390);
        wait.until(d -> !ids("table#calls tbody tr[data-call-id]", "data-call-id").isEmpty());

        long scrollWidth = number("return document.documentElement.scrollWidth");
        long innerWidth = number("return window.innerWidth");
        assertThat(scrollWidth).as("document scrollWidth at a %d px wide window", innerWidth).isLessThanOrEqualTo(innerWidth);

        // each number is laid out on one line, all of it within its cell and the window
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> numbers = (List<Map<String, Object>>) driver.executeScript("""
                return Array.from(document.querySelectorAll('table#calls tbody tr[data-call-id] td.to'), td => {
                  const text = document.createRange();
                  text.selectNodeContents(td);
                  const lines = new Set(Array.from(text.getClientRects()).filter(r => r.width > 0)
                      .map(r => Math.round(r.top)));
                  const end = text.getBoundingClientRect().right;
                  return {number: td.textContent, lines: lines.size,
                          inside: end <= td.getBoundingClientRect().right + 1 && end <= window.innerWidth};
                });""");
        assertThat(numbers).isNotEmpty().allSatisfy(n -> {
            assertThat(((Number) n.get("lines")).intValue()).as("lines of %s", n.get("number")).isEqualTo(1);
            assertThat(n.get("inside")).as("%s within its cell", n.get("number")).isEqualTo(true);
        });

        // a call's card is three lines, not a column of characters, and the page stays a few screens tall
        long rows = ids("table#calls tbody tr[data-call-id]", "data-call-id").size();
        long tableHeight = number("return Math.round(document.querySelector('table#calls').getBoundingClientRect().height)");
        assertThat(tableHeight).as("the calls table's height for %d calls", rows).isLessThanOrEqualTo(rows * 100);
        long pageHeight = number("return document.documentElement.scrollHeight");
        assertThat(pageHeight).as("page height at phone width with %d calls", rows).isLessThanOrEqualTo(5500);
        saveFullPage("dashboard-phone.png");
    }

    @Test
    @Order(9)
    void aFormIsReachedAndSubmittedWithTheKeyboardOnly() throws Exception {
        logIn();
        Set<String> before = ids("table#calls tbody tr[data-call-id]", "data-call-id");

        tabUntil("#form-voip [name=to]");
        driver.switchTo().activeElement().sendKeys("+14155550199");
        tabUntil("#form-voip button[type=submit]");
        new Actions(driver).sendKeys(Keys.ENTER).perform();

        String callId = wait.until(d -> newCallTo("+14155550199", before));
        assertThat(api("/api/calling/calls/" + callId).get("category").asString()).isEqualTo("internet_voip");
    }

    @Test
    @Order(10)
    void afterLoggingOutTheDashboardRefusesYou() {
        logIn();
        driver.findElement(By.cssSelector("form#logout-form button#logout")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form#login-form")));

        driver.get(url("/admin/calling"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form#login-form")));
        assertThat(driver.findElements(By.id("stat-countries"))).isEmpty();
        assertThat(driver.getCurrentUrl()).contains("/admin/calling/login");
    }

    @Test
    @Order(11)
    void aPlacingAnswerThatArrivesAfterTheCallEndedDoesNotPutAnEarlierStatusBack() {
        logIn();
        // Holds the placing POST's answer until the event stream has shown the call ended, as a slow answer would.
        driver.executeScript("""
                const realFetch = window.fetch;
                window.fetch = async (url, options) => {
                  const answer = await realFetch(url, options);
                  if (options && options.method === 'POST' && String(url).includes('/calls/internet_voip')) {
                    const call = await answer.clone().json();
                    const ended = () => {
                      const row = document.querySelector(`tr[data-call-id="${CSS.escape(call.callId)}"]`);
                      return row !== null && row.dataset.statusRank === '6';
                    };
                    await new Promise(done => { const poll = setInterval(() => {
                      if (ended()) { clearInterval(poll); done(); } }, 20); });
                    window.heldAnswer = call;
                  }
                  return answer;
                };""");
        WebElement form = driver.findElement(By.id("form-voip"));
        fill(form.findElement(By.name("to")), "+14155550103");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        Map<?, ?> answer = wait.until(d -> (Map<?, ?>) driver.executeScript("return window.heldAnswer || null"));
        String callId = (String) answer.get("callId");
        assertThat(((Number) answer.get("statusRank")).intValue()).as("the held answer's status is an earlier one: "
                + answer.get("status")).isLessThan(6);
        wait.until(d -> texts("#toasts div.toast.toast-success").stream().anyMatch(t -> t.contains(callId)));

        String onRecord = api("/api/calling/calls/" + callId).get("status").asString();
        assertThat(CallStatus.fromWireName(onRecord).isTerminal()).isTrue();
        assertThat(attribute("table#calls tbody tr[data-call-id='" + callId + "'] td.status span.badge[data-status]",
                "data-status")).as("the row after the late answer").isEqualTo(onRecord);
    }

    @Test
    @Order(13)
    void theCampaignsTableKeepsRefreshingAfterAFailedReadAndSaysSoUntilTheNextGoodOne() {
        logIn();
        String campaignId = campaignWaitingForItsHours("Browser test, a failed read");
        String row = "table#campaigns tbody tr[data-campaign-id='" + campaignId + "']";
        // the next read of the campaigns is answered 503, as one during a restart or a blip would be; each read notes
        // the failure notice the page showed as it started
        driver.executeScript("""
                window.campaignReads = [];
                const realFetch = window.fetch;
                window.fetch = (url, options) => {
                  if (String(url).endsWith('/api/campaigns') && options && options.method === 'GET') {
                    const notice = document.getElementById('campaigns-error');
                    window.campaignReads.push(notice === null || notice.hidden ? null : notice.textContent);
                    if (window.campaignReads.length === 1) {
                      return Promise.resolve(new Response(JSON.stringify({title: 'Service Unavailable', status: 503}),
                          {status: 503, headers: {'Content-Type': 'application/problem+json'}}));
                    }
                  }
                  return realFetch(url, options);
                };""");

        List<?> reads = new WebDriverWait(driver, PATIENCE, POLL)
                .withMessage("the campaigns to be read again after a read answered 503")
                .until(d -> {
                    List<?> r = (List<?>) driver.executeScript("return window.campaignReads");
                    return r.size() >= 2 ? r : null;
                });
        assertThat(reads.get(0)).as("the notice before any read failed").isNull();
        assertThat((String) reads.get(1)).as("the notice shown once the read failed, until the next good one")
                .contains("Service Unavailable");

        post("/api/calling/campaign/" + campaignId + "/pause");
        new WebDriverWait(driver, PATIENCE, POLL).withMessage(() -> "the table to show the campaign paused; it shows "
                + campaignRow(row)).until(d -> "paused".equals(campaignRow(row).get("status")));
        assertThat((Boolean) driver.executeScript("return document.getElementById('campaigns-error').hidden"))
                .as("the failure notice after a good read").isTrue();
        post("/api/calling/campaign/" + campaignId + "/cancel");
    }

    @Test
    @Order(14)
    void theCallsTableFollowsTheEventsAgainAfterTheStreamWasRefused() {
        // each page keeps its event streams where the test can reach them
        Map<String, Object> added = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.eventStreams = [];
                const RealEventSource = window.EventSource;
                window.EventSource = class extends RealEventSource {
                  constructor(...args) { super(...args); window.eventStreams.push(this); }
                };"""));
        try {
            logIn();
            wait.until(d -> (Boolean) driver.executeScript("const s = window.eventStreams; "
                    + "return s.length > 0 && s[s.length - 1].readyState === EventSource.OPEN"));
            // what the browser does when its reconnection is answered 503: the stream is closed, with an error
            String notice = (String) driver.executeScript("""
                    const stream = window.eventStreams[window.eventStreams.length - 1];
                    stream.close();
                    stream.dispatchEvent(new Event('error'));
                    const notice = document.getElementById('calls-error');
                    return notice === null || notice.hidden ? null : notice.textContent;""");

            String callId = post("/api/calling/voip", "{\"to\": \"+14155550177\"}").get("callId").asString();
            new WebDriverWait(driver, PATIENCE, POLL).withMessage("call " + callId + ", placed after the event stream "
                    + "was refused, to show in the calls table").until(d -> ids("table#calls tbody tr[data-call-id]",
                    "data-call-id").contains(callId));
            assertThat(notice).as("the notice shown once the stream was refused").isNotBlank();
            wait.until(d -> (Boolean) driver.executeScript("return document.getElementById('calls-error').hidden"));
        } finally {
            driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", added.get("identifier")));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A fresh session, logged in, on the dashboard. */
    @Test
    @Order(12)
    void aNumberIsErasedFromItsFormOnceConfirmed() throws Exception {
        logIn();
        Set<String> before = ids("table#calls tbody tr[data-call-id]", "data-call-id");
        placeFromForm("form-voip", "+14155550188", Map.of(), "internet_voip");   // it waits for the call's end
        String callId = newCallTo("+14155550188", before);
        wait.until(d -> api("/api/calling/calls/" + callId).hasNonNull("cost"));   // settled: erased at once
        WebElement form = driver.findElement(By.id("form-erase"));
        fill(form.findElement(By.name("number")), "+14155550188");

        assertThat((Boolean) driver.executeScript("return arguments[0].checkValidity()", form))
                .as("not sent until confirmed").isFalse();
        form.findElement(By.name("confirm")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String result = wait.until(d -> blankToNull(text("#erase-result")));
        assertThat(result).startsWith("+14155550188: 1 calls").contains("0 calls under way");
        assertThat(api("/api/calling/calls/" + callId).get("to").asString()).startsWith("erased:");
    }

    private void logIn() {
        driver.manage().deleteAllCookies();
        driver.get(url("/admin/calling/login"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form#login-form")));
        submitLogin(PASSWORD);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stat-countries")));
    }

    /** A campaign created from the form whose calling hours exclude the present hour: it stays in progress, calling no one. */
    private String campaignWaitingForItsHours(String name) {
        int hour = LocalTime.now(ZoneId.of("Europe/London")).getHour();
        String from = hour <= 20 ? "%02d:00".formatted(hour + 2) : "01:00";
        String until = hour <= 20 ? "%02d:00".formatted(hour + 3) : "02:00";
        Set<String> before = ids("table#campaigns tbody tr[data-campaign-id]", "data-campaign-id");
        WebElement form = driver.findElement(By.id("form-campaign"));
        fill(form.findElement(By.name("name")), name);
        fill(form.findElement(By.name("numbers")), String.join("\n", LONDON));
        new Select(form.findElement(By.name("hours"))).selectByValue("window");
        driver.executeScript("arguments[0].value = arguments[1]; arguments[2].value = arguments[3]",
                form.findElement(By.name("from")), from, form.findElement(By.name("until")), until);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        String campaignId = wait.until(d -> ids("table#campaigns tbody tr[data-campaign-id]", "data-campaign-id")
                .stream().filter(id -> !before.contains(id)).findFirst().orElse(null));
        String row = "table#campaigns tbody tr[data-campaign-id='" + campaignId + "']";
        wait.until(d -> "in_progress".equals(campaignRow(row).get("status")));
        return campaignId;
    }

    private void submitLogin(String password) {
        fill(driver.findElement(By.cssSelector("form#login-form input#username")), username);
        fill(driver.findElement(By.cssSelector("form#login-form input#password")), password);
        driver.findElement(By.cssSelector("form#login-form button#login")).click();
    }

    /**
     * Places a call from one of the forms and waits for its row: the category badge, a status badge that comes to
     * hold the status on record, and the simulated label (the sandbox served it).
     */
    private void placeFromForm(String formId, String to, Map<String, String> fields, String category) throws Exception {
        Set<String> before = ids("table#calls tbody tr[data-call-id]", "data-call-id");
        WebElement form = driver.findElement(By.id(formId));
        assertThat(form.findElement(By.name("customer")).getDomProperty("value")).isEqualTo("admin");
        fill(form.findElement(By.name("to")), to);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            WebElement input = form.findElement(By.name(field.getKey()));
            if (input.getTagName().equals("select")) new Select(input).selectByValue(field.getValue());
            else fill(input, field.getValue());
        }
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String callId = wait.until(d -> newCallTo(to, before));
        String row = "table#calls tbody tr[data-call-id='" + callId + "']";
        JsonNode call = api("/api/calling/calls/" + callId);
        assertThat(call.get("category").asString()).as(formId).isEqualTo(category);
        assertThat(call.get("simulated").asBoolean()).isTrue();

        assertThat(text(row + " td.category span.badge")).as("the category badge of a call from " + formId)
                .isEqualTo(category);
        assertThat(text(row + " span.badge-simulated")).as("the simulated label of a call from " + formId)
                .isEqualTo("simulated");
        Set<String> statuses = Arrays.stream(CallStatus.values()).map(CallStatus::wireName).collect(Collectors.toSet());
        // the row follows the call live until both agree on its final status
        wait.until(d -> {
            String shown = attribute(row + " td.status span.badge[data-status]", "data-status");
            assertThat(statuses).as("the status badge of a call from " + formId).contains(shown);
            String onRecord = api("/api/calling/calls/" + callId).get("status").asString();
            return shown.equals(onRecord) && CallStatus.fromWireName(onRecord).isTerminal();
        });
        assertThat(texts("#toasts div.toast.toast-error")).as("error toasts").isEmpty();
    }

    /** The id of a row not in {@code before} whose call, on record, is to {@code to}; null while there is none. */
    private String newCallTo(String to, Set<String> before) {
        for (String id : ids("table#calls tbody tr[data-call-id]", "data-call-id")) {
            if (!before.contains(id) && api("/api/calling/calls/" + id).get("to").asString().equals(to)) {
                return id;
            }
        }
        return null;
    }

    private void tabUntil(String selector) {
        for (int presses = 0; presses < 300; presses++) {
            if (Boolean.TRUE.equals(driver.executeScript(
                    "return document.activeElement !== null && document.activeElement.matches(arguments[0])", selector))) {
                return;
            }
            new Actions(driver).sendKeys(Keys.TAB).perform();
        }
        fail("300 presses of TAB never reached " + selector);
    }

    // Live parts of the page are redrawn as events arrive, so they are read in one script each, never through an
    // element found earlier (which a redraw leaves stale).

    private Set<String> ids(String rows, String attribute) {
        List<?> ids = (List<?>) driver.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), r => r.getAttribute(arguments[1]))",
                rows, attribute);
        return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The text of what {@code selector} finds, trimmed; null when it finds nothing. */
    private String text(String selector) {
        return (String) driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e === null ? null : e.textContent.trim()",
                selector);
    }

    private List<String> texts(String selector) {
        List<?> texts = (List<?>) driver.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent)", selector);
        return texts.stream().map(String::valueOf).toList();
    }

    private String attribute(String selector, String name) {
        return (String) driver.executeScript(
                "const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1])",
                selector, name);
    }

    /** A campaign row's status and counters, read together; null while the row is not there. */
    @SuppressWarnings("unchecked")
    private Map<String, String> campaignRow(String row) {
        return (Map<String, String>) driver.executeScript("""
                const r = document.querySelector(arguments[0]);
                if (r === null) return null;
                const text = s => r.querySelector(s).textContent.trim();
                const counter = n => text("span.counter[data-counter='" + n + "']");
                return {status: text('.campaign-status'), total: counter('total'), completed: counter('completed'),
                        failed: counter('failed'), pending: counter('pending')};""", row);
    }

    private BigDecimal figure(String id) {
        String value = driver.findElement(By.id(id)).getDomAttribute("data-value");
        assertThat(value).as("#" + id + "[data-value]").isNotNull();
        return new BigDecimal(value);
    }

    private static void fill(WebElement input, String text) {
        input.clear();
        if (!text.isEmpty()) input.sendKeys(text);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private long number(String script) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(script)).longValue();
    }

    /** The whole page as it lays out at the window's width, beyond the viewport's height. */
    @SuppressWarnings("unchecked")
    private void saveFullPage(String name) throws IOException {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                        "width", ((Number) size.get("width")).doubleValue(),
                        "height", ((Number) size.get("height")).doubleValue())));
        Files.write(SCREENSHOTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A POST of the REST API with no body, as the customer the dashboard's forms act for. */
    private JsonNode post(String path) {
        return post(path, null);
    }

    /** A POST of the REST API, as the customer the dashboard's forms act for; 2xx expected. */
    private JsonNode post(String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + API_KEY);
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode() / 100).as("POST " + path + ": " + answer.body()).isEqualTo(2);
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("POST " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("POST " + path, e);
        }
    }

    /** A GET of the REST API, as the customer the dashboard's forms act for. */
    private JsonNode api(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Authorization", "Bearer " + API_KEY).build();
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET " + path + ": " + answer.body()).isEqualTo(200);
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("GET " + path, e);
        }
    }
}
