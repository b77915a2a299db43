package io.globalcalling.core;

import io.globalcalling.CallRequest;
import io.globalcalling.core.placement.Resend;

import java.util.function.BooleanSupplier;

/** Test-only access to the manager's package-private parts, for tests in other packages (the model-based suite). */
public final class ManagerTestAccess {

    private ManagerTestAccess() {
    }

    /** Sets how unknown outcomes are re-sent, so a test waits on its clock instead of sleeping. */
    public static GlobalCallingManager.Builder resend(GlobalCallingManager.Builder builder, Resend resend) {
        return builder.resend(resend);
    }

    /** Places a call that is sent only while {@code stillWanted}, as a campaign's call is (withdrawn when paused). */
    public static CallPlacement callOnce(GlobalCallingManager manager, CallRequest request, BooleanSupplier stillWanted) {
        return manager.callOnce(request, stillWanted);
    }
}
