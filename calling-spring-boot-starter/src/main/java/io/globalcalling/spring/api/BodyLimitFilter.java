package io.globalcalling.spring.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request body larger than a limit with 413 and a problem document, before a handler reads it: at once
 * when its {@code Content-Length} says so, else (a chunked body) as soon as a reader passes the limit, which the
 * API's problem handler answers 413. Multipart uploads (a campaign's CSV) are left to Spring's
 * {@code spring.servlet.multipart.*} limits.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

    /** The default limit: 1 MiB, some ten thousand inline campaign targets. */
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private final long maxBytes;

    /** @throws IllegalArgumentException when {@code maxBytes} is not positive */
    public BodyLimitFilter(long maxBytes) {
        if (maxBytes < 1) throw new IllegalArgumentException("the body size limit " + maxBytes + " must be positive");
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length())) {
            chain.doFilter(request, response);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            tooLarge(response, new BodyTooLargeException(length, maxBytes).getMessage());
            return;
        }
        chain.doFilter(length >= 0 ? request : new Limited(request, maxBytes), response);
    }

    private static void tooLarge(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // the request is not read: a client still sending it gets this answer, and the connection is closed
        response.setHeader("Connection", "close");
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":"
                + ApiResponseFilter.json(detail) + "}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A body read past the limit; the API's problem handler answers it 413. */
    public static final class BodyTooLargeException extends IOException {

        BodyTooLargeException(long size, long maxBytes) {
            super("the body is " + (size < 0 ? "more than " + maxBytes : Long.toString(size))
                    + " bytes; this endpoint takes at most " + maxBytes + " bytes");
        }
    }

    /** A request whose body stream fails once more than the limit has been read. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) stream = new Counting(super.getInputStream(), maxBytes);
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        Counting(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > maxBytes) throw new BodyTooLargeException(-1, maxBytes);
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
