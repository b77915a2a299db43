package io.globalcalling.spring.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets a request under {@code /api/calling} through only with a known key in {@code Authorization: Bearer <key>},
 * and records the key's customer in the request attribute {@link #CUSTOMER}. Anything else, whatever the path
 * (an unmapped one too), is answered 401 with a problem document, before any handler runs.
 */
public final class ApiKeyFilter extends OncePerRequestFilter {

    /** The request attribute holding the authenticated customer's id. */
    public static final String CUSTOMER = "io.globalcalling.spring.api.customer";

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            unauthorized(response, "the request has no API key: send it as 'Authorization: Bearer <key>'");
            return;
        }
        Optional<String> customer = keys.customerOf(header.substring(BEARER.length()).trim());
        if (customer.isEmpty()) {
            unauthorized(response, "the API key is not valid");   // never repeats the key
            return;
        }
        request.setAttribute(CUSTOMER, customer.get());
        chain.doFilter(request, response);
    }

    private static void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"calling\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // the detail is one of two constant texts, so it needs no JSON escaping
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail
                + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
