package io.globalcalling.examples;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.event.BudgetAlert;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Skill;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Budget alerts reach the host as events; sending the e-mail is the host's business. This example
 * wires a listener that hands each alert (50 %, 80 % and 100 % of a budget, each once per period) to
 * the host's mailer - here one that prints, in production e.g. Jakarta Mail or an e-mail API.
 */
public final class BudgetAlertsByEmail {

    /** The host's own way of sending e-mail. */
    public interface Mailer {
        void send(String to, String subject, String body);
    }

    private BudgetAlertsByEmail() {
    }

    /** A listener that e-mails the customer's billing contact about each alert. */
    public static Consumer<BudgetAlert> emailing(Mailer mailer, Map<String, String> billingContacts) {
        return alert -> {
            String to = billingContacts.getOrDefault(alert.customerId(), "billing@example.com");
            String subject = String.format(Locale.ROOT, "Calling budget: %d%% of your %s budget used", alert.thresholdPercent(),
                    alert.period());
            String body = String.format(Locale.ROOT, "Customer %s has used %s of its %s budget of %s for %s.%n",
                    alert.customerId(), alert.spent(), alert.period(), alert.cap(), alert.periodKey());
            mailer.send(to, subject, body);
        };
    }

    public static void main(String[] args) {
        Mailer printing = (to, subject, body) -> System.out.printf("To: %s%nSubject: %s%n%n%s%n", to, subject, body);
        // Simulated calls in real time, so they are still in progress (their holds still count) while we go on.
        try (GlobalCallingManager calling = GlobalCallingManager.builder()
                .config(ProviderConfig.of(Map.of("sandbox.time-scale", "1")))
                .limits(l -> l.budgets(Budget.daily(Money.inr("1080"))))
                .build()) {
            calling.limits().onAlert(emailing(printing, Map.of("acme", "finance@acme.example")));
            // Each VIP support call to +1 holds 30 minutes at 9 INR/min = 270 INR of the 1,080 INR day budget.
            for (int i = 0; i < 5; i++) {
                try {
                    calling.human().call(CallRequest.to("+14155552671").skill(Skill.VIP).customerId("acme").build());
                } catch (io.globalcalling.core.limits.LimitExceededException full) {
                    System.out.println("refused: " + full.getMessage());
                    break;
                }
            }
        }
    }
}
