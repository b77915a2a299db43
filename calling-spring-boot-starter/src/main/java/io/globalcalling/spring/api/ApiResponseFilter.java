package io.globalcalling.spring.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * What every answer under {@code /api/calling} carries, whoever writes it (a handler, the API-key check, Spring MVC,
 * the container): {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}, since answers hold
 * phone numbers, transcripts and costs that no browser or proxy cache should keep, nor a browser read as another
 * type.
 */
public final class ApiResponseFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(request, response);
    }
}
