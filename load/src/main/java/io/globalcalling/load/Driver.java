package io.globalcalling.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Places calls as a client of the host would: {@code POST /api/calling/voip} with a customer's Bearer key, from
 * {@code placers} threads, keeping the calls the host accepted (201) by id and counting every other answer.
 */
final class Driver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI voip;
    private final List<String> apiKeys;
    private final HttpClient http;
    private final ExecutorService placers;
    private final AtomicInteger next = new AtomicInteger();
    final AtomicLong inFlight = new AtomicLong();
    final Set<String> placed = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

    Driver(URI hostBase, List<String> apiKeys, int placers) {
        this.voip = hostBase.resolve("/api/calling/voip");
        this.apiKeys = List.copyOf(apiKeys);
        this.placers = Executors.newFixedThreadPool(placers);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Places {@code count} calls in the background, each to a random San Francisco number, customers in turn. */
    void place(int count) {
        for (int i = 0; i < count; i++) {
            inFlight.incrementAndGet();
            placers.execute(() -> {
                try {
                    placeOne();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
    }

    private void placeOne() {
        String key = apiKeys.get(Math.floorMod(next.getAndIncrement(), apiKeys.size()));
        // 8 million numbers: two calls to one number minutes apart would leave reconciliation unable to tell them apart
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String to = "+1415" + (200 + random.nextInt(800)) + String.format("%04d", random.nextInt(10_000));
        HttpRequest request = HttpRequest.newBuilder(voip).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + to + "\"}")).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                // an answer the driver cannot read is counted, not thrown away on a placer thread: lost, it would
                // leave the audit nothing to find wrong
                JsonNode id = JSON.readTree(response.body()).path("callId");
                if (!id.isTextual() || id.asText().isBlank()) {
                    refused("HTTP 201 without a callId");
                } else if (!placed.add(id.asText())) {
                    // a second call answered with a call's id: kept in a set, it would pass as one call, one record
                    refused("HTTP 201 with a callId already answered");
                }
            } else {
                refused("HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            refused(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused("interrupted");
        }
    }

    private void refused(String why) {
        refusals.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
    }

    /** Answers that are not a new call (other than 201, or a 201 without a new call id), by status or exception. */
    Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Waits until every placement started has been answered. */
    void awaitPlacements(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
    }

    @Override
    public void close() throws InterruptedException {
        placers.shutdownNow();
        placers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
