package io.globalcalling.spi;

import io.globalcalling.Skill;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a provider can do, as it declares it. The coverage report is computed from these.
 *
 * @param recording         can record calls
 * @param machineDetection  can detect answering machines
 * @param transcription     can transcribe calls
 * @param ttsLanguages      BCP-47 languages its text-to-speech speaks (empty when it has none)
 * @param agentsBySkill     for human_agent: agents available per skill (an agent may have several skills)
 * @param totalAgents       for human_agent: distinct agents
 * @param simulated         true for providers that place no real call (the sandbox)
 */
public record ProviderCapabilities(boolean recording, boolean machineDetection, boolean transcription,
                                   Set<String> ttsLanguages, Map<Skill, Integer> agentsBySkill,
                                   int totalAgents, boolean simulated) {

    public ProviderCapabilities {
        ttsLanguages = Set.copyOf(Objects.requireNonNull(ttsLanguages, "ttsLanguages"));
        agentsBySkill = Map.copyOf(Objects.requireNonNull(agentsBySkill, "agentsBySkill"));
        if (totalAgents < 0) throw new IllegalArgumentException("totalAgents " + totalAgents + " must not be negative");
    }

    public static ProviderCapabilities none() {
        return new ProviderCapabilities(false, false, false, Set.of(), Map.of(), 0, false);
    }
}
