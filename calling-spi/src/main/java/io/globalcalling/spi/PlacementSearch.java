package io.globalcalling.spi;

import java.util.Objects;

/**
 * What a provider's search for a call whose placement outcome is unknown found
 * ({@link CallingProvider#findPlaced}): the call, proof that there is none, or nothing it can vouch for.
 * Money rides on the difference: the core ends a call that was {@link NotPlaced} and gives its budget hold
 * back, while an {@link Unknown} call keeps its hold until a later search or a person resolves it. Create
 * one with {@link #found}, {@link #notPlaced} or {@link #unknown}.
 */
public sealed interface PlacementSearch permits PlacementSearch.Found, PlacementSearch.NotPlaced, PlacementSearch.Unknown {

    /** The provider has the call; {@code event} is where it is now, by the provider's record. */
    static PlacementSearch found(CallEvent event) {
        return new Found(event);
    }

    /**
     * The provider's own record was searched completely (every page) over a window that covers the create,
     * and no call in it can be ours: the create never reached the provider, or the provider refused it.
     */
    static PlacementSearch notPlaced() {
        return NotPlaced.INSTANCE;
    }

    /**
     * The provider cannot tell: it cannot search, a page failed, the search was cut short, or several calls that can
     * be ours match.
     */
    static PlacementSearch unknown(String why) {
        return new Unknown(why);
    }

    /**
     * The provider has the call.
     *
     * @param event where the call is now, by the provider's record
     */
    record Found(CallEvent event) implements PlacementSearch {
        public Found {
            Objects.requireNonNull(event, "event");
        }
    }

    /** A complete search found no call that can be ours. */
    record NotPlaced() implements PlacementSearch {
        private static final NotPlaced INSTANCE = new NotPlaced();
    }

    /**
     * The search proves nothing.
     *
     * @param why what kept it from telling, for the call's events and logs (never a secret)
     */
    record Unknown(String why) implements PlacementSearch {
        public Unknown {
            Objects.requireNonNull(why, "why");
        }
    }
}
