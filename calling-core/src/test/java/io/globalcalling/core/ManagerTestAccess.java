package io.globalcalling.core;

import io.globalcalling.core.placement.Resend;

/** Test-only access to the builder's package-private settings, for tests in other packages (the model-based suite). */
public final class ManagerTestAccess {

    private ManagerTestAccess() {
    }

    /** Sets how unknown outcomes are re-sent, so a test waits on its clock instead of sleeping. */
    public static GlobalCallingManager.Builder resend(GlobalCallingManager.Builder builder, Resend resend) {
        return builder.resend(resend);
    }
}
