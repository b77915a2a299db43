package io.globalcalling.core.limits;

import io.globalcalling.spi.CallRequest;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.Priority;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
