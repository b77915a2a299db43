package io.globalcalling.spring.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What every answer under {@code /api/calling} carries, whoever writes it (a handler, the API-key check, Spring MVC,
 * the container): {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}, since answers hold
 * phone numbers, transcripts and costs that no browser or proxy cache should keep, nor a browser read as another
 * type. An error sent without a handler of the API (an unmapped path, an unsupported method, a media type no route
 * takes or gives) becomes a problem document like the API's own errors, instead of the container's error page.
 */
public final class ApiResponseFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(request, new ProblemErrors(request, response));
    }

    /** Turns {@code sendError} into a problem document; the headers set before (Allow, say) stay. */
    private static final class ProblemErrors extends HttpServletResponseWrapper {

        private final HttpServletRequest request;

        ProblemErrors(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, @Nullable String message) throws IOException {
            if (isCommitted()) {
                super.sendError(status, message);
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            String title = known == null ? "Error" : known.getReasonPhrase();
            String path = request.getRequestURI().substring(request.getContextPath().length());
            String detail = status == HttpServletResponse.SC_NOT_FOUND
                    ? "there is no route " + request.getMethod() + " " + path + " in the API"
                    : message == null || message.isBlank() ? title : message;
            resetBuffer();
            setStatus(status);
            setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            byte[] body = ("{\"type\":\"about:blank\",\"title\":" + json(title) + ",\"status\":" + status
                    + ",\"detail\":" + json(ShownUrls.text(detail)) + ",\"instance\":" + json(path) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            setContentLength(body.length);
            getOutputStream().write(body);
            flushBuffer();
        }
    }

    /** {@code text} as a JSON string. */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
