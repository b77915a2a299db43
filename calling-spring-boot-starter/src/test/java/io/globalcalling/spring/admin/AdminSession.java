package io.globalcalling.spring.admin;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A browser-like client of the dashboard: its own cookies (the session), redirects not followed. */
final class AdminSession {

    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    private final int port;
    private final HttpClient http;

    AdminSession(int port) {
        this.port = port;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json, text/html").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(request, body);
    }

    /** Posts the login form with the login page's CSRF token; answers the redirect it gets. */
    HttpResponse<String> logIn(String username, String password) throws Exception {
        String token = match(HIDDEN_CSRF, get(CallingAdminAutoConfiguration.BASE + "/login").body());
        String form = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(token);
        return send(HttpRequest.newBuilder(uri(CallingAdminAutoConfiguration.BASE + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /** The dashboard's CSRF token, as the page's script reads it from its meta tag. */
    String csrfToken() throws Exception {
        HttpResponse<String> page = get(CallingAdminAutoConfiguration.BASE);
        assertThat(page.statusCode()).isEqualTo(200);
        return match(META_CSRF, page.body());
    }

    /** A JSON POST as the page's script sends it: with the CSRF header when {@code csrf} is not null. */
    HttpResponse<String> post(String path, String json, String csrf) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrf != null) r.header("X-CSRF-TOKEN", csrf);
        return send(r.build());
    }

    static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
