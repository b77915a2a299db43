package io.globalcalling.core.routing;

import io.globalcalling.CallCategory;
import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

import java.util.List;
import java.util.Objects;

/**
 * No provider can carry the call: none serves the category, or every one was dropped. The message
 * names the category and why each provider was dropped; nothing was recorded or sent.
 */
public final class NoRouteException extends CallingException {

    private final CallCategory category;
    private final List<DroppedOption> dropped;

    public NoRouteException(CallCategory category, String why, List<DroppedOption> dropped) {
        super(ErrorReason.NO_ROUTE, message(category, why, dropped));
        this.category = Objects.requireNonNull(category, "category");
        this.dropped = List.copyOf(dropped);
    }

    private static String message(CallCategory category, String why, List<DroppedOption> dropped) {
        StringBuilder b = new StringBuilder("no route for category ").append(category.wireName()).append(": ").append(why);
        for (DroppedOption d : dropped) b.append("; ").append(d);
        return b.toString();
    }

    public CallCategory category() {
        return category;
    }

    /** Every provider of the category that was considered and dropped. */
    public List<DroppedOption> dropped() {
        return dropped;
    }
}
