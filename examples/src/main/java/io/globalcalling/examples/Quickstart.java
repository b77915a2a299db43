package io.globalcalling.examples;

import io.globalcalling.CallCategory;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.CampaignProgress;
import io.globalcalling.core.campaign.ImportReport;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Outcome;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.spi.store.Campaign;
import java.time.Instant;
import java.util.Map;

import io.globalcalling.core.CallNotEndedException;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.cost.CostEstimate;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.CallRequest;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Purpose;
import io.globalcalling.Skill;
import io.globalcalling.CallRecord;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The quickstart: on the embedded defaults (the simulated sandbox provider and an H2 file database
 * under ./data), place one call of each category as the seed's routing examples describe, print
 * each route with its reasons and cost, then the coverage report and the calls on record.
 * Run it again and the earlier calls are still there.
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path databaseFile = Path.of(args.length > 0 ? args[0] : "data/quickstart");
        try (JdbiCallingDatabase database = JdbiCallingDatabase.h2File(databaseFile);
             GlobalCallingManager calling = GlobalCallingManager.builder()
                     // System properties only: the examples dial made-up numbers, so a real provider must be asked
                     // for explicitly (-Dtwilio.account-sid=... -Dtwilio.auth-token=...), never picked up from the
                     // environment. A real provider makes the simulated sandbox step aside (unless sandbox.enabled=true).
                     .config(ProviderConfig.systemProperties())
                     .store(database.callStore())
                     .ledger(database.limitLedger())
                     .build()) {

            System.out.println("Global Calling SDK quickstart");
            List<String> simulated = calling.coverage().overall().simulatedProviders();
            System.out.println("active providers: " + calling.providerIds()
                    + (simulated.isEmpty() ? "" : "  (simulated, no real call is placed: " + String.join(", ", simulated) + ")"));
            System.out.println("database: H2 file " + databaseFile.toAbsolutePath() + ".mv.db");
            System.out.println();

            List<Example> examples = List.of(
                    new Example("Urban caller with internet (Mumbai)", CallRequest.to("+919876543210")
                            .location(19.0760, 72.8777).purpose(Purpose.SALES).customerId("acme").build()),
                    new Example("Research vessel in the Arabian Sea, no terrestrial coverage", CallRequest.to("+881631234567")
                            .location(12.5, 64.0).purpose(Purpose.SUPPORT).customerId("acme").build()),
                    new Example("Bulk delivery notification, spoken in Hindi", CallRequest.to("+919812345678")
                            .purpose(Purpose.NOTIFICATION).language("hi-IN")
                            .script("Namaste {{name}}, aapka order {{order}} aaj pahunchega.")
                            .variable("name", "Asha").variable("order", "A-1042").customerId("acme").build()),
                    new Example("Premium (VIP) support", CallRequest.to("+14155552671")
                            .purpose(Purpose.SUPPORT).skill(Skill.VIP).customerId("acme").build()),
                    new Example("System alert to an operations webhook", CallRequest.to("https://ops.example.com/alerts")
                            .purpose(Purpose.ALERT).payload("{\"alert\":\"disk 91% on db-1\"}").customerId("acme").build()));

            for (Example example : examples) {
                System.out.println("== " + example.title);
                RoutePlan plan;
                try {
                    plan = calling.plan(example.request);
                } catch (NoRouteException e) {   // e.g. satellite with only real VoIP providers active
                    System.out.println("  no route: " + e.getMessage() + System.lineSeparator());
                    continue;
                }
                CostEstimate estimate = calling.estimate(example.request, Duration.ofMinutes(2));
                System.out.print(indent(plan.explain()));
                System.out.println("  estimate for 2 minutes: " + estimate.total());
                CallRecord placed = calling.call(example.request);   // returns once a provider took the call
                System.out.println(outcome(calling, placed));
            }

            runCampaign(calling);

            System.out.println(calling.coverage().render());
            System.out.println();
            System.out.println("Recent calls on record:");
            System.out.printf(Locale.ROOT, "  %-38s %-14s %-16s %-10s %6s %12s%n", "call id", "category", "to", "status",
                    "secs", "cost");
            for (CallRecord r : calling.calls().recent(10)) {
                System.out.printf(Locale.ROOT, "  %-38s %-14s %-16s %-10s %6s %12s%n", r.callId(), r.category().wireName(),
                        abbreviate(r.toNumber(), 16), r.status().wireName(),
                        r.durationSeconds() == null ? "-" : r.durationSeconds(), r.cost() == null ? "-" : r.cost());
            }
        }
    }

    /**
     * A small campaign: five numbers, a script with a variable per target, two calls a second, a busy line
     * retried after a second, a number the providers refuse tried once more; the manager's scheduler runs it
     * while this waits for it to complete.
     */
    private static void runCampaign(GlobalCallingManager calling) throws InterruptedException {
        System.out.println("== Campaign: five delivery reminders");
        String id = calling.campaigns().create(NewCampaign.named("Delivery reminders").customerId("acme")
                .category(CallCategory.AI_AUTOMATED).script("Namaste {{name}}, your order arrives today.")
                .policy(CampaignPolicy.builder().callsPerSecond(2).maxInFlight(5)
                        // the demo runs at any hour; real campaigns keep the default 08:00-21:00 in the recipient's zone
                        .windows(CallingWindows.always())
                        .retry(Outcome.BUSY, Duration.ofSeconds(1), 2).retry(Outcome.NO_ANSWER, Duration.ofSeconds(1), 2)
                        // ...0005 is the sandbox's simulated outage: tried again after a second (30 s by default),
                        // then failed as unavailable
                        .outageRetries(Duration.ofSeconds(1), 2)
                        .build())
                .build());
        ImportReport imported = calling.campaigns().addTargets(id, List.of(
                Target.of("+919876500001", Map.of("name", "Asha")), Target.of("+919876500002", Map.of("name", "Ravi")),
                Target.of("+919876500003", Map.of("name", "Meera")), Target.of("+919876500004", Map.of("name", "Kabir")),
                Target.of("+919876500005", Map.of("name", "Isha"))));
        System.out.println("  targets imported: " + imported.added() + ", estimated cost "
                + calling.campaigns().estimate(id).cost());
        calling.campaigns().start(id);
        Instant deadline = Instant.now().plusSeconds(120);
        CampaignProgress p = calling.campaigns().progress(id);
        while (p.status() != Campaign.Status.COMPLETED && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            p = calling.campaigns().progress(id);
        }
        System.out.printf(Locale.ROOT, "  campaign %s: total %d, completed %d, successful %d, failed %d, attempts %d,"
                        + " cost %s%n%n", p.status().wireName(), p.total(), p.completed(), p.successful(), p.failed(),
                p.attempts(), p.totalCost());
    }

    private record Example(String title, CallRequest request) {
    }

    /** Waits for the call to end and says how it went: status, talk time and the settled cost. */
    private static String outcome(GlobalCallingManager calling, CallRecord placed) throws InterruptedException {
        try {
            CallRecord done = calling.calls().await(placed.callId(), Duration.ofSeconds(30));
            return String.format(Locale.ROOT, "  placed %s via %s → %s, %s s, cost %s%n", done.callId(),
                    done.providerId(), done.status().wireName(),
                    done.durationSeconds() == null ? "0" : done.durationSeconds(), done.cost());
        } catch (CallNotEndedException e) {
            return String.format(Locale.ROOT, "  placed %s via %s → still %s after 30 s%n", placed.callId(),
                    placed.providerId(), e.latest().status().wireName());
        }
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
