package io.globalcalling.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own (simulator or host) on this JVM's class path, so its CPU time and heap are its own; its
 * output goes to a log file of the run.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    /** Stops the child when the harness itself is stopped (Ctrl-C, SIGTERM), so no simulator or host is left running. */
    private final Thread stopWithHarness;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopWithHarness = new Thread(process::destroy, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(stopWithHarness);
    }

    /** Starts {@code mainClass} with {@code jvmOptions} and {@code args}; output to {@code <runDir>/<name>.log}. */
    static ChildProcess start(String name, Path runDir, List<String> jvmOptions, Class<?> mainClass, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Path log = runDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildProcess(name, process, log);
    }

    /** Waits until {@code url} answers 200, or fails naming the log when the process ends or time runs out. */
    void awaitReady(URI url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not answer " + url + " within " + timeout + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /**
     * Asks the process to stop (SIGTERM: Spring closes the manager), then kills it if it has not within 30 s; once
     * it has ended, does nothing.
     */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return; // closed already
        Runtime.getRuntime().removeShutdownHook(stopWithHarness);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** A port free on the loopback interface now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
