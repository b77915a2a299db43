package io.globalcalling.examples.admin;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The main class as a newcomer meets it: it prints the dashboard's URL with the port it took, the admin username and
 * password, and a demo API key, and the printed credentials are the ones the server accepts.
 */
class AdminServerTest {

    private static final String[] ARGS = {"--server.port=0",
            "--spring.datasource.url=jdbc:h2:mem:admin-server-test;DB_CLOSE_DELAY=-1"};

    @Test
    void thePrintedGeneratedPasswordLogsInAndThePrintedKeyOpensTheApi() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ConfigurableApplicationContext context = AdminServer.start(ARGS, Map.of(),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String out = printed.toString(StandardCharsets.UTF_8);
            // Spring Boot's generated user ("user"), whose password would be a second one printed, is not there
            UserDetailsService users = context.getBeanProvider(UserDetailsService.class).getIfAvailable();
            if (users != null) {
                assertThatThrownBy(() -> users.loadUserByUsername("user")).isInstanceOf(UsernameNotFoundException.class);
            }
            String dashboard = find(out, "Dashboard:\\s+(http://localhost:\\d+/admin/calling)\\s");
            String username = find(out, "Username:\\s+(\\S+)");
            String password = find(out, "Password:\\s+(\\S+)\\s+\\(generated");
            String apiKey = find(out, "API key of customer 'demo' \\(new each run\\): (\\S+)");
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);

            Browser browser = new Browser();
            assertThat(browser.logIn(dashboard, username, password + "x")).as("a wrong password").isFalse();
            assertThat(browser.logIn(dashboard, username, password)).as("the printed password").isTrue();
            assertThat(browser.get(dashboard).body()).contains("id=\"stat-countries\"");

            String api = dashboard.replace("/admin/calling", "/api/calling/coverage");
            HttpResponse<String> coverage = browser.http.send(HttpRequest.newBuilder(URI.create(api))
                    .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(coverage.statusCode()).as(coverage.body()).isEqualTo(200);
            assertThat(coverage.body()).contains("\"countryCount\"");
        }
    }

    @Test
    void aPasswordGivenInTheEnvironmentIsUsedAndNotPrinted() throws Exception {
        String chosen = "a-chosen-admin-password-4711";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ConfigurableApplicationContext ignored = AdminServer.start(ARGS, Map.of("ADMIN_PASSWORD", chosen),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(out).doesNotContain(chosen).contains("Password:   (the one in ADMIN_PASSWORD)");

            String dashboard = find(out, "Dashboard:\\s+(http://localhost:\\d+/admin/calling)\\s");
            assertThat(new Browser().logIn(dashboard, find(out, "Username:\\s+(\\S+)"), chosen)).isTrue();
        }
    }

    @Test
    void aBlankPasswordInTheEnvironmentIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> AdminServer.start(ARGS, Map.of("ADMIN_PASSWORD", " "), System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ADMIN_PASSWORD is set but blank");
    }

    private static String find(String printed, String regex) {
        Matcher m = Pattern.compile(regex).matcher(printed);
        assertThat(m.find()).as("/" + regex + "/ in:\n" + printed).isTrue();
        return m.group(1);
    }

    /** A plain HTTP client that keeps the session cookie and posts the login form with its CSRF token. */
    private static final class Browser {
        private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"login-form\"[^>]*>");
        private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");
        private static final Pattern CSRF = Pattern.compile(
                "<input[^>]*name=\"(_csrf)\"[^>]*value=\"([^\"]+)\"|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Whether the login form, posted with these credentials, leads to the dashboard. */
        boolean logIn(String dashboard, String username, String password) throws Exception {
            URI loginPage = URI.create(dashboard + "/login");
            String page = get(loginPage.toString()).body();
            Matcher form = LOGIN_FORM.matcher(page);
            assertThat(form.find()).as("form#login-form in:\n" + page).isTrue();
            Matcher action = ACTION.matcher(form.group());
            URI target = action.find() ? loginPage.resolve(action.group(1).replace("&amp;", "&")) : loginPage;
            Matcher csrf = CSRF.matcher(page);
            assertThat(csrf.find()).as("the CSRF input in:\n" + page).isTrue();
            String token = csrf.group(2) != null ? csrf.group(2) : csrf.group(3);

            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(target)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(username) + "&password="
                            + encode(password) + "&_csrf=" + encode(token)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("the login's answer").isEqualTo(302);
            String location = answer.headers().firstValue("Location").orElseThrow();
            if (location.contains("error")) return false;
            return get(target.resolve(location).toString()).statusCode() == 200
                    && get(dashboard).body().contains("id=\"stat-countries\"");
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
