package io.globalcalling.examples.invariants;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.examples.invariants.DirectIpGateway.Received;
import io.globalcalling.examples.invariants.IridiumHistory.Reply;
import io.globalcalling.examples.invariants.IridiumHistory.Send;
import io.globalcalling.examples.invariants.IridiumHistory.Session;
import io.globalcalling.provider.iridium.IridiumConfig;
import io.globalcalling.provider.iridium.IridiumProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link IridiumHistory} through a real manager and the real Iridium adapter, discovered from configuration:
 * its MT messages go over TCP to a {@link DirectIpGateway} on loopback that answers as the history says, and the
 * terminals' MO messages (delivery reports by MTMSN, replies, positions) reach the adapter's DirectIP MO listener
 * over TCP, as the gateway delivers them, byte for byte as Iridium's guide lays them out; one answered "not kept"
 * (its settlement failed, the ledger down) is delivered again at the next pass or at the end. A restart closes the
 * manager and starts a new one (a new provider, a new listener) on the same store, ledger and clock. Beyond
 * {@link MoneyInvariants}: no call's message reaches the gateway twice, nor is sent with the MTMSN of another
 * message still awaiting delivery to its terminal, and every MO message is confirmed and kept once.
 */
final class IridiumModel {

    static final List<String> IMEIS = List.of("300234010753370", "300434063954480", "300534061111110");
    /** What the MO listener answers when it kept a message: revision 1, length 4, IE 0x05 of 1 byte, success. */
    private static final byte[] MO_CONFIRMED = HexFormat.of().parseHex("01000405000101");

    private final DirectIpGateway gateway;

    IridiumModel(DirectIpGateway gateway) {
        this.gateway = gateway;
    }

    Map<String, String> config(int moPort) {
        return Map.of(
                "iridium.directip-host", "127.0.0.1",
                "iridium.directip-port", Integer.toString(gateway.port()),
                "iridium.connect-timeout", "2s",
                "iridium.read-timeout", "500ms",
                "iridium.mo-port", Integer.toString(moPort),
                "iridium.mo-bind-address", "127.0.0.1",
                "iridium.mo-allowed-sources", "127.0.0.1",
                "iridium.mo-read-timeout", "5s",
                "sandbox.enabled", "false");
    }

    void run(IridiumHistory history) {
        int moPort = freePort();
        try (TestProviderContext context = TestProviderContext.create();
             MoneyInvariants run = new MoneyInvariants(config(moPort), Duration.ofMinutes(30))) {
            List<Rate> deck = new IridiumProvider(IridiumConfig.from(ProviderConfig.of(config(0))), context).rates();
            new Run(history, run, RateDeck.of(deck), moPort).execute();
        }
    }

    /** One message of the history: what the gateway and its terminal made of it, and its call in the manager. */
    private static final class Message {
        final Send spec;
        final int index;
        final String imei;
        final byte[] bytes;
        final int placedIn;
        String callId;
        /** The MTMSN it was sent with; null when it never reached the gateway. */
        Long mtmsn;
        /** The host's run in which its terminal first reported it delivered; 0 while it has not. */
        int deliveredIn;
        /** The MO message that reported it delivered, delivered again as it was. */
        byte[] delivery;

        Message(Send spec, int index, byte[] bytes, int placedIn) {
            this.spec = spec;
            this.index = index;
            this.imei = IMEIS.get(spec.terminal());
            this.bytes = bytes;
            this.placedIn = placedIn;
        }
    }

    private final class Run {
        final IridiumHistory history;
        final MoneyInvariants run;
        final RateDeck deck;
        final List<Message> messages = new ArrayList<>();
        /** Each terminal's MO messages sent so far, by what they are ("reply 2", "session 5 LINK_LOST"). */
        final Map<String, byte[]> moSent = new HashMap<>();
        final Map<String, Integer> momsn = new HashMap<>();
        /** MO messages answered "not kept" (the ledger was down), which the gateway delivers again. */
        final List<byte[]> toRedeliver = new ArrayList<>();
        int moPort;
        int instance = 1;
        /** Messages the gateway got before this history (it serves every history of a run), then those this one sent. */
        final int before = gateway.received().size();
        int reachedGateway;
        long cdr = 9_000;
        int stepIndex = -1;

        Run(IridiumHistory history, MoneyInvariants run, RateDeck deck, int moPort) {
            this.history = history;
            this.run = run;
            this.deck = deck;
            this.moPort = moPort;
        }

        void execute() {
            for (IridiumHistory.Step step : history.steps()) {
                stepIndex++;
                run.step("step " + stepIndex + " (" + step + ")");
                if (step instanceof Send s) {
                    send(s);
                } else if (step instanceof Session s) {
                    session(s);
                } else if (step instanceof Reply r) {
                    reply(r);
                } else if (step instanceof IridiumHistory.LedgerDown d) {
                    run.ledger().downForSettles(d.settles());
                } else if (step instanceof IridiumHistory.Reconcile r) {
                    run.clock().advance(Duration.ofSeconds(r.seconds()));
                    redeliver();
                    reconcile();
                } else if (step instanceof IridiumHistory.Restart) {
                    moPort = freePort();
                    run.restart(Map.of("iridium.mo-port", Integer.toString(moPort)));
                    instance++;
                }
                checkAfterStep();
            }
            // past the call timeout: a pass flags every call not ended and asks about it; past the grace, another
            // reports what is still unknown
            run.step("the end (the ledger up, the gateway's redeliveries, an hour on, then three reconciliation passes)");
            run.ledger().up();
            redeliver();
            run.clock().advance(Duration.ofHours(1));
            run.manager().reconcile();
            run.clock().advance(Duration.ofMinutes(10));
            run.manager().reconcile();
            run.manager().reconcile();
            checkAfterStep();
            checkAtEnd();
        }

        void send(Send s) {
            int index = messages.size();
            run.clock().advance(Duration.ofSeconds(1));   // at most a message a second, as the adapter's MTMSNs assume
            byte[] bytes = s.binary() ? binary(index, s.size()) : script(index, s.size()).getBytes(StandardCharsets.UTF_8);
            Message m = new Message(s, index, bytes, instance);
            gateway.next(s.answer(), s.status());
            int already = gateway.received().size();
            CallRequest.Builder request = CallRequest.to("imei:" + m.imei).category(CallCategory.SATELLITE)
                    .customerId(MoneyInvariants.CUSTOMER);
            if (s.binary()) request.payload(bytes);
            else request.script(script(index, s.size()));
            String heldBefore = run.ledger().lastReserved();
            try {
                m.callId = run.manager().call(request.build()).callId();
            } catch (CallFailedException e) {
                m.callId = e.callId();
            } catch (RuntimeException e) {
                // a refusal whose hold the ledger failed to release: the call is recorded, and its hold names it
                if (!run.ledger().threw(e)) throw e;
                m.callId = run.ledger().lastReserved();
                if (m.callId == null || m.callId.equals(heldBefore)) throw e;
            }
            messages.add(m);
            run.expectCall(m.callId);
            List<Received> received = gateway.received();
            if (received.size() > already) {
                Received r = received.get(received.size() - 1);
                m.mtmsn = r.clientMessageId();
                if (!r.imei().equals(m.imei) || !Arrays.equals(r.payload(), bytes)) {
                    run.fail("the terminal is sent the call's bytes", "message " + index + " reached the gateway for "
                            + r.imei() + " with " + r.payload().length + " bytes, expected " + m.imei + " with "
                            + bytes.length);
                }
                if ((r.flags() & 0x0020) == 0 || m.mtmsn < 1 || m.mtmsn > 0xffff) {
                    run.fail("each message is sent with an MTMSN the terminal reports back", "message " + index
                            + " was sent with flags " + r.flags() + " and client message id " + m.mtmsn);
                }
                for (Message other : messages) {
                    if (other != m && awaitingDelivery(other) && other.imei.equals(m.imei) && m.mtmsn.equals(other.mtmsn)) {
                        run.fail("an MTMSN is never given to two messages awaiting delivery to one terminal", "messages "
                                + other.index + " and " + index + " both went to " + m.imei + " as MTMSN " + m.mtmsn);
                    }
                }
                reachedGateway++;
            }
        }

        /** Whether the gateway may hold the message for its terminal still, as far as the adapter can know. */
        boolean awaitingDelivery(Message m) {
            return m.mtmsn != null && m.deliveredIn == 0 && (m.spec.queued() || !m.spec.outcomeKnown());
        }

        void session(Session s) {
            if (messages.isEmpty()) return;
            Message m = messages.get(s.message() % messages.size());
            if (m.delivery != null) {
                deliverMo(m.delivery, "the delivery of message " + m.index + ", again");
                return;
            }
            boolean queued = m.spec.queued();
            int mtmsn = queued ? m.mtmsn.intValue() : 0;
            byte[] mo = mo(m.imei, s.status().wire, mtmsn, new byte[0], s.status() == IridiumHistory.SessionStatus.OK_BAD_LOCATION);
            deliverMo(mo, "session " + s + " of message " + m.index);
            if (queued && s.status().delivers()) {
                m.delivery = mo;
                m.deliveredIn = instance;
            }
        }

        void reply(Reply r) {
            String imei = IMEIS.get(r.terminal());
            String key = imei + " reply " + r.n();
            byte[] mo = moSent.get(key);
            if (mo == null) {
                mo = mo(imei, 0, 0, ("ack " + r.n() + " from " + r.terminal()).getBytes(StandardCharsets.US_ASCII), r.located());
                moSent.put(key, mo);
            }
            deliverMo(mo, key);
        }

        /**
         * An MO message: the header IE (0x01, 28 bytes: CDR reference, IMEI, session status, MOMSN, MTMSN, time of
         * session), the payload IE (0x02) when there are bytes, and the location IE (0x03, 11 bytes) when located.
         */
        byte[] mo(String imei, int sessionStatus, int mtmsn, byte[] payload, boolean located) {
            int sequence = momsn.merge(imei, 1, Integer::sum);
            ByteBuffer b = ByteBuffer.allocate(3 + 31 + (payload.length > 0 ? 3 + payload.length : 0) + (located ? 14 : 0));
            b.put((byte) 1).putShort((short) (b.capacity() - 3));
            b.put((byte) 0x01).putShort((short) 28).putInt((int) cdr++).put(imei.getBytes(StandardCharsets.US_ASCII))
                    .put((byte) sessionStatus).putShort((short) sequence).putShort((short) mtmsn)
                    .putInt((int) run.clock().instant().getEpochSecond());
            if (payload.length > 0) b.put((byte) 0x02).putShort((short) payload.length).put(payload);
            // 70° 30.000' N, 8° 15.500' W, CEP 3 km: the west flag (0x01), latitude 70 and 30000, longitude 8 and 15500
            if (located) b.put((byte) 0x03).putShort((short) 11).put((byte) 0x01).put((byte) 70).putShort((short) 30_000)
                    .put((byte) 8).putShort((short) 15_500).putInt(3);
            return b.array();
        }

        /** A pass, which stops at a settle the ledger failed (the call stays flagged for the next one). */
        void reconcile() {
            try {
                run.manager().reconcile();
            } catch (RuntimeException e) {
                if (!run.ledger().threw(e)) throw e;
            }
        }

        /** The gateway delivers again what was answered "not kept", while the ledger lets it. */
        void redeliver() {
            List<byte[]> again = List.copyOf(toRedeliver);
            toRedeliver.clear();
            for (byte[] mo : again) deliverMo(mo, "an MO message delivered again");
        }

        void deliverMo(byte[] mo, String what) {
            int failures = run.ledger().failures();
            byte[] answer;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), moPort)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(mo);
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                answer = in.readNBytes(MO_CONFIRMED.length);
            } catch (IOException e) {
                throw new UncheckedIOException("delivering " + what + " to the MO listener", e);
            }
            if (!Arrays.equals(answer, MO_CONFIRMED) && run.ledger().failures() > failures) {
                toRedeliver.add(mo);   // the ledger failed its settlement: "not kept", as it should
            } else if (!Arrays.equals(answer, MO_CONFIRMED)) {
                run.fail("the MO listener confirms each well-formed MO message it kept", what + " was answered "
                        + HexFormat.of().formatHex(answer));
            }
        }

        void checkAfterStep() {
            run.checkAfterStep();
            if (gateway.received().size() - before != reachedGateway) {
                run.fail("a message whose bytes may have left is never sent again (DirectIP does not deduplicate)",
                        "the gateway received " + (gateway.received().size() - before) + " messages for " + reachedGateway
                                + " sends that reached it");
            }
        }

        void checkAtEnd() {
            Map<String, MoneyInvariants.Expected> expected = new HashMap<>();
            for (Message m : messages) {
                expected.put(m.callId, expectation(m));
                Statistics.label("messages").collect(m.spec.answer(), m.spec.outcomeKnown() ? "known" : "unknown",
                        m.deliveredIn == 0 ? "undelivered" : m.deliveredIn == m.placedIn ? "delivered" : "delivered after a restart");
            }
            run.checkAtEnd(expected);
            checkInbound();
        }

        /** What the record must say once everything the terminals reported has been delivered and reconciled. */
        MoneyInvariants.Expected expectation(Message m) {
            Send s = m.spec;
            if (s.outcomeKnown() && !s.queued()) return MoneyInvariants.Expected.notTaken();
            boolean restarted = instance != m.placedIn;
            if (s.outcomeKnown()) {
                // queued: its report ends it whenever it comes; a provider restarted since knows nothing of it
                if (m.deliveredIn != 0) return MoneyInvariants.Expected.ended(CallStatus.COMPLETED, cost(m));
                return restarted ? MoneyInvariants.Expected.unresolved() : MoneyInvariants.Expected.live();
            }
            // outcome unknown: the failure named the message's provider call id (its MTMSN was chosen before sending),
            // which the host recorded, so its terminal's report ends it whenever it comes, across restarts too
            if (m.deliveredIn != 0) return MoneyInvariants.Expected.ended(CallStatus.COMPLETED, cost(m));
            return MoneyInvariants.Expected.unresolved();
        }

        Money cost(Message m) {
            Rate rate = deck.find(CallCategory.SATELLITE, Endpoint.parse("imei:" + m.imei)).orElseThrow();
            return FxTable.defaults().toReporting(rate.priceFor(Duration.ZERO, m.bytes.length)).rounded();
        }

        /** Every MO message is kept once, whatever the redeliveries and restarts; each delivery confirms its call once. */
        void checkInbound() {
            for (String imei : IMEIS) {
                List<InboundMessage> kept = run.store().findInbound("imei:" + imei, 1_000);
                long fromTerminal = kept.stream().filter(i -> i.kind() != InboundMessage.Kind.DELIVERY_CONFIRMATION).count();
                int sent = momsn.getOrDefault(imei, 0);
                if (fromTerminal != sent) {
                    run.fail("every MO message is kept once", imei + " sent " + sent + " MO messages, " + fromTerminal
                            + " were kept");
                }
            }
            for (Message m : messages) {
                long confirmations = run.store().findInboundForCall(m.callId).stream()
                        .filter(i -> i.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION).count();
                CallRecord r = run.record(m.callId);
                boolean matched = m.deliveredIn != 0;
                if (confirmations != (matched ? 1 : 0)) {
                    run.fail("a delivery report confirms its call once", "message " + m.index + " (" + r.status()
                            + ") has " + confirmations + " delivery confirmations");
                }
            }
        }
    }

    /** A binary payload whose first bytes name the message. */
    static byte[] binary(int index, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte) (index * 31 + i);
        return bytes;
    }

    /** A script of about {@code size} characters, some of them two bytes in UTF-8. */
    static String script(int index, int size) {
        String text = "msg " + index + ": ice ahead at 72°N, 8°W; hold position. ".repeat(1 + size / 40);
        return text.substring(0, Math.max(8, Math.min(size, text.length()))).strip();
    }

    /** A port for the MO listener to bind: one the OS just gave out and took back. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
