package io.globalcalling.store.jdbi;

import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;

import java.net.URI;
import java.time.Duration;

/**
 * The process the crash test kills: a manager on the shared PostgreSQL that runs whatever campaigns
 * are in progress, dialling through the parent's stub, until it is killed.
 * Arguments: the JDBC URL, the stub's URL, this node's name.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        JdbiCallingDatabase db = JdbiCallingDatabase.postgres(args[0], "postgres", Secret.of("postgres"));
        GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(db.callStore()).ledger(db.limitLedger()).provider(new CrashStubProvider(URI.create(args[1])))
                .limits(l -> l.rateWindows())
                .campaignNode(args[2], Duration.ofSeconds(2), Duration.ofMillis(20), 4).build();
        Thread.sleep(Long.MAX_VALUE);   // the scheduler runs until the process is killed
    }
}
