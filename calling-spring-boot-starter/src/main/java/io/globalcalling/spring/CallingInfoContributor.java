package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adds {@code calling} to the info endpoint: the active providers, the store (the database kind and schema
 * version when it is the JDBI store) and the webhook route.
 */
public final class CallingInfoContributor implements InfoContributor {

    private final GlobalCallingManager manager;
    private final @Nullable JdbiCallingDatabase database;
    private final String store;
    private final @Nullable String webhookPath;

    /**
     * @param store       what keeps the calls, when it is not {@code database}: {@code memory} or {@code custom}
     * @param webhookPath the mounted route, or null when none is mounted
     */
    public CallingInfoContributor(GlobalCallingManager manager, @Nullable JdbiCallingDatabase database, String store,
                                  @Nullable String webhookPath) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.database = database;
        this.store = Objects.requireNonNull(store, "store");
        this.webhookPath = webhookPath;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> calling = new LinkedHashMap<>();
        calling.put("providers", manager.providerIds());
        if (database != null) {
            calling.put("store", Map.of("type", "jdbi", "database", database.databaseKind(),
                    "schemaVersion", database.schemaVersion()));
        } else {
            calling.put("store", Map.of("type", store));
        }
        if (webhookPath != null) calling.put("webhookPath", webhookPath);
        builder.withDetail("calling", calling);
    }
}
