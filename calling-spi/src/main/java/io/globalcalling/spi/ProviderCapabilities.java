package io.globalcalling.spi;

import io.globalcalling.Skill;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a provider can do, as it declares it. The coverage report, pacing and reconciliation read
 * these; core knows no provider's facts of its own.
 *
 * <p>Build it with {@link #builder()}: components are added as the SPI grows, and a provider that
 * uses the builder keeps compiling. Every setting has a default ({@link #none()} is all defaults).
 *
 * @param recording            can record calls
 * @param machineDetection     can detect answering machines
 * @param transcription        can transcribe calls
 * @param ttsLanguages         BCP-47 languages its text-to-speech speaks (empty when it has none)
 * @param agentsBySkill        for human_agent: agents available per skill (an agent may have several skills)
 * @param totalAgents          for human_agent: distinct agents
 * @param simulated            true for providers that place no real call (the sandbox)
 * @param pace                 how fast the account accepts new calls; {@link ProviderPace#UNLIMITED} when undeclared
 * @param reconcileGrace       how long after a create whose outcome is unknown the provider's search may still miss
 *                             the call (its list lags; declare the longest lag, conservatively when undocumented);
 *                             2 minutes by default. Before it has passed, a search that finds nothing proves nothing;
 *                             after it, a complete search that finds nothing ends the call as not placed (its hold
 *                             released), and a call the provider still cannot tell about is reported unresolved.
 *                             One duration serves both because both wait on the same fact: when the provider's own
 *                             record can be trusted to show every call it took
 * @param idempotentPlacement  the provider deduplicates placements by our call id for good, so a placement with
 *                             an unknown outcome may be sent again with the same id (not Amazon Connect: its
 *                             ClientToken deduplicates only while the contact it started is live)
 * @param billingUnits         what its rates charge by, never empty; per minute and per call by default
 * @param maxPayloadBytes      the largest message it sends to a terminal as bytes (a binary payload, or a script
 *                             or JSON it encodes); 0 when it sends none, and then only a binary payload is
 *                             refused for size (it delivers text its own way)
 */
public record ProviderCapabilities(boolean recording, boolean machineDetection, boolean transcription,
                                   Set<String> ttsLanguages, Map<Skill, Integer> agentsBySkill,
                                   int totalAgents, boolean simulated, ProviderPace pace,
                                   Duration reconcileGrace, boolean idempotentPlacement,
                                   Set<BillingUnit> billingUnits, int maxPayloadBytes) {

    /** The grace a provider gets when it declares none. */
    public static final Duration DEFAULT_RECONCILE_GRACE = Duration.ofMinutes(2);

    public ProviderCapabilities {
        ttsLanguages = Set.copyOf(Objects.requireNonNull(ttsLanguages, "ttsLanguages"));
        agentsBySkill = Map.copyOf(Objects.requireNonNull(agentsBySkill, "agentsBySkill"));
        Objects.requireNonNull(pace, "pace");
        Objects.requireNonNull(reconcileGrace, "reconcileGrace");
        billingUnits = Set.copyOf(Objects.requireNonNull(billingUnits, "billingUnits"));
        if (totalAgents < 0) throw new IllegalArgumentException("totalAgents " + totalAgents + " must not be negative");
        if (reconcileGrace.isNegative() || reconcileGrace.isZero()) {
            throw new IllegalArgumentException("reconcileGrace " + reconcileGrace + " must be positive");
        }
        if (billingUnits.isEmpty()) throw new IllegalArgumentException("billingUnits must not be empty");
        if (maxPayloadBytes < 0) {
            throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " must not be negative");
        }
    }

    /** No optional feature, every declared fact at its default. */
    public static ProviderCapabilities none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these capabilities, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link ProviderCapabilities}; every setting has a default. */
    public static final class Builder {
        private boolean recording;
        private boolean machineDetection;
        private boolean transcription;
        private Set<String> ttsLanguages = Set.of();
        private Map<Skill, Integer> agentsBySkill = Map.of();
        private int totalAgents;
        private boolean simulated;
        private ProviderPace pace = ProviderPace.UNLIMITED;
        private Duration reconcileGrace = DEFAULT_RECONCILE_GRACE;
        private boolean idempotentPlacement;
        private Set<BillingUnit> billingUnits = EnumSet.of(BillingUnit.PER_MINUTE, BillingUnit.PER_CALL);
        private int maxPayloadBytes;

        private Builder() {
        }

        private Builder(ProviderCapabilities c) {
            recording = c.recording;
            machineDetection = c.machineDetection;
            transcription = c.transcription;
            ttsLanguages = c.ttsLanguages;
            agentsBySkill = c.agentsBySkill;
            totalAgents = c.totalAgents;
            simulated = c.simulated;
            pace = c.pace;
            reconcileGrace = c.reconcileGrace;
            idempotentPlacement = c.idempotentPlacement;
            billingUnits = c.billingUnits;
            maxPayloadBytes = c.maxPayloadBytes;
        }

        public Builder recording(boolean recording) {
            this.recording = recording;
            return this;
        }

        public Builder machineDetection(boolean machineDetection) {
            this.machineDetection = machineDetection;
            return this;
        }

        public Builder transcription(boolean transcription) {
            this.transcription = transcription;
            return this;
        }

        public Builder ttsLanguages(Set<String> ttsLanguages) {
            this.ttsLanguages = Objects.requireNonNull(ttsLanguages, "ttsLanguages");
            return this;
        }

        /** For human_agent: agents per skill and distinct agents. */
        public Builder agents(Map<Skill, Integer> agentsBySkill, int totalAgents) {
            this.agentsBySkill = Objects.requireNonNull(agentsBySkill, "agentsBySkill");
            this.totalAgents = totalAgents;
            return this;
        }

        public Builder simulated(boolean simulated) {
            this.simulated = simulated;
            return this;
        }

        public Builder pace(ProviderPace pace) {
            this.pace = Objects.requireNonNull(pace, "pace");
            return this;
        }

        public Builder reconcileGrace(Duration reconcileGrace) {
            this.reconcileGrace = Objects.requireNonNull(reconcileGrace, "reconcileGrace");
            return this;
        }

        public Builder idempotentPlacement(boolean idempotentPlacement) {
            this.idempotentPlacement = idempotentPlacement;
            return this;
        }

        public Builder billingUnits(Set<BillingUnit> billingUnits) {
            this.billingUnits = Objects.requireNonNull(billingUnits, "billingUnits");
            return this;
        }

        public Builder maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        public ProviderCapabilities build() {
            return new ProviderCapabilities(recording, machineDetection, transcription, ttsLanguages, agentsBySkill,
                    totalAgents, simulated, pace, reconcileGrace, idempotentPlacement, billingUnits, maxPayloadBytes);
        }
    }
}
