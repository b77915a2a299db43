package io.globalcalling.load;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI version of the load (issue 18): 200 concurrent calls held for 30 s on PostgreSQL, drained, then the audit.
 * It asserts the audit, never a time. Tagged 'load', so only {@code mvn -pl load -am test -Dgroups=load} runs it
 * (a step of .ci/run), never the default build.
 */
@Tag("load")
class LoadHarnessTest {

    @Test
    void twoHundredConcurrentCallsOnPostgresqlLeaveACleanAudit() throws Exception {
        // six simulated seconds a second: talk of 2 minutes (at most 3) takes 20 s (30 s), so calls are held
        // with little churn; every callee hangs up when the hold ends, so the drain takes seconds; durable commits
        // and group commit, as the harness runs by default, on two writers, so the audit also covers two writers'
        // groups racing (one writer is each writer's own path); the results are not written to docs
        LoadSettings settings = LoadSettings.from(Args.parse(new String[] {"--calls=200", "--hold=30s",
                "--db=postgres", "--group-commit-writers=2", "--placers=16", "--pool=16", "--host-heap=512m", "--time-scale=6",
                "--talk-median=2m", "--talk-max=3m", "--hang-up=true", "--doc=none"}));

        LoadResult result = new LoadRun(settings).run();

        System.out.println(result.markdown());
        assertThat(result.audit()).isNotEmpty().allSatisfy(check ->
                assertThat(check.passed()).as(check.name() + ": " + check.detail()).isTrue());
        assertThat(result.placed()).isGreaterThanOrEqualTo(200);
        assertThat(result.heldMax()).isEqualTo(200);
    }
}
