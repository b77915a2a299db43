package org.springframework.web.servlet.mvc.method.annotation;

import org.springframework.http.MediaType;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The servlet container's side of an event stream whose client stopped reading, for tests: once {@link #stopReading()}
 * is called, a send blocks (as a write to a connection whose buffers are full does) until {@link #release()}. It
 * lives in Spring's package because only there can a test stand in for the container ({@code ResponseBodyEmitter}'s
 * handler is package-private).
 */
public final class StalledClient implements ResponseBodyEmitter.Handler {

    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch stalled = new CountDownLatch(1);
    private volatile boolean reading = true;
    private final Semaphore taken = new Semaphore(0);
    private final CountDownLatch completed = new CountDownLatch(1);

    private StalledClient() {
    }

    /** Stands in for the container of {@code emitter}'s stream; what was sent before it is taken at once. */
    public static StalledClient attach(ResponseBodyEmitter emitter) throws IOException {
        StalledClient client = new StalledClient();
        emitter.initialize(client);
        return client;
    }

    public void stopReading() {
        reading = false;
    }

    /** Whether a send blocked within {@code timeout}. */
    public boolean awaitStalled(Duration timeout) throws InterruptedException {
        return stalled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether it took {@code sends} more sends within {@code timeout}. */
    public boolean awaitTaken(int sends, Duration timeout) throws InterruptedException {
        return taken.tryAcquire(sends, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the stream was completed within {@code timeout}. */
    public boolean awaitCompleted(Duration timeout) throws InterruptedException {
        return completed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void release() {
        released.countDown();
    }

    @Override
    public void send(Object data, MediaType mediaType) throws IOException {
        take();
    }

    @Override
    public void send(Set<ResponseBodyEmitter.DataWithMediaType> items) throws IOException {
        take();
    }

    private void take() throws IOException {
        if (reading) {
            taken.release();
            return;
        }
        stalled.countDown();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the client did not read");
        }
    }

    @Override
    public void complete() {
        completed.countDown();
    }

    @Override
    public void completeWithError(Throwable failure) {
    }

    @Override
    public void onTimeout(Runnable callback) {
    }

    @Override
    public void onError(Consumer<Throwable> callback) {
    }

    @Override
    public void onCompletion(Runnable callback) {
    }
}
