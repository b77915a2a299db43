package io.globalcalling.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class LoopbackServerTest {

    static final String REQUEST = "POST /calls HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";

    /** Sends {@link #REQUEST} on a new connection to {@code server} and returns the connection. */
    static Socket ask(LoopbackServer server) throws Exception {
        URI base = URI.create(server.baseUrl());
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void answersEachConnectionWithTheReplyAndClosesIt() throws Exception {
        try (LoopbackServer server = LoopbackServer.answeringEachWith("Dialled +14155551212\r\n\r\n")) {
            assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
            for (int i = 0; i < 2; i++) {
                try (Socket s = ask(server)) {
                    assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("Dialled +14155551212\r\n\r\n");
                }
            }
        }
    }

    @Test
    void answersEachConnectionWithAJsonBodyThatRunsOnPastSixteenMebibytes() throws Exception {
        try (LoopbackServer server = LoopbackServer.answeringEachWithoutEnd()) {
            for (int i = 0; i < 2; i++) {
                try (Socket s = ask(server)) {
                    InputStream in = s.getInputStream();
                    String head = new String(in.readNBytes(80), StandardCharsets.US_ASCII);
                    assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked\r\n");
                    in.skipNBytes(17L << 20);   // throws if the answer ends before
                }
            }
        }
    }
}
