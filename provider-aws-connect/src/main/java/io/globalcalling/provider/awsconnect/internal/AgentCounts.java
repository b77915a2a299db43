package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.Skill;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.Channel;
import software.amazon.awssdk.services.connect.model.CurrentMetric;
import software.amazon.awssdk.services.connect.model.CurrentMetricData;
import software.amazon.awssdk.services.connect.model.CurrentMetricName;
import software.amazon.awssdk.services.connect.model.CurrentMetricResult;
import software.amazon.awssdk.services.connect.model.Filters;
import software.amazon.awssdk.services.connect.model.GetCurrentMetricDataRequest;
import software.amazon.awssdk.services.connect.model.GetCurrentMetricDataResponse;
import software.amazon.awssdk.services.connect.model.Grouping;
import software.amazon.awssdk.services.connect.model.Unit;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Agents online per skill, read from the instance with {@code GetCurrentMetricData} ({@code AGENTS_ONLINE} on the
 * voice channel: logged in and online, whether free now or on a call, since a queued call waits for them) and kept
 * for a short time. Per skill it is the count of the skill's queue; in routing-criteria routing every skill shares
 * one queue, so each gets the queue's count (an upper bound: Connect's metrics do not split it by proficiency). The
 * total is asked for separately, over all the queues at once, so that an agent of several queues counts once.
 * When Connect cannot be read, the last counts stand (none before the first success).
 */
public final class AgentCounts {

    /** Agents per skill and distinct agents. */
    public record Snapshot(Map<Skill, Integer> bySkill, int total) {
        public Snapshot {
            bySkill = Map.copyOf(bySkill);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(AgentCounts.class);
    private static final CurrentMetric AGENTS_ONLINE = CurrentMetric.builder()
            .name(CurrentMetricName.AGENTS_ONLINE).unit(Unit.COUNT).build();

    private final ConnectClient connect;
    private final String instanceId;
    private final Map<Skill, String> queueBySkill;
    private final Clock clock;
    private final Duration ttl;
    private final AtomicBoolean warned = new AtomicBoolean();
    private Snapshot last;
    private Instant readAt;

    public AgentCounts(ConnectClient connect, String instanceId, Map<Skill, String> queueBySkill, Clock clock,
                       Duration ttl) {
        this.connect = connect;
        this.instanceId = instanceId;
        this.queueBySkill = Map.copyOf(queueBySkill);
        this.clock = clock;
        this.ttl = ttl;
        Map<Skill, Integer> none = new HashMap<>();
        queueBySkill.keySet().forEach(s -> none.put(s, 0));
        this.last = new Snapshot(none, 0);
    }

    /** The counts, read again once they are older than the time to live. */
    public synchronized Snapshot snapshot() {
        Instant now = clock.instant();
        if (readAt != null && Duration.between(readAt, now).compareTo(ttl) < 0) return last;
        try {
            Map<String, Integer> byQueue = perQueue();
            Map<Skill, Integer> bySkill = new LinkedHashMap<>();
            queueBySkill.forEach((skill, queue) -> bySkill.put(skill, byQueue.getOrDefault(queue, 0)));
            last = new Snapshot(bySkill, total());
            warned.set(false);
        } catch (SdkException | UncheckedIOException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("Amazon Connect agent counts could not be read; keeping the last ones: {}",
                        ConnectErrors.describe(e));
            } else {
                log.debug("Amazon Connect agent counts could not be read: {}", ConnectErrors.describe(e));
            }
        }
        readAt = now; // a failure is not retried on every routing decision either
        return last;
    }

    private Map<String, Integer> perQueue() {
        Map<String, Integer> out = new HashMap<>();
        NextTokens tokens = new NextTokens("GetCurrentMetricData");
        String next = null;
        do {
            GetCurrentMetricDataResponse page = connect.getCurrentMetricData(request(List.of(Grouping.QUEUE), next));
            for (CurrentMetricResult r : page.metricResults()) {
                if (r.dimensions() == null || r.dimensions().queue() == null) continue;
                out.merge(r.dimensions().queue().id(), online(r), Integer::sum);
            }
            next = tokens.next(page.nextToken());
        } while (next != null);
        return out;
    }

    private int total() {
        GetCurrentMetricDataResponse all = connect.getCurrentMetricData(request(List.of(), null));
        return all.metricResults().stream().mapToInt(AgentCounts::online).sum();
    }

    private GetCurrentMetricDataRequest request(List<Grouping> groupings, String nextToken) {
        Set<String> queues = Set.copyOf(queueBySkill.values());
        GetCurrentMetricDataRequest.Builder b = GetCurrentMetricDataRequest.builder().instanceId(instanceId)
                .filters(Filters.builder().queues(queues).channels(Channel.VOICE).build())
                .currentMetrics(AGENTS_ONLINE).nextToken(nextToken);
        if (!groupings.isEmpty()) b.groupings(groupings);
        return b.build();
    }

    private static int online(CurrentMetricResult r) {
        return r.collections().stream().filter(c -> c.metric() != null && c.metric().name() == CurrentMetricName.AGENTS_ONLINE)
                .map(CurrentMetricData::value).filter(v -> v != null).mapToInt(Double::intValue).sum();
    }
}
