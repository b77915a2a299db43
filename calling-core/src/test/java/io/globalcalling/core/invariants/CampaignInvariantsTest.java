package io.globalcalling.core.invariants;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Campaigns' invariants (see {@link CampaignModel}) over random campaign histories, on the in-memory store
 * and ledger: a few hundred histories in every build, thousands in the {@code slow} group
 * ({@code mvn -Pslow ...}). A failure prints the shrunk history and jqwik's seed;
 * {@code @Property(seed = "...")} replays it.
 */
class CampaignInvariantsTest {

    private final CampaignModel model = CampaignModel.inMemory();

    @Property(tries = 200)
    void everyCampaignHistoryKeepsTheInvariants(@ForAll("histories") CampaignHistory history) {
        model.run(history);
    }

    @Property(tries = 2_000)
    @Tag("slow")
    void twoThousandCampaignHistoriesKeepTheInvariants(@ForAll("histories") CampaignHistory history) {
        model.run(history);
    }

    @Provide
    Arbitrary<CampaignHistory> histories() {
        return CampaignHistories.histories(30);
    }
}
