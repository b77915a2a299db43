package io.globalcalling.core;

import io.globalcalling.core.cost.CostEstimate;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallRecord;

import java.time.Duration;
import java.util.Objects;

/**
 * The calls of one category, as the seed's five services offered them: {@code manager.voip()},
 * {@code ai()}, {@code human()}, {@code system()}, {@code satellite()}. Each request is pinned to
 * the category; routing still picks the provider.
 */
public final class CategoryCalls {

    private final GlobalCallingManager manager;
    private final CallCategory category;

    CategoryCalls(GlobalCallingManager manager, CallCategory category) {
        this.manager = manager;
        this.category = category;
    }

    public CallCategory category() {
        return category;
    }

    public CallRecord call(CallRequest request) {
        return manager.call(pin(request));
    }

    /** A call to {@code to} with nothing else said. */
    public CallRecord call(String to) {
        return call(CallRequest.to(to).build());
    }

    public RoutePlan plan(CallRequest request) {
        return manager.plan(pin(request));
    }

    public CostEstimate estimate(CallRequest request, Duration duration) {
        return manager.estimate(pin(request), duration);
    }

    private CallRequest pin(CallRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.category() != null && request.category() != category) {
            throw new IllegalArgumentException("category " + request.category().wireName() + " of the request conflicts with "
                    + category.wireName() + "()");
        }
        return request.toBuilder().category(category).build();
    }
}
