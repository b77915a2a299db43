package io.globalcalling.load;

import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.spring.GlobalCallingManagerCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The host under load: the starter's application (REST API, webhook route, JDBI store on the DataSource the
 * harness names, with group commit as the harness sets {@code calling.store.group-commit} and
 * {@code calling.store.group-commit-writers}) with Twilio pointed at the simulator and its pace raised by
 * {@code calling.providers.twilio.pace.calls-per-second}. Its own: the load customers' limits (no rate window, a
 * budget no run reaches, so every call is still held and settled), and {@code GET /load/stats}, which shows what
 * the harness measures inside this process: callbacks by outcome, the rate a USD price is settled at, heap and CPU
 * time. The harness sets the starter's
 * reconciliation to every 5 s ({@code calling.reconcile-interval}).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class LoadHost {

    /** Every load customer's daily budget, in INR: held and settled, never reached. */
    static final String BUDGET_INR = "1000000000";
    /**
     * The host's exchange rates (the manager's default), set here so {@code /load/stats} can show the audit the rate
     * a provider's price is converted at.
     */
    static final FxTable FX = FxTable.defaults();

    public static void main(String[] args) {
        SpringApplication.run(LoadHost.class, args);
    }

    @Bean
    GlobalCallingManagerCustomizer loadLimits() {
        return builder -> builder.fx(FX).limits(l -> l.rateWindows().budgets(Budget.daily(Money.inr(BUDGET_INR))));
    }

    @Bean
    HostCounters hostCounters(GlobalCallingManager manager) {
        HostCounters counters = new HostCounters();
        manager.observe(counters);
        return counters;
    }

    /** What the manager told about placements and callbacks. */
    static final class HostCounters implements CallingObserver {
        final LongAdder placed = new LongAdder();
        final Map<CallbackOutcome, LongAdder> callbacks = new EnumMap<>(CallbackOutcome.class);

        HostCounters() {
            for (CallbackOutcome o : CallbackOutcome.values()) callbacks.put(o, new LongAdder());
        }

        @Override
        public void placed(CallRecord record, Duration took) {
            placed.increment();
        }

        @Override
        public void callbackHandled(String providerId, CallbackOutcome outcome, Duration took) {
            callbacks.get(outcome).increment();
        }
    }

    /** {@code GET /load/stats[?gc=true]}: the host's own figures; with gc, the heap is measured after a collection. */
    @RestController
    static class LoadStatsController {
        private final HostCounters counters;

        LoadStatsController(HostCounters counters) {
            this.counters = counters;
        }

        @GetMapping("/load/stats")
        Map<String, Object> stats(@RequestParam(defaultValue = "false") boolean gc) throws InterruptedException {
            if (gc) {
                System.gc();
                Thread.sleep(200);
                System.gc();
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("placed", counters.placed.sum());
            Map<String, Long> callbacks = new LinkedHashMap<>();
            counters.callbacks.forEach((o, n) -> callbacks.put(o.name(), n.sum()));
            s.put("callbacks", callbacks);
            // what a USD price (the simulated Twilio's unit) is settled at, as the audit recomputes each call's cost
            s.put("reportingCurrency", FX.reportingCurrency().getCurrencyCode());
            s.put("usdRate", FX.rate(Currency.getInstance("USD"), FX.reportingCurrency())
                    .map(BigDecimal::toPlainString).orElse(null));
            s.put("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            s.put("cpuNanos", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime());
            return s;
        }
    }
}
