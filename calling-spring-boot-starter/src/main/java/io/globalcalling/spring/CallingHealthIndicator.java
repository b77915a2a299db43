package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.routing.QualityTracker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The calling SDK's health: the active providers, each one's circuit, and whether the store answers. Down when
 * the store cannot be read, or when no provider is active or every provider's circuit is open (no call could be
 * placed).
 */
public final class CallingHealthIndicator extends AbstractHealthIndicator {

    private final GlobalCallingManager manager;

    public CallingHealthIndicator(GlobalCallingManager manager) {
        super("calling health check failed");
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> circuits = new LinkedHashMap<>();
        manager.providerHealth().forEach((id, health) -> circuits.put(id, health.state().name()));
        builder.withDetail("providers", manager.providerIds()).withDetail("circuits", circuits);
        boolean storeReachable = storeReachable();
        builder.withDetail("store", storeReachable ? "reachable" : "unreachable");
        boolean canPlace = circuits.values().stream().anyMatch(s -> !s.equals(QualityTracker.CircuitState.OPEN.name()));
        if (!canPlace) builder.withDetail("reason", circuits.isEmpty() ? "no provider is active" : "every circuit is open");
        if (storeReachable && canPlace) builder.up();
        else builder.down();
    }

    /** A one-row read of the call store; its failure is the answer (its message is not shown: it may name the database). */
    private boolean storeReachable() {
        try {
            manager.calls().recent(1);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
