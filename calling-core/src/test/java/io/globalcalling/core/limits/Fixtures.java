package io.globalcalling.core.limits;

import io.globalcalling.testkit.Race;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.Priority;


/** Requests, amounts and a thread race shared by the limits tests. */
final class Fixtures {

    private Fixtures() {
    }

    static CallRequest call(String customer) {
        return CallRequest.to("+919876543210").customerId(customer).build();
    }

    static CallRequest emergency(String customer) {
        return CallRequest.to("+919876543210").customerId(customer).priority(Priority.EMERGENCY).build();
    }

    static Money inr(String amount) {
        return Money.inr(amount);
    }

    @FunctionalInterface
    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads released together; rethrows the first failure. */
    static void race(int threads, ThreadBody body) throws Exception {
        Race.run(threads, thread -> {
            body.run(thread);
            return null;
        });
    }
}
