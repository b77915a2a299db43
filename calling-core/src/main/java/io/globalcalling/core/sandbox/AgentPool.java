package io.globalcalling.core.sandbox;

import io.globalcalling.Priority;
import io.globalcalling.Skill;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Simulated agents, one skill each. A call takes a free agent with its skill or waits in that
 * skill's queue: higher priority first (EMERGENCY, HIGH, NORMAL, LOW), first come first served
 * within a priority. A released agent goes straight to the head of the queue.
 */
final class AgentPool {

    /** What a request got: an agent now, or a place in the queue. */
    record Request(String agent, int queuePosition) {
        boolean assigned() {
            return agent != null;
        }
    }

    /** A released agent handed to a waiting call; the caller runs it outside the pool's lock. */
    record Handoff(String agent, Consumer<String> onAssigned) {
        void run() {
            onAssigned.accept(agent);
        }
    }

    private record Waiter(String key, Priority priority, long sequence, Consumer<String> onAssigned) {
    }

    private static final Comparator<Waiter> ORDER = Comparator.comparing(Waiter::priority).reversed()
            .thenComparingLong(Waiter::sequence);

    private final Map<Skill, Deque<String>> free = new HashMap<>();
    private final Map<Skill, PriorityQueue<Waiter>> waiting = new HashMap<>();
    private final Map<Skill, Integer> sizes;
    private long sequence;

    /** Agents of each skill in {@code agentsBySkill}; a call may only ask for a skill of {@link #size} above 0. */
    AgentPool(Map<Skill, Integer> agentsBySkill) {
        this.sizes = Map.copyOf(agentsBySkill);
        for (Skill skill : sizes.keySet()) {
            Deque<String> agents = new ArrayDeque<>();
            for (int i = 1; i <= sizes.get(skill); i++) {
                agents.add(String.format("%s-%04d", skill.wireName(), i));
            }
            free.put(skill, agents);
            waiting.put(skill, new PriorityQueue<>(ORDER));
        }
    }

    int size(Skill skill) {
        return sizes.getOrDefault(skill, 0);
    }

    /** Takes a free agent, or queues {@code onAssigned} to be run with one when it frees up. */
    synchronized Request request(String key, Skill skill, Priority priority, Consumer<String> onAssigned) {
        String agent = free.get(skill).pollFirst();
        if (agent != null) return new Request(agent, 0);
        Waiter waiter = new Waiter(key, priority, ++sequence, onAssigned);
        PriorityQueue<Waiter> queue = waiting.get(skill);
        queue.add(waiter);
        int ahead = (int) queue.stream().filter(w -> ORDER.compare(w, waiter) < 0).count();
        return new Request(null, ahead + 1);
    }

    /** Frees an agent: it goes to the first waiting call of its skill, if any. */
    synchronized Handoff release(Skill skill, String agent) {
        Waiter next = waiting.get(skill).poll();
        if (next == null) {
            free.get(skill).addFirst(agent);
            return null;
        }
        return new Handoff(agent, next.onAssigned());
    }

    /** Removes a call that is still waiting; true when it was. */
    synchronized boolean cancel(Skill skill, String key) {
        return waiting.get(skill).removeIf(w -> w.key().equals(key));
    }

    synchronized int waiting(Skill skill) {
        return waiting.get(skill).size();
    }

    synchronized int free(Skill skill) {
        return free.get(skill).size();
    }
}
