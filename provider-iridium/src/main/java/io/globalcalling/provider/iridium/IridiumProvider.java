package io.globalcalling.provider.iridium;

import io.globalcalling.BinaryPayload;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ConfigurationException;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Priority;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.provider.iridium.internal.DirectIp;
import io.globalcalling.provider.iridium.internal.DirectIpClient;
import io.globalcalling.provider.iridium.internal.DirectIpSendException;
import io.globalcalling.provider.iridium.internal.MoListener;
import io.globalcalling.provider.iridium.internal.MoMessage;
import io.globalcalling.provider.iridium.internal.MtConfirmation;
import io.globalcalling.provider.iridium.internal.MtMessage;
import io.globalcalling.spi.BillingUnit;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Iridium Short Burst Data as a provider: a call to {@code imei:<15 digits>} is one SBD mobile-terminated (MT)
 * message sent over DirectIP, and the MO listener (when {@code iridium.mo-port} is set) takes what terminals send.
 *
 * <p><b>Sending.</b> The message's bytes are the request's binary payload as given, else its JSON payload or its
 * script (as the core filled it in) encoded with {@code iridium.text-charset} (UTF-8 by default; a character the
 * charset cannot encode is refused). At most 1,890 bytes, checked before anything is sent. Each message gets a
 * client message id from 1 to 65535 and the "assign MTMSN" flag, so the gateway uses it as the MTMSN the terminal
 * reports when it receives the message. Emergencies carry the high-priority flag and priority 1; high-priority
 * requests priority 2. The gateway's confirmation decides: a queue position is {@link CallStatus#QUEUED}; a
 * refusal maps as {@link MtStatus} says; no confirmation is {@link ErrorReason#UNAVAILABLE} only when the
 * connection was never made, else {@link ErrorReason#OUTCOME_UNKNOWN}, and the message is never sent again; such a
 * failure names the provider call id the message has should the gateway have queued it (its MTMSN was chosen here),
 * so that the host records it and its terminal's report ends the call, across a restart too.
 *
 * <p><b>Hearing back.</b> Each MO message becomes an inbound message from its terminal: a reply, or a position
 * when it carries a location and no bytes; its location becomes the message's position (CEP radius as accuracy),
 * its time of session the time it was received. When a successful session names the MTMSN of a message sent from
 * here, a delivery confirmation of that call follows, which ends the call as completed so its hold settles. The
 * gateway keeps a message its terminal does not collect for a while ({@code iridium.mt-queue-lifetime}) and then
 * drops it without a word: once a queued message is older than that with no delivery report, {@link #fetch} answers
 * it failed, so the host's reconciliation ends it and releases its hold (an undelivered message is not billed). So
 * does a message whose gateway answer was lost, counted from then: queued or not, it was never delivered. One sent
 * before a restart is counted from when the host recorded its answer (or its lack), which the host tells fetch.
 * DirectIP carries no credential, so with {@code iridium.mo-allowed-sources} set only those source addresses are
 * served; without it, any sender that reaches the port is believed, and start-up warns of it.
 *
 * <p><b>Across restarts.</b> The provider call id is {@code <IMEI>-<MTMSN>}, all an MO message names of the message
 * it confirms, so a confirmation of a message sent before a restart is still matched: it names the call by that
 * id, and the host finds the call it recorded under it. The first MTMSN follows the clock (seconds, modulo 65535),
 * so a restarted provider does not reuse an MTMSN its predecessor gave a message still awaiting delivery, unless
 * that one sent more than a message a second on average since it started, or the message has waited over 18 hours.
 */
public final class IridiumProvider implements CallingProvider {

    /** The provider id. */
    public static final String ID = "iridium";

    private static final Logger log = LoggerFactory.getLogger(IridiumProvider.class);
    private static final int MAX_MTMSN = 0xffff;
    private static final int REMEMBERED = 10_000;
    /** A provider call id as {@link #providerCallId(String, int)} makes it. */
    private static final Pattern PROVIDER_CALL_ID = Pattern.compile("\\d{15}-\\d{1,5}");

    private final IridiumConfig config;
    private final ProviderContext context;
    private final DirectIpClient client;
    private final @Nullable InboundMessageSink inbound;
    private final @Nullable MoListener listener;
    private final List<Rate> rates;
    private final Object lock = new Object();
    /** Messages sent or confirmed since start-up, by provider call id, for {@link #fetch}; the oldest are forgotten. Guarded by {@code lock}. */
    private final Map<String, Sent> sent = bounded();
    /** Messages awaiting delivery, by terminal and MTMSN. Guarded by {@code lock}. */
    private final Map<String, Sent> awaiting = bounded();
    /** The keys of messages whose gateway answer place() still awaits. Guarded by {@code lock}. */
    private final Set<String> answering = new HashSet<>();
    private int lastMtmsn;

    /**
     * A message handed to the gateway; {@code providerCallId} is null while the gateway's answer is awaited,
     * {@code callId} when it was sent before start-up. {@code queuedAt} is when the gateway queued it, or for one whose
     * answer was lost ({@link CallStatus#INITIATED}, its outcome unknown) the latest moment it may have; null while
     * the answer is awaited and once delivered.
     */
    private record Sent(@Nullable String callId, String imei, int mtmsn, @Nullable String providerCallId, CallStatus status,
                        @Nullable Instant queuedAt) {
    }

    /**
     * Creates the provider and, when {@code iridium.mo-port} is set, binds and starts its MO listener on the
     * context's executor (it stops in {@link #close()}).
     *
     * @throws ConfigurationException when the MO port cannot be bound
     */
    public IridiumProvider(IridiumConfig config, ProviderContext context) {
        this(config, context, (int) Math.floorMod(context.clock().instant().getEpochSecond(), (long) MAX_MTMSN) + 1);
    }

    /** @param firstMtmsn the MTMSN of the first message, 1-65535 (from the clock in production, see the class comment) */
    IridiumProvider(IridiumConfig config, ProviderContext context, int firstMtmsn) {
        if (firstMtmsn < 1 || firstMtmsn > MAX_MTMSN) throw new IllegalArgumentException("firstMtmsn " + firstMtmsn + " must be 1-65535");
        this.lastMtmsn = firstMtmsn - 1;
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
        this.client = new DirectIpClient(config.directIpHost(), config.directIpPort(), config.connectTimeout(),
                config.readTimeout());
        this.inbound = inboundSink(context);
        this.rates = List.of(
                Rate.perMessage(CallCategory.SATELLITE, "", config.pricePerMessage(), config.pricePerByte(), config.minimumCharge()),
                Rate.perMessage(CallCategory.SYSTEM_API, "", config.pricePerMessage(), config.pricePerByte(), config.minimumCharge()));
        this.listener = config.moPort().isPresent() ? startListener(config.moPort().getAsInt()) : null;
    }

    private static @Nullable InboundMessageSink inboundSink(ProviderContext context) {
        try {
            return context.inbound();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private MoListener startListener(int port) {
        if (inbound == null) {
            log.warn("iridium: this host takes no inbound messages; MO messages are confirmed but only delivery "
                    + "confirmations are kept, as call events");
        }
        try {
            MoListener l = new MoListener(config.moBindAddress(), port, config.moReadTimeout(), config.moMaxConnections(),
                    config::moAllowsSource, this::receive);
            l.start(context.executor());
            if (config.moAllowedSources().isEmpty()) {
                log.warn("iridium: the DirectIP MO listener on port {} accepts connections from any address, and "
                        + "DirectIP carries no credential: anyone who reaches the port can forge replies and delivery "
                        + "confirmations. Set iridium.mo-allowed-sources to Iridium's gateway addresses", l.port());
            } else {
                log.info("iridium: DirectIP MO listener on port {}, serving only {}", l.port(), config.moAllowedSources());
            }
            return l;
        } catch (IOException e) {
            throw new ConfigurationException("Iridium configuration",
                    List.of("iridium.mo-port " + port + " cannot be listened on: " + e.getMessage()));
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<CallCategory> categories() {
        return EnumSet.of(CallCategory.SATELLITE, CallCategory.SYSTEM_API);
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.builder().billingUnits(EnumSet.of(BillingUnit.PER_MESSAGE, BillingUnit.PER_BYTE))
                .maxPayloadBytes(DirectIp.MAX_MT_PAYLOAD).build();
    }

    /** Iridium's satellites reach every point of the globe, oceans and poles included. */
    @Override
    public ProviderCoverage coverage() {
        return ProviderCoverage.globalCoverage(Set.of());
    }

    /** Terminals by IMEI only. */
    @Override
    public boolean covers(Endpoint endpoint) {
        return endpoint instanceof SatelliteTerminal;
    }

    @Override
    public List<Rate> rates() {
        return rates;
    }

    /** The port the MO listener took (useful with {@code iridium.mo-port=0}), or empty when there is none. */
    public Optional<Integer> moPort() {
        return listener == null ? Optional.empty() : Optional.of(listener.port());
    }

    // ---------------------------------------------------------------- sending

    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        if (!(call.to() instanceof SatelliteTerminal terminal)) {
            throw refusal(ErrorReason.INVALID_DESTINATION, "to '" + PhoneNumber.mask(call.to().value())
                    + "' is not a satellite terminal (imei:<15 digits>)");
        }
        if (!categories().contains(call.category())) {
            throw refusal(ErrorReason.INVALID_REQUEST, "category " + call.category().wireName() + " is not served; "
                    + "expected satellite or system_api");
        }
        BinaryPayload payload = payloadOf(call);
        if (payload.isEmpty()) {   // a header alone would be queued and billed, and deliver nothing
            throw refusal(ErrorReason.INVALID_REQUEST, "nothing to send to terminal " + masked(terminal.imei())
                    + ": the payload is empty");
        }
        if (payload.size() > DirectIp.MAX_MT_PAYLOAD) {
            throw refusal(ErrorReason.INVALID_REQUEST, "payload of " + payload.size() + " bytes exceeds Iridium's MT "
                    + "maximum of " + DirectIp.MAX_MT_PAYLOAD + " bytes");
        }
        Sent pending = reserve(call.callId(), terminal.imei());
        try {
            return send(call, terminal, payload, pending);
        } finally {
            answered(pending);
        }
    }

    private PlacedCall send(OutboundCall call, SatelliteTerminal terminal, BinaryPayload payload, Sent pending) {
        MtMessage message = new MtMessage(pending.mtmsn(), terminal.imei(), flagsOf(call.request()), payload,
                priorityOf(call.request()));
        MtConfirmation confirmation;
        try {
            confirmation = client.send(message);
        } catch (DirectIpSendException e) {
            if (e.sent()) mayBeQueued(pending);
            else forget(pending);
            // when sent, the reservation stays: a terminal reporting this MTMSN confirms the call it belongs to
            throw ProviderException.builder(ID, e.sent() ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.UNAVAILABLE,
                    e.getMessage() + (e.sent() ? "; the message (MTMSN " + pending.mtmsn() + ") may be queued and is "
                            + "not sent again" : "")).cause(e)
                    .providerCallId(e.sent() ? providerCallId(terminal.imei(), pending.mtmsn()) : null).build();
        }
        if (!confirmation.accepted()) {
            ProviderException refused = refusalOf(confirmation.status(), providerCallId(terminal.imei(), pending.mtmsn()));
            // a status DirectIP does not define leaves the outcome unknown: the reservation stays, as above
            if (refused.reason() == ErrorReason.OUTCOME_UNKNOWN) mayBeQueued(pending);
            else forget(pending);
            throw refused;
        }
        String providerCallId = providerCallId(terminal.imei(), pending.mtmsn());
        log.debug("iridium: {} queued by the gateway as auto id {}", masked(providerCallId), confirmation.autoIdReference());
        Sent queued = new Sent(call.callId(), terminal.imei(), pending.mtmsn(), providerCallId, CallStatus.QUEUED,
                context.clock().instant());
        synchronized (lock) {
            // a fast terminal may have confirmed it already (confirmDelivery took the reservation): it stays delivered
            if (awaiting.replace(key(terminal.imei(), pending.mtmsn()), pending, queued)) sent.put(providerCallId, queued);
        }
        return PlacedCall.of(providerCallId, CallStatus.QUEUED);
    }

    /** The bytes to send: the binary payload as given, else the JSON payload or the script as text. */
    private BinaryPayload payloadOf(OutboundCall call) {
        CallRequest r = call.request();
        Optional<BinaryPayload> bytes = call.binaryPayload();
        if (bytes.isPresent()) return bytes.get();
        if (r.payload() != null) return encode(r.payload(), "payload");
        String text = call.spokenText() != null ? call.spokenText() : r.script();
        if (text != null) return encode(text, "script");
        throw refusal(ErrorReason.INVALID_REQUEST, "nothing to send to terminal " + masked(r.to().value())
                + ": give a payload (bytes or JSON) or a script");
    }

    private BinaryPayload encode(String text, String field) {
        try {
            ByteBuffer b = config.textCharset().newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return BinaryPayload.of(bytes);
        } catch (CharacterCodingException e) {
            throw refusal(ErrorReason.INVALID_REQUEST, field + " holds characters " + config.textCharset().name()
                    + " cannot encode (iridium.text-charset)");
        }
    }

    private static int flagsOf(CallRequest r) {
        return MtMessage.ASSIGN_MTMSN | (r.isEmergency() ? MtMessage.HIGH_PRIORITY : 0);
    }

    /** Priority IE: 1 for emergencies, 2 for high priority, none (the gateway's default, 5) otherwise. */
    private static int priorityOf(CallRequest r) {
        if (r.isEmergency()) return 1;
        return r.priority() == Priority.HIGH ? 2 : 0;
    }

    /** Takes the next MTMSN not awaiting delivery to this terminal (a terminal queues at most 50). */
    private Sent reserve(String callId, String imei) {
        synchronized (lock) {
            for (int tries = 0; tries < MAX_MTMSN; tries++) {
                lastMtmsn = lastMtmsn % MAX_MTMSN + 1;
                String key = key(imei, lastMtmsn);
                if (!awaiting.containsKey(key)) {
                    Sent pending = new Sent(callId, imei, lastMtmsn, null, CallStatus.INITIATED, null);
                    awaiting.put(key, pending);
                    answering.add(key);
                    return pending;
                }
            }
        }
        throw refusal(ErrorReason.RATE_LIMITED, "every MTMSN of terminal " + masked(imei) + " awaits delivery");
    }

    /** The gateway's answer to this message is in (or will never come): a delivery report of it may go on. */
    private void answered(Sent pending) {
        synchronized (lock) {
            answering.remove(key(pending.imei(), pending.mtmsn()));
            lock.notifyAll();
        }
    }

    /**
     * The gateway's answer to this message was lost: it may be queued as of now, so {@link #fetch} tells of it once the
     * gateway would have dropped it, unless its terminal reported it meanwhile.
     */
    private void mayBeQueued(Sent pending) {
        String providerCallId = providerCallId(pending.imei(), pending.mtmsn());
        Sent unknown = new Sent(pending.callId(), pending.imei(), pending.mtmsn(), providerCallId, CallStatus.INITIATED,
                context.clock().instant());
        synchronized (lock) {
            // only while the reservation is still this message's (a delivery report may have taken it)
            if (awaiting.replace(key(pending.imei(), pending.mtmsn()), pending, unknown)) sent.put(providerCallId, unknown);
        }
    }

    private void forget(Sent pending) {
        synchronized (lock) {
            awaiting.remove(key(pending.imei(), pending.mtmsn()), pending);
        }
    }

    /** What an MO message confirming this message names of it, so the match survives a restart. */
    private static String providerCallId(String imei, int mtmsn) {
        return imei + "-" + mtmsn;
    }

    private static String key(String imei, int mtmsn) {
        return imei + "/" + mtmsn;
    }

    /** {@code text} (an IMEI, or an id or key that holds one) with the IMEI masked as phone numbers are. */
    private static String masked(String text) {
        return PhoneNumber.maskNumbersIn(text);
    }

    /** @param providerCallId the message's id should it be queued, named when the outcome is unknown */
    private static ProviderException refusalOf(int status, String providerCallId) {
        Optional<MtStatus> known = MtStatus.of(status);
        if (known.isEmpty()) {
            boolean unknown = status > 0;
            return ProviderException.builder(ID, unknown ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.REJECTED,
                    "the gateway answered MT status " + status + ", which DirectIP does not define")
                    .providerErrorCode(Integer.toString(status)).providerCallId(unknown ? providerCallId : null).build();
        }
        MtStatus s = known.get();
        return ProviderException.builder(ID, s.reason(), "the gateway refused the message: " + s.meaning()
                + " (MT status " + status + ")").providerErrorCode(Integer.toString(status)).build();
    }

    private static ProviderException refusal(ErrorReason reason, String message) {
        return ProviderException.of(ID, reason, message);
    }

    // ---------------------------------------------------------------- hearing back

    /** Takes one MO message from the listener; false when it could not be kept (the gateway then sends it again). */
    boolean receive(MoMessage mo) {
        SatelliteTerminal from = new SatelliteTerminal(mo.imei());
        boolean located = mo.location() != null;
        InboundMessage.Kind kind = mo.payload().isEmpty() && located ? InboundMessage.Kind.POSITION : InboundMessage.Kind.REPLY;
        InboundMessage.Builder message = InboundMessage.builder(ID, from, kind).receivedAt(mo.timeOfSession())
                .payload(mo.payload())
                .providerMessageId("mo-" + mo.imei() + "-" + mo.momsn() + "-" + mo.cdrReference())
                .detail("cdr_reference", Long.toString(mo.cdrReference()))
                .detail("session_status", Integer.toString(mo.sessionStatus()))
                .detail("momsn", Integer.toString(mo.momsn()))
                .detail("mtmsn", Integer.toString(mo.mtmsn()));
        decodeText(mo.payload()).ifPresent(message::text);
        mo.locationIfAny().ifPresent(l -> message.position(GeoPoint.of(l.latitude(), l.longitude()), l.accuracyMeters()));
        if (inbound != null) inbound.accept(message.build());
        if (mo.mtmsn() != 0 && mo.sessionSucceeded()) confirmDelivery(mo, from);
        return true;
    }

    private Optional<String> decodeText(BinaryPayload payload) {
        if (payload.isEmpty()) return Optional.empty();
        try {
            return Optional.of(config.textCharset().newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload.asReadOnlyBuffer()).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty(); // binary data
        }
    }

    /**
     * The terminal received the MT message with this MTMSN: its call is delivered. One sent before start-up is
     * named by its provider call id alone, under which the host recorded it.
     */
    private void confirmDelivery(MoMessage mo, SatelliteTerminal from) {
        String key = key(mo.imei(), mo.mtmsn());
        String providerCallId = providerCallId(mo.imei(), mo.mtmsn());
        Sent found;
        synchronized (lock) {
            awaitGatewayAnswer(key);
            found = awaiting.get(key);
        }
        if (found == null) {
            log.debug("iridium: MTMSN {} reported by a terminal matches no message sent since start-up; "
                    + "confirming {} by its provider call id", mo.mtmsn(), masked(providerCallId));
        }
        // Named by its provider call id too, whether place() has returned or not (a fast terminal confirms before
        // the gateway's answer reaches the caller) or its outcome was unknown: the host records the id with the end.
        Sent delivered = new Sent(found != null ? found.callId() : null, mo.imei(), mo.mtmsn(), providerCallId,
                CallStatus.COMPLETED, null);
        tellDelivered(mo, from, delivered);
        // only once the host has it: when it fails, the gateway delivers the MO message again, which must still
        // find the call. The entry may have changed meanwhile (place() returned): whichever it is, it is delivered.
        synchronized (lock) {
            Sent now = awaiting.get(key);
            if (found != null && now != null && Objects.equals(now.callId(), found.callId())) awaiting.remove(key);
            sent.put(providerCallId, delivered);
        }
    }

    /**
     * Waits, under {@code lock}, while place() awaits the gateway's answer to the message with this key: a report of
     * its MTMSN before then may be forged or stale, and a message the gateway then refuses was never delivered, so
     * its call must fail rather than complete. Bounded by the send's own timeouts; past them the MO message is
     * refused (the gateway delivers it again).
     */
    private void awaitGatewayAnswer(String key) {
        long deadline = System.nanoTime() + config.connectTimeout().plus(config.readTimeout()).plusSeconds(1).toNanos();
        try {
            while (answering.contains(key)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("iridium: the gateway's answer to message " + masked(key)
                        + " did not come in time to match its delivery report");
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("iridium: interrupted awaiting the gateway's answer to " + masked(key), e);
        }
    }

    private void tellDelivered(MoMessage mo, SatelliteTerminal from, Sent delivered) {
        Instant at = mo.timeOfSession();
        if (inbound != null) {
            inbound.accept(InboundMessage.builder(ID, from, InboundMessage.Kind.DELIVERY_CONFIRMATION).receivedAt(at)
                    .callId(delivered.callId()).providerCallId(delivered.providerCallId())
                    .providerMessageId("mt-delivered-" + mo.imei() + "-" + mo.mtmsn() + "-" + mo.cdrReference())
                    .detail("mtmsn", Integer.toString(mo.mtmsn())).build());
        } else {
            // an older host: the terminal status alone, through the event sink
            context.events().accept(CallEvent.status(ID, delivered.providerCallId(), delivered.callId(),
                    CallStatus.COMPLETED, at));
        }
    }

    // ---------------------------------------------------------------- the rest of the SPI

    /**
     * What this provider knows of a message: queued when sent since start-up, completed once a terminal confirmed it
     * (also one sent before start-up), failed once it has been queued longer than the gateway keeps a message its
     * terminal does not collect ({@code iridium.mt-queue-lifetime}) without a delivery report: the gateway dropped
     * it undelivered, and its MTMSN is free again. A message whose gateway answer was lost is counted as queued when
     * the answer was lost: empty until then (queued or not is unknown), failed after (never delivered either way).
     * Empty when it knows nothing of it.
     */
    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        Instant now = context.clock().instant();
        Sent s;
        synchronized (lock) {
            s = sent.get(providerCallId);
            if (s != null && isDropped(s, now)) {
                awaiting.remove(key(s.imei(), s.mtmsn()), s);
                s = new Sent(s.callId(), s.imei(), s.mtmsn(), providerCallId, CallStatus.FAILED, s.queuedAt());
                sent.put(providerCallId, s);
            }
        }
        if (s == null || s.status() == CallStatus.INITIATED) return Optional.empty();
        if (s.status() != CallStatus.FAILED) return Optional.of(CallEvent.status(ID, providerCallId, s.callId(), s.status(), now));
        return Optional.of(dropped(providerCallId, s.callId(), s.queuedAt()));
    }

    /**
     * {@link #fetch(String)}; and a message this provider knows nothing of (sent before start-up, and reported by no
     * terminal since) failed once {@code iridium.mt-queue-lifetime} has passed since {@code sentUntil}: queued then at
     * the latest, the gateway has dropped it undelivered since, if it ever queued it.
     */
    @Override
    public Optional<CallEvent> fetch(String providerCallId, Instant sentUntil) {
        Objects.requireNonNull(sentUntil, "sentUntil");
        synchronized (lock) {
            if (sent.containsKey(providerCallId)) return fetch(providerCallId);
        }
        if (!PROVIDER_CALL_ID.matcher(providerCallId).matches()
                || !context.clock().instant().isAfter(sentUntil.plus(config.mtQueueLifetime()))) {
            return Optional.empty();
        }
        return Optional.of(dropped(providerCallId, null, sentUntil));
    }

    /** The end of a message its terminal did not collect before the gateway dropped it (or which it never queued). */
    private CallEvent dropped(String providerCallId, @Nullable String callId, Instant queuedAt) {
        return CallEvent.builder(ID, queuedAt.plus(config.mtQueueLifetime())).providerCallId(providerCallId)
                .callId(callId).status(CallStatus.FAILED)
                .details(Map.of("reason", "not delivered: its terminal did not collect it within "
                        + config.mtQueueLifetime() + " of its queueing (or of its sending, when the gateway's answer "
                        + "was lost), when the gateway drops it (iridium.mt-queue-lifetime)"))
                .build();
    }

    /**
     * Whether the gateway has dropped this message undelivered (or never queued it): queued or perhaps queued,
     * unreported, and kept no longer.
     */
    private boolean isDropped(Sent s, Instant now) {
        return (s.status() == CallStatus.QUEUED || s.status() == CallStatus.INITIATED) && s.queuedAt() != null
                && now.isAfter(s.queuedAt().plus(config.mtQueueLifetime()));
    }

    /**
     * An SBD message cannot be recalled: DirectIP can only flush a terminal's whole queue, which would drop other
     * calls' messages too.
     *
     * @throws ProviderException always, {@link ErrorReason#REJECTED}
     */
    @Override
    public void hangUp(String providerCallId) {
        throw refusal(ErrorReason.REJECTED, "an SBD message cannot be recalled once queued (" + masked(providerCallId) + ")");
    }

    /** Iridium reaches us over DirectIP, never by webhook. */
    @Override
    public WebhookHandler webhooks() {
        return WebhookHandler.none(ID);
    }

    /** Stops the MO listener; idempotent. */
    @Override
    public void close() {
        if (listener != null) listener.close();
    }

    /** A map that forgets its oldest entries past {@value #REMEMBERED}; used under {@code lock} only. */
    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }

    @Override
    public String toString() {
        return "IridiumProvider[" + config + "]";
    }
}
