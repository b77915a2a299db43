package io.globalcalling.examples;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.Purpose;
import io.globalcalling.CallRecord;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples run as a newcomer runs them, and say what they promise. */
class ExamplesTest {

    @Test
    void theQuickstartPlacesOneCallOfEachCategoryAndKeepsThemAcrossRuns(@TempDir Path dir) throws Exception {
        String database = dir.resolve("quickstart").toString();
        String first = run(() -> Quickstart.main(new String[] {database}));

        assertThat(first).contains("category internet_voip", "category satellite", "category ai_automated",
                "category human_agent", "category system_api");
        assertThat(first).containsPattern("campaign completed: total 5, completed 5, successful \\d, failed \\d, "
                + "attempts \\d+, cost \\d+(\\.\\d+)? INR");
        assertThat(first).contains("195 of 195", "Earth surface  100.0% (global)", "AI languages", "agents");
        assertThat(first.lines().filter(l -> l.contains("placed call_"))).hasSize(5)
                .allSatisfy(l -> assertThat(l).as("each call is awaited to its end and priced")
                        .containsPattern("→ (completed|busy|no_answer|failed|canceled), \\d+ s, cost \\d+(\\.\\d+)? INR"));
        assertThat(first).contains("active providers: [sandbox]  (simulated, no real call is placed: sandbox)")
                .contains("SIMULATED: no real call is placed").contains("sandbox (simulated)");
        assertThat(Files.exists(dir.resolve("quickstart.mv.db"))).isTrue();

        String second = run(() -> Quickstart.main(new String[] {database}));
        long callsListed = second.lines().filter(l -> l.trim().startsWith("call_")).count();
        assertThat(callsListed).as("the second run lists the first run's calls too").isEqualTo(10);
    }

    @Test
    void theReadmeSnippetRunsAsWritten(@TempDir Path dir) {
        // The README's first code block, with the database under a temporary folder.
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(dir.resolve("calls"));
             GlobalCallingManager calling = GlobalCallingManager.builder()
                     .store(db.callStore()).ledger(db.limitLedger())
                     .build()) {
            CallRecord call = calling.call(CallRequest.to("+919876543210")
                    .purpose(Purpose.NOTIFICATION)
                    .script("Hello {{name}}, your order has shipped.").variable("name", "Asha").language("en-IN")
                    .build());
            assertThat(call.category()).isEqualTo(CallCategory.AI_AUTOMATED);
            assertThat(call.providerId()).isEqualTo("sandbox");
            assertThat(call.estimatedCost().isGreaterThan(Money.zero(Money.INR))).isTrue();
            assertThat(call.heldAmount().isGreaterThan(call.estimatedCost())).isTrue();
            assertThat(db.callStore().find(call.callId())).isPresent();
        }
    }

    @Test
    void budgetAlertsAreEmailedOncePerThreshold() {
        List<String> subjects = new ArrayList<>();
        String out = run(() -> BudgetAlertsByEmail.main(new String[0]));
        out.lines().filter(l -> l.startsWith("Subject: ")).forEach(subjects::add);

        assertThat(subjects).containsExactly(
                "Subject: Calling budget: 50% of your day budget used",
                "Subject: Calling budget: 80% of your day budget used",
                "Subject: Calling budget: 100% of your day budget used");
        assertThat(out).contains("To: finance@acme.example", "refused: ");
    }

    private interface Main {
        void run() throws Exception;
    }

    private static String run(Main main) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
