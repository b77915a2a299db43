package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CampaignHistories;
import io.globalcalling.core.invariants.CampaignHistory;
import io.globalcalling.core.invariants.CampaignModel;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Campaigns' invariants (see {@link CampaignModel}) with the H2 store and ledger: a few histories, more when slow. */
class H2CampaignInvariantsTest {

    private static Path folder;
    private static JdbiCallingDatabase database;
    private static CampaignModel model;

    @BeforeContainer
    static void open() {
        try {
            folder = Files.createTempDirectory("campaigns-h2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = JdbiCallingDatabase.h2File(folder.resolve("calls"));
        model = new CampaignModel(new DatabaseBackend(database));
    }

    @AfterContainer
    static void close() throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Property(tries = 6)
    void everyCampaignHistoryKeepsTheInvariants(@ForAll("histories") CampaignHistory history) {
        model.run(history);
    }

    @Property(tries = 60)
    @Tag("slow")
    void sixtyCampaignHistoriesKeepTheInvariants(@ForAll("histories") CampaignHistory history) {
        model.run(history);
    }

    @Provide
    Arbitrary<CampaignHistory> histories() {
        return CampaignHistories.histories(30);
    }
}
