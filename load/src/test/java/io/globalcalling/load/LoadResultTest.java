package io.globalcalling.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoadResultTest {

    @Test
    void aRunReplacesItsOwnSectionOfTheDocAndLeavesTheRestAlone(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("LOAD.md");
        Files.writeString(doc, "# Load\n\nHow to run it.\n");

        LoadResult.writeInto(doc, result(1000, "postgres", 10));
        LoadResult.writeInto(doc, result(1000, "h2", 20));
        LoadResult.writeInto(doc, result(1000, "postgres", 30));

        String text = Files.readString(doc);
        assertThat(text).startsWith("# Load\n\nHow to run it.\n");
        assertThat(text.split("<!-- run 1000-postgres -->", -1)).hasSize(2);
        assertThat(text).contains("| calls placed (API 201) | 30 |").doesNotContain("| calls placed (API 201) | 10 |")
                .contains("| calls placed (API 201) | 20 |");
        assertThat(text.indexOf("1000-postgres")).isLessThan(text.indexOf("1000-h2"));
    }

    @Test
    void anAuditWithAFailedCheckFails() {
        assertThat(result(10, "h2", 10).auditPassed()).isTrue();
        LoadResult failed = new LoadResult(settings(10, "h2"), 1, Duration.ZERO, 0, 0, 0, 10, 1, Duration.ZERO, 0, 0,
                0, 0, -1, Map.of(), Map.of(), List.of(new Audit.Check("a", true, ""), new Audit.Check("b", false, "")));
        assertThat(failed.auditPassed()).isFalse();
    }

    private static LoadResult result(int calls, String db, long placed) {
        return new LoadResult(settings(calls, db), 1, Duration.ofSeconds(1), 1, 2, 1.5, placed, 1, Duration.ofSeconds(1),
                0.01, 1 << 20, 2 << 20, 1, -1, Map.of("maxActive", 2), Map.of(),
                List.of(new Audit.Check("everything", true, "fine")));
    }

    private static LoadSettings settings(int calls, String db) {
        return LoadSettings.from(Map.of("calls", Integer.toString(calls), "db", db, "doc", "none"));
    }
}
