package io.globalcalling.testkit;

import io.globalcalling.Skill;
import io.globalcalling.spi.ProviderCapabilities;

import java.util.Map;
import java.util.Set;

/** The contract, idempotent placement included, for a fake that deduplicates by our call id. */
class IdempotentFakeCallProviderContractTest extends FakeCallProviderContractTest {

    @Override
    FakeCallProvider.Builder configure(FakeCallProvider.Builder builder) {
        return builder.capabilities(ProviderCapabilities.builder().ttsLanguages(Set.of("en-US"))
                .agents(Map.of(Skill.GENERAL, 1), 1).idempotentPlacement(true).build());
    }
}
