package io.globalcalling.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Twilio stand-in in its own process: Twilio's REST API for creating ({@code POST .../Calls.json}), fetching
 * ({@code GET .../Calls/{CallSid}.json}), listing ({@code GET .../Calls.json}, as reconciliation asks) and ending
 * ({@code POST .../Calls/{CallSid}.json} with {@code Status}) calls, with Twilio's JSON and error bodies, Basic auth
 * checked. Each call plays out: queued, ringing after a
 * post-dial delay, then answered (and completed after a log-normal talk time), busy, no-answer (after the
 * create's {@code Timeout}) or failed, by the configured ratios; signed status callbacks go to the create's
 * {@code StatusCallback} (with {@code CallDuration} when completed), some twice, some after the next one (when
 * that comes within ten seconds).
 * {@code GET /stats} shows what it counted: creates per callback URL, calls in progress, callbacks delivered;
 * {@code GET /calls} how each call ended (status, talk seconds, price), for the audit to compare call by call.
 *
 * <p>{@code java -cp load.jar io.globalcalling.load.TwilioSimulator --port=8089 --time-scale=10 ...} (see
 * {@link SimulatorSettings} for every option).
 */
public final class TwilioSimulator implements AutoCloseable {

    private static final Pattern CALLS = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls\\.json");
    private static final Pattern CALL = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json");
    private static final Pattern DIALLABLE = Pattern.compile("\\+[1-9]\\d{6,14}|sips?:.+");
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The furthest a callback is held back to arrive after the next one. */
    private static final long MAX_REORDER_MILLIS = 10_000;

    private final SimulatorSettings settings;
    private final HttpServer server;
    private final CallbackSender callbacks;
    private final ScheduledExecutorService playout = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "simulator-playout");
        t.setDaemon(true);
        return t;
    });
    private final String basicAuth;
    private final Random random;
    private final Map<String, SimCall> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> createsPerCallback = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong creates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong ends = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong maxActive = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();

    private TwilioSimulator(SimulatorSettings settings, HttpServer server) {
        this.settings = settings;
        this.server = server;
        this.callbacks = new CallbackSender(settings.authToken(), settings.senders());
        this.random = new Random(settings.seed());
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (settings.accountSid() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
        server.createContext("/2010-04-01/", this::api);
        server.createContext("/stats", this::stats);
        server.createContext("/calls", this::callOutcomes);
        server.createContext("/active", this::active);
        server.createContext("/hang-up-all", this::hangUpAll);
        server.setExecutor(Executors.newFixedThreadPool(16));
    }

    /** Starts a simulator on {@code port} of the loopback interface (0: any free port). */
    public static TwilioSimulator start(SimulatorSettings settings, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        TwilioSimulator simulator = new TwilioSimulator(settings, server);
        server.start();
        return simulator;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = Args.parse(args);
        SimulatorSettings settings = SimulatorSettings.from(options);
        TwilioSimulator simulator = start(settings, Integer.parseInt(options.getOrDefault("port", "0")));
        System.out.println("Twilio simulator on port " + simulator.port() + ": " + settings);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        playout.shutdownNow();
        callbacks.close();
    }

    // ---------------------------------------------------------------- the REST API

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!basicAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, 20003, "Authenticate");
                return;
            }
            Matcher calls = CALLS.matcher(path);
            Matcher call = CALL.matcher(path);
            String method = exchange.getRequestMethod();
            if (calls.matches() && calls.group(1).equals(settings.accountSid()) && method.equals("POST")) {
                create(exchange, form(exchange));
            } else if (calls.matches() && calls.group(1).equals(settings.accountSid()) && method.equals("GET")) {
                list(exchange, path);
            } else if (call.matches() && call.group(1).equals(settings.accountSid()) && method.equals("GET")) {
                fetch(exchange, call.group(2));
            } else if (call.matches() && call.group(1).equals(settings.accountSid()) && method.equals("POST")) {
                end(exchange, call.group(2), form(exchange));
            } else {
                error(exchange, 404, 20404, "The requested resource " + path + " was not found");
            }
        } catch (RuntimeException e) {
            e.printStackTrace(); // the JDK's server would drop it silently
            throw e;
        }
    }

    private void create(HttpExchange exchange, Map<String, List<String>> form) throws IOException {
        String to = first(form, "To");
        String from = first(form, "From");
        if (to == null || to.isBlank()) {
            refuse(exchange, 21201, "No 'To' number is specified");
        } else if (!DIALLABLE.matcher(to).matches()) {
            refuse(exchange, 21211, "Invalid 'To' Phone Number: " + to);
        } else if (from == null || from.isBlank()) {
            refuse(exchange, 21603, "A 'From' phone number is required.");
        } else if (first(form, "Url") == null && first(form, "Twiml") == null) {
            refuse(exchange, 21205, "Url parameter is required.");
        } else {
            String callback = first(form, "StatusCallback");
            createsPerCallback.computeIfAbsent(callback == null ? "(none)" : callback, k -> new AtomicInteger())
                    .incrementAndGet();
            creates.incrementAndGet();
            SimCall c = new SimCall("CA" + randomHex(), to, from, Instant.now(),
                    callback == null ? null : URI.create(callback), form.getOrDefault("StatusCallbackEvent", List.of()),
                    parseInt(first(form, "Timeout"), 60));
            calls.put(c.sid, c);
            long now = active.incrementAndGet();
            maxActive.accumulateAndGet(now, Math::max);
            Map<String, Object> accepted = c.resource(); // queued, as Twilio answers: before any step can play
            play(c);
            send(exchange, 201, accepted);
        }
    }

    private void refuse(HttpExchange exchange, int code, String message) throws IOException {
        refused.incrementAndGet();
        error(exchange, 400, code, message);
    }

    private void fetch(HttpExchange exchange, String sid) throws IOException {
        fetches.incrementAndGet();
        SimCall c = calls.get(sid);
        if (c == null) {
            error(exchange, 404, 20404, "The requested resource " + exchange.getRequestURI().getPath() + " was not found");
        } else {
            send(exchange, 200, c.resource());
        }
    }

    /**
     * Twilio's Calls list, newest first: filtered by {@code To}, {@code From}, {@code Status} and a start date
     * ({@code StartTime}, {@code StartTime>}, {@code StartTime<}: a call still queued has no start time and so
     * matches none of them), in pages of {@code PageSize} (50 by default, at most 1,000) numbered by {@code Page},
     * with Twilio's paging fields; {@code next_page_uri} is null on the last page.
     */
    private void list(HttpExchange exchange, String path) throws IOException {
        lists.incrementAndGet();
        Map<String, List<String>> query = parse(exchange.getRequestURI().getRawQuery());
        int pageSize = Math.min(1000, Math.max(1, parseInt(first(query, "PageSize"), 50)));
        int page = Math.max(0, parseInt(first(query, "Page"), 0));
        List<SimCall> matches;
        try {
            matches = calls.values().stream().filter(c -> c.matches(query))
                    .sorted(java.util.Comparator.comparing((SimCall c) -> c.created).reversed().thenComparing(c -> c.sid))
                    .toList();
        } catch (java.time.format.DateTimeParseException e) {
            error(exchange, 400, 20001, "Invalid StartTime: " + e.getParsedString());
            return;
        }
        int start = Math.min(matches.size(), page * pageSize);
        int end = Math.min(matches.size(), start + pageSize);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (SimCall c : matches.subList(start, end)) resources.add(c.resource());
        String filters = filters(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("calls", resources);
        body.put("end", Math.max(start, end - 1));
        body.put("first_page_uri", pageUri(path, filters, pageSize, 0, null));
        body.put("next_page_uri", end < matches.size()
                ? pageUri(path, filters, pageSize, page + 1, matches.get(end - 1).sid) : null);
        body.put("page", page);
        body.put("page_size", pageSize);
        body.put("previous_page_uri", page > 0 ? pageUri(path, filters, pageSize, page - 1, null) : null);
        body.put("start", start);
        body.put("uri", pageUri(path, filters, pageSize, page, null));
        send(exchange, 200, body);
    }

    /** The list's filters as Twilio echoes them in its paging URIs (encoded, in the order given). */
    private static String filters(Map<String, List<String>> query) {
        StringBuilder out = new StringBuilder();
        query.forEach((name, values) -> {
            if (name.equals("Page") || name.equals("PageSize") || name.equals("PageToken")) return;
            for (String v : values) {
                out.append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        });
        return out.toString();
    }

    private static String pageUri(String path, String filters, int pageSize, int page, String lastSid) {
        return path + "?" + filters + "PageSize=" + pageSize + "&Page=" + page
                + (lastSid == null ? "" : "&PageToken=PA" + lastSid);
    }

    /** {@code Status=canceled} ends a queued or ringing call, {@code completed} any call; an ended call stays as it is. */
    private void end(HttpExchange exchange, String sid, Map<String, List<String>> form) throws IOException {
        SimCall c = calls.get(sid);
        String status = first(form, "Status");
        if (c == null) {
            error(exchange, 404, 20404, "The requested resource " + exchange.getRequestURI().getPath() + " was not found");
            return;
        }
        if (!"canceled".equals(status) && !"completed".equals(status)) {
            error(exchange, 400, 21218, "Invalid 'Status' value: " + status);
            return;
        }
        ends.incrementAndGet();
        c.endByApi(status);
        send(exchange, 200, c.resource());
    }

    // ---------------------------------------------------------------- playing a call out

    /** One status change of a call, planned at create, and its callback. */
    private static final class Step {
        final long atMillis;
        final String status;
        final String event;
        boolean applied;
        boolean cancelled;
        Map<String, String> form;

        Step(long atMillis, String status, String event) {
            this.atMillis = atMillis;
            this.status = status;
            this.event = event;
        }

        boolean terminal() {
            return event.equals("completed");
        }
    }

    private void play(SimCall c) {
        synchronized (c) { // its steps and deliveries are all planned before any of them plays or is hung up
            playLocked(c);
        }
    }

    private void playLocked(SimCall c) {
        List<Step> steps = plan(c);
        c.steps = steps;
        long sequence = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            playout.schedule(() -> c.apply(step), step.atMillis, TimeUnit.MILLISECONDS);
            if (c.callback == null || !(step.terminal() || c.events.contains(step.event))) continue;
            step.form = c.callbackForm(step, sequence++);
            long at = step.atMillis;
            // out of order: lands after the next step's callback, when that comes within seconds, as a late
            // delivery does; a later one would be stale (a callback's Timestamp is when its step happened)
            if (!step.terminal() && i + 1 < steps.size() && steps.get(i + 1).atMillis - at <= MAX_REORDER_MILLIS
                    && chance(settings.outOfOrderRate())) {
                at = steps.get(i + 1).atMillis + 20;
                reordered.incrementAndGet();
            }
            deliverAt(c, step, at);
            if (chance(settings.duplicateRate())) {
                duplicated.incrementAndGet();
                deliverAt(c, step, at + 50 + ThreadLocalRandom.current().nextLong(1000));
            }
        }
    }

    private void deliverAt(SimCall c, Step step, long atMillis) {
        Delivery d = new Delivery(step);
        c.deliveries.add(d);
        callbacks.expect();
        playout.schedule(() -> c.deliver(d), atMillis, TimeUnit.MILLISECONDS);
    }

    /** One planned callback of a step; done once sent or dropped. */
    private static final class Delivery {
        final Step step;
        boolean done;

        Delivery(Step step) {
            this.step = step;
        }
    }

    /** The call's steps in real milliseconds from now, drawn from the settings. */
    private List<Step> plan(SimCall c) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(0, "initiated", "initiated"));
        long postDial = between(settings.postDialMin(), settings.postDialMax());
        double u;
        double talkSeconds;
        synchronized (random) {
            u = random.nextDouble();
            talkSeconds = Math.exp(Math.log(settings.talkMedian().toMillis() / 1000.0) + 0.5 * random.nextGaussian());
        }
        double answer = settings.answerRatio();
        double busy = answer + settings.busyRatio();
        double noAnswer = busy + settings.noAnswerRatio();
        if (u >= noAnswer) {
            steps.add(new Step(postDial, "failed", "completed"));
            return steps;
        }
        steps.add(new Step(postDial, "ringing", "ringing"));
        if (u < answer) {
            long answered = postDial + between(Duration.ofSeconds(2), Duration.ofSeconds(12));
            long talk = Math.max(1, Math.min(Math.round(talkSeconds),
                    settings.talkMax().toSeconds()));
            c.talkSeconds = talk;
            steps.add(new Step(answered, "in-progress", "answered"));
            steps.add(new Step(answered + settings.realMillis(Duration.ofSeconds(talk)), "completed", "completed"));
        } else if (u < busy) {
            steps.add(new Step(postDial + between(Duration.ofSeconds(1), Duration.ofSeconds(4)), "busy", "completed"));
        } else {
            steps.add(new Step(postDial + settings.realMillis(Duration.ofSeconds(c.ringTimeout)), "no-answer", "completed"));
        }
        return steps;
    }

    private long between(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        long simulated = min.toMillis() + (span <= 0 ? 0 : ThreadLocalRandom.current().nextLong(span + 1));
        return settings.realMillis(Duration.ofMillis(simulated));
    }

    private static boolean chance(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** 32 random hex digits, as in Twilio's SIDs. */
    private static String randomHex() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A call as the simulator keeps it; its state changes under its own lock. */
    private final class SimCall {
        final String sid;
        final String to;
        final String from;
        final Instant created;
        final URI callback;
        final List<String> events;
        final int ringTimeout;
        List<Step> steps = List.of();
        final List<Delivery> deliveries = new ArrayList<>();
        long talkSeconds;
        String status = "queued";
        /** When it left the queue: Twilio's start date, which the list filters by. */
        Instant dialed;
        Instant started;
        Instant endedAt;
        Long duration;

        SimCall(String sid, String to, String from, Instant created, URI callback, List<String> events, int ringTimeout) {
            this.sid = sid;
            this.to = to;
            this.from = from;
            this.created = created;
            this.callback = callback;
            this.events = events;
            this.ringTimeout = ringTimeout;
        }

        synchronized void apply(Step step) {
            if (step.cancelled) return;
            step.applied = true;
            status = step.status;
            if (dialed == null) dialed = Instant.now();
            if (step.status.equals("in-progress")) started = Instant.now();
            if (step.terminal()) finish(step.status.equals("completed") ? talkSeconds : 0);
        }

        synchronized void deliver(Delivery d) {
            if (d.done) return;
            d.done = true;
            if (d.step.cancelled) {
                callbacks.unexpect();
            } else {
                callbacks.send(callback, d.step.form);
            }
        }

        /** Ended through the API: the steps not yet played are dropped, and the end is called back. */
        synchronized void endByApi(String requested) {
            if (requested.equals("canceled") && status.equals("in-progress")) return; // Twilio leaves it alone
            hangUp();
        }

        /** Ends the call now, unless it has ended; the steps not yet played are dropped, the end is called back. */
        synchronized boolean hangUp() {
            if (endedAt != null) return false;
            String last = status.equals("in-progress") ? "completed" : "canceled";
            for (Step s : steps) {
                if (!s.applied) s.cancelled = true;
            }
            // what has happened is called back now, what will not happen never is: nothing waits for a planned time
            for (Delivery d : deliveries) deliver(d);
            // the time talked so far, in simulated seconds, is what the last callback and the resource report
            long talked = started == null ? 0 : Math.max(1, Math.round(
                    Duration.between(started, Instant.now()).toMillis() * settings.timeScale() / 1000));
            talkSeconds = talked;
            Step end = new Step(0, last, "completed");
            status = last;
            finish(last.equals("completed") ? talked : 0);
            end.applied = true;
            if (callback != null) {
                end.form = callbackForm(end, steps.size() + 1);
                callbacks.expect();
                callbacks.send(callback, end.form);
            }
            return true;
        }

        private void finish(long talked) {
            endedAt = Instant.now();
            duration = talked;
            active.decrementAndGet();
            ended.incrementAndGet();
            outcomes.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        }

        /** Our call id: the {@code callId} the create's {@code StatusCallback} carries; null without one. */
        String callId() {
            if (callback == null) return null;
            return first(parse(callback.getRawQuery()), "callId");
        }

        /** Whether the list's filters select this call; a start date filter compares dates (UTC), as Twilio does. */
        synchronized boolean matches(Map<String, List<String>> query) {
            if (!same(query, "To", to) || !same(query, "From", from) || !same(query, "Status", status)) return false;
            java.time.LocalDate day = dialed == null ? null : dialed.atOffset(ZoneOffset.UTC).toLocalDate();
            return date(query, "StartTime", day, 0) && date(query, "StartTime>", day, 1) && date(query, "StartTime<", day, -1);
        }

        private static boolean same(Map<String, List<String>> query, String name, String value) {
            String wanted = first(query, name);
            return wanted == null || wanted.equals(value);
        }

        /** {@code sign} 0: on that date; 1: on or after it; -1: on or before it. No start date matches no date filter. */
        private static boolean date(Map<String, List<String>> query, String name, java.time.LocalDate day, int sign) {
            String wanted = first(query, name);
            if (wanted == null) return true;
            if (day == null) return false;
            int c = day.compareTo(java.time.LocalDate.parse(wanted.strip()));
            return sign == 0 ? c == 0 : sign > 0 ? c >= 0 : c <= 0;
        }

        /** Twilio's status callback parameters for {@code step}. */
        Map<String, String> callbackForm(Step step, long sequence) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("AccountSid", settings.accountSid());
            f.put("ApiVersion", "2010-04-01");
            f.put("CallSid", sid);
            f.put("CallStatus", step.status);
            f.put("Called", to);
            f.put("Caller", from);
            f.put("CallbackSource", "call-progress-events");
            f.put("Direction", "outbound-api");
            f.put("From", from);
            f.put("SequenceNumber", Long.toString(sequence));
            f.put("Timestamp", RFC_2822.format(Instant.now().plusMillis(step.atMillis)));
            f.put("To", to);
            if (step.terminal()) {
                long talked = step.status.equals("completed") ? talkSeconds : 0;
                f.put("CallDuration", Long.toString(talked));
                f.put("Duration", Long.toString((talked + 59) / 60));
                f.put("SipResponseCode", switch (step.status) {
                    case "busy" -> "486";
                    case "no-answer" -> "487";
                    case "failed" -> "500";
                    default -> "200";
                });
            }
            return f;
        }

        /** The Call resource as Twilio returns it; the price appears once a completed call is over. */
        synchronized Map<String, Object> resource() {
            Map<String, Object> r = new LinkedHashMap<>();
            String uri = "/2010-04-01/Accounts/" + settings.accountSid() + "/Calls/" + sid;
            r.put("account_sid", settings.accountSid());
            r.put("annotation", null);
            r.put("answered_by", null);
            r.put("api_version", "2010-04-01");
            r.put("caller_name", null);
            r.put("date_created", RFC_2822.format(created));
            r.put("date_updated", RFC_2822.format(endedAt != null ? endedAt : created));
            r.put("direction", "outbound-api");
            r.put("duration", duration == null ? null : duration.toString());
            r.put("end_time", endedAt == null ? null : RFC_2822.format(endedAt));
            r.put("forwarded_from", null);
            r.put("from", from);
            r.put("from_formatted", from);
            r.put("group_sid", null);
            r.put("parent_call_sid", null);
            r.put("phone_number_sid", null);
            r.put("price", endedAt == null ? null : price());
            r.put("price_unit", "USD");
            r.put("sid", sid);
            r.put("start_time", started == null ? null : RFC_2822.format(started));
            r.put("status", status);
            r.put("subresource_uris", Map.of("notifications", uri + "/Notifications.json",
                    "recordings", uri + "/Recordings.json"));
            r.put("to", to);
            r.put("to_formatted", to);
            r.put("trunk_sid", null);
            r.put("uri", uri + ".json");
            r.put("queue_time", "0");
            return r;
        }

        /** What Twilio charges: per started minute of a completed call, as a negative amount. */
        private String price() {
            long minutes = status.equals("completed") ? (duration + 59) / 60 : 0;
            return new java.math.BigDecimal(settings.pricePerMinute()).multiply(java.math.BigDecimal.valueOf(minutes))
                    .setScale(5, java.math.RoundingMode.HALF_UP).negate().toPlainString();
        }
    }

    // ---------------------------------------------------------------- counters

    private void callOutcomes(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, Map.of("calls", callOutcomes()));
        }
    }

    /**
     * How each call created so far stands, as the audit compares it with the host's record: our call id (the
     * {@code callId} of its {@code StatusCallback}, null without one), its SID, status, talk seconds ({@code duration},
     * null until it ends) and the price Twilio reports for it ({@code price}, negative, in {@code price_unit}).
     */
    List<Map<String, Object>> callOutcomes() {
        List<Map<String, Object>> out = new ArrayList<>(calls.size());
        for (SimCall c : calls.values()) {
            Map<String, Object> resource = c.resource();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("callId", c.callId());
            o.put("sid", c.sid);
            o.put("status", resource.get("status"));
            o.put("duration", resource.get("duration"));
            o.put("price", resource.get("price"));
            o.put("price_unit", resource.get("price_unit"));
            out.add(o);
        }
        return out;
    }

    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, stats());
        }
    }

    /**
     * {@code POST /hang-up-all}: every callee hangs up now - an answered call completes with the time talked, one
     * still ringing is canceled - each called back as usual. Ends a run's drain in seconds instead of a talk time.
     */
    private void hangUpAll(HttpExchange exchange) throws IOException {
        try (exchange) {
            long ended = 0;
            for (SimCall c : calls.values()) {
                if (c.hangUp()) ended++;
            }
            byte[] text = Long.toString(ended).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, text.length);
            exchange.getResponseBody().write(text);
        }
    }

    /** Calls in progress and callbacks not yet delivered, as plain text: cheap enough to poll many times a second. */
    private void active(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] text = (active.get() + " " + callbacks.pending.get()).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, text.length);
            exchange.getResponseBody().write(text);
        }
    }

    /** Everything counted so far. */
    Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("creates", creates.get());
        s.put("createsRefused", refused.get());
        s.put("callbackUrls", createsPerCallback.size());
        s.put("maxCreatesPerCallbackUrl", createsPerCallback.values().stream().mapToInt(AtomicInteger::get).max().orElse(0));
        s.put("active", active.get());
        s.put("maxActive", maxActive.get());
        s.put("ended", ended.get());
        s.put("outcomes", new LinkedHashMap<>(outcomes));
        s.put("fetches", fetches.get());
        s.put("lists", lists.get());
        s.put("ends", ends.get());
        s.put("callbacksScheduled", callbacks.scheduled.get());
        s.put("callbacksDelivered", callbacks.delivered.get());
        s.put("callbacksPending", callbacks.pending.get());
        s.put("callbacksRetried", callbacks.retried.get());
        s.put("callbacksAbandoned", callbacks.abandoned.get());
        s.put("callbacksDuplicated", duplicated.get());
        s.put("callbacksReordered", reordered.get());
        List<Long> latency = callbacks.latencyMicros();
        s.put("callbackLatencyP50Micros", latency.get(0));
        s.put("callbackLatencyP99Micros", latency.get(1));
        s.put("callbackLatencyMaxMicros", latency.get(2));
        return s;
    }

    // ---------------------------------------------------------------- HTTP plumbing

    private static Map<String, List<String>> form(HttpExchange exchange) throws IOException {
        return parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Form-encoded pairs (a body or a raw query), each name's values in order. */
    private static Map<String, List<String>> parse(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded == null) return out;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int parseInt(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        body.put("status", status);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Twilio-Request-Id", "RQ" + randomHex());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
