package io.globalcalling.core.routing;

import io.globalcalling.CallCategory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of routing one request: the category, why it was chosen, the providers to try in
 * order (the primary first, then the failovers) and the providers left out, each with its reason.
 * A plan never mixes real and simulated options: either every option places a real call, or every one
 * is simulated (and {@link #explain()} says so on every option).
 *
 * @param category         the category the call is placed as
 * @param categoryReasons  why this category (the rule that chose it, emergency handling)
 * @param options          the providers to try, in order; never empty, all real or all simulated
 * @param dropped          the providers of the category that were left out, and why
 * @param capBypassed      an emergency kept options dearer than the request's cost cap (which would have
 *                         dropped them otherwise); each such option says so in its reasons
 */
public record RoutePlan(CallCategory category, List<String> categoryReasons, List<RouteOption> options,
                        List<DroppedOption> dropped, boolean capBypassed) {

    public RoutePlan {
        Objects.requireNonNull(category, "category");
        categoryReasons = List.copyOf(Objects.requireNonNull(categoryReasons, "categoryReasons"));
        options = List.copyOf(Objects.requireNonNull(options, "options"));
        dropped = List.copyOf(Objects.requireNonNull(dropped, "dropped"));
        if (options.isEmpty()) throw new IllegalArgumentException("options must not be empty; a plan has a primary");
        for (RouteOption option : options) {
            if (option.category() != category) {
                throw new IllegalArgumentException("option " + option.providerId() + " is for category "
                        + option.category().wireName() + ", not " + category.wireName());
            }
            if (option.simulated() != options.get(0).simulated()) {
                throw new IllegalArgumentException("option " + option.providerId() + (option.simulated() ? " is" : " is not")
                        + " simulated but the primary " + options.get(0).providerId() + (options.get(0).simulated()
                        ? " is" : " is not") + "; a simulated provider never backs up a real one, nor the reverse");
            }
        }
    }

    /** Whether the call would be simulated (every option is); a simulated plan places no real call. */
    public boolean simulated() {
        return primary().simulated();
    }

    /** The option to try first. */
    public RouteOption primary() {
        return options.get(0);
    }

    /** The options to try, in order, when the primary is unavailable. */
    public List<RouteOption> failovers() {
        return options.subList(1, options.size());
    }

    /** The plan as text for logs, records and the dry-run API: one line per reason, option and drop. */
    public String explain() {
        StringBuilder b = new StringBuilder("category ").append(category.wireName()).append('\n');
        for (String reason : categoryReasons) b.append("  - ").append(reason).append('\n');
        if (capBypassed) b.append("EMERGENCY: options above the request's cost cap are kept\n");
        b.append(simulated() ? "options (primary first), SIMULATED: no real call is placed:\n" : "options (primary first):\n");
        for (int i = 0; i < options.size(); i++) {
            RouteOption o = options.get(i);
            b.append("  ").append(i + 1).append(". ").append(o.providerId()).append(o.simulated() ? " (simulated)" : "")
                    .append(": ").append(Amounts.perMinute(o.perMinute())).append(" + ").append(Amounts.amount(o.perCall()))
                    .append("/call, score ")
                    .append(String.format(Locale.ROOT, "%.3f", o.score())).append('\n');
            for (String reason : o.reasons()) b.append("       - ").append(reason).append('\n');
        }
        if (!dropped.isEmpty()) {
            b.append("dropped:\n");
            for (DroppedOption d : dropped) b.append("  - ").append(d.providerId()).append(": ").append(d.reason()).append('\n');
        }
        return b.toString();
    }
}
