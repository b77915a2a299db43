package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Polls an SQS queue that an EventBridge rule fills with contact events: long polling (up to 20 s a receive), each
 * message hidden for the visibility timeout while it is applied, and deleted only once applied. A message whose
 * application fails stays, and SQS hands it out again after the visibility timeout (its redrive policy decides when
 * it goes to a dead-letter queue); a message that is not a contact event at all is deleted, so it cannot come back
 * forever. Runs as one long task on the manager's executor and ends when {@link #stop()} is called or its thread is
 * interrupted.
 */
public final class SqsEventPoller implements Runnable {

    /** What applying a message's body may throw when it is not a contact event. */
    public static final class MalformedEvent extends RuntimeException {
        public MalformedEvent(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SqsEventPoller.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration wait;
    private final Duration visibilityTimeout;
    private final Consumer<String> apply;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicLong applied = new AtomicLong();

    /** @param apply applies one message body; throws {@link MalformedEvent} for a body that is not an event */
    public SqsEventPoller(SqsClient sqs, String queueUrl, Duration wait, Duration visibilityTimeout, Consumer<String> apply) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.wait = wait;
        this.visibilityTimeout = visibilityTimeout;
        this.apply = Objects.requireNonNull(apply, "apply");
    }

    @Override
    public void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopped.get() && !Thread.currentThread().isInterrupted()) {
            try {
                pollOnce();
                backoff = Duration.ofSeconds(1);
                warned.set(false);
            } catch (SdkException | UncheckedIOException e) {
                if (stopped.get()) break;
                if (warned.compareAndSet(false, true)) {
                    log.warn("Polling the Amazon Connect event queue failed; retrying in {}: {}", backoff,
                            ConnectErrors.describe(e));
                } else {
                    log.debug("Polling the Amazon Connect event queue failed: {}", ConnectErrors.describe(e));
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        log.debug("Amazon Connect event queue poller stopped after applying {} messages", applied.get());
    }

    /** One long-polling receive, each message applied and then deleted. */
    void pollOnce() {
        List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl)
                .maxNumberOfMessages(10).waitTimeSeconds((int) wait.toSeconds())
                .visibilityTimeout((int) visibilityTimeout.toSeconds()).build()).messages();
        for (Message m : messages) {
            if (stopped.get()) return; // left unapplied: it reappears after the visibility timeout
            try {
                apply.accept(m.body());
                applied.incrementAndGet();
            } catch (MalformedEvent e) {
                log.warn("Deleting SQS message {}: not an Amazon Connect contact event ({})", m.messageId(),
                        PhoneNumber.maskNumbersIn(String.valueOf(e.getMessage())));
            } catch (RuntimeException e) {
                log.warn("Applying SQS message {} failed; it will be received again: {}", m.messageId(),
                        PhoneNumber.maskNumbersIn(e.toString()));
                continue;
            }
            sqs.deleteMessage(DeleteMessageRequest.builder().queueUrl(queueUrl).receiptHandle(m.receiptHandle()).build());
        }
    }

    /** Asks the loop to end after the receive in progress. */
    public void stop() {
        stopped.set(true);
    }

    /** Messages applied (and deleted) so far. */
    public long applied() {
        return applied.get();
    }
}
