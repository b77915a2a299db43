package io.globalcalling.store.jdbi;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The crash test's dial log, in the test's own process: every call that reached "the network", by number. */
final class CrashDialStub implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> numberByCall = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> dialsByNumber = new ConcurrentHashMap<>();
    private final AtomicInteger dials = new AtomicInteger();

    CrashDialStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/place", ex -> {
            String[] body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split(",");
            if (numberByCall.putIfAbsent(body[0], body[1]) == null) {
                dialsByNumber.computeIfAbsent(body[1], n -> new AtomicInteger()).incrementAndGet();
                dials.incrementAndGet();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/placed", ex -> {
            String callId = ex.getRequestURI().getQuery().substring("callId=".length());
            byte[] answer = (numberByCall.containsKey(callId) ? "yes" : "no").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int dials() {
        return dials.get();
    }

    Map<String, AtomicInteger> dialsByNumber() {
        return dialsByNumber;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
