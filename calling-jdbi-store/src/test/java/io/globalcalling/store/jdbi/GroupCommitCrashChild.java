package io.globalcalling.store.jdbi;

import io.globalcalling.Secret;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link GroupCommitCrashTest} kills: 32 threads creating calls through a group-commit
 * store on the shared PostgreSQL, each printing a call's id and a ';' once {@code create} has returned, until
 * it is killed. Arguments: the JDBC URL; or {@code h2}, an H2 database file and whether group commit is on.
 */
public final class GroupCommitCrashChild {

    private GroupCommitCrashChild() {
    }

    public static void main(String[] args) {
        JdbiCallingDatabase db = args[0].equals("h2")
                ? JdbiCallingDatabase.h2File(Path.of(args[1]),
                        StoreSettings.builder().groupCommit(Boolean.parseBoolean(args[2])).build())
                : JdbiCallingDatabase.postgres(args[0], "postgres", Secret.of("postgres"),
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
