package io.globalcalling.store.jdbi;

import io.globalcalling.Secret;

import java.io.PrintStream;

/**
 * The process {@link GroupCommitCrashTest} kills: 32 threads creating calls through a group-commit
 * store on the shared PostgreSQL, each printing a call's id and a ';' once {@code create} has returned, until
 * it is killed. Argument: the JDBC URL.
 */
public final class GroupCommitCrashChild {

    private GroupCommitCrashChild() {
    }

    public static void main(String[] args) {
        JdbiCallingDatabase db = JdbiCallingDatabase.postgres(args[0], "postgres", Secret.of("postgres"),
                StoreSettings.builder().groupCommit(true).build());
        PrintStream out = System.out;
        for (int t = 0; t < 32; t++) {
            int thread = t;
            new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "k-" + thread + "-" + i;
                    db.callStore().create(GroupCommitSuite.call(id));
                    synchronized (out) {
                        out.println(id + ";");   // the ';' marks a whole line: a kill may cut the last one
                        out.flush();
                    }
                }
            }).start();
        }
    }
}
