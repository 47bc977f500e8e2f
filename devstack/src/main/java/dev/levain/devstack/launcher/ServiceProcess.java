package dev.levain.devstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged Levain service running as its own JVM, configured through the environment as in production. */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final int port;
    private final Process process;
    private final Path log;
    private final Path pidFile;

    private ServiceProcess(Service service, int port, Process process, Path log, Path pidFile) {
        this.service = service;
        this.port = port;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    /** Starts {@code home/<module>/target/quarkus-app/quarkus-run.jar} and waits until it reports ready. */
    public static ServiceProcess start(Path home, Service service, int port, Map<String, String> environment,
                                       Path logDir, Path runDir) {
        try {
            Files.createDirectories(runDir);
            Path log = logDir.resolve(service.module() + ".log");
            Process process = launch(home, service, port, environment, log);
            Path pidFile = runDir.resolve(service.module() + ".pid");
            // Lets the next start stop this JVM if the launcher is killed without a chance to.
            Files.writeString(pidFile, String.valueOf(process.pid()));
            ServiceProcess started = new ServiceProcess(service, port, process, log, pidFile);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + service.module(), e);
        }
    }

    /**
     * Runs the service once to its end, as a Kubernetes Job's container would (an environment with
     * {@code QUARKUS_INIT_AND_EXIT}: its migrations, then exit), its output appended to its log.
     *
     * @throws IllegalStateException when it fails or takes longer than a start may
     */
    public static void runToEnd(Path home, Service service, Map<String, String> environment, Path logDir) {
        Path log = logDir.resolve(service.module() + ".log");
        try {
            Process process = launch(home, service, 0, environment, log);
            if (!process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(service.module() + " did not end within " + READY_TIMEOUT + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(service.module() + " exited with " + process.exitValue() + "; see " + log
                        + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + service.module(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + service.module() + " ran", e);
        }
    }

    private static Process launch(Path home, Service service, int port, Map<String, String> environment, Path log)
            throws IOException {
        Path jar = jar(home, service);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with ./mvnw -DskipTests package");
        }
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(dev.levain.devstack.Classpath.javaExecutable(), "-Xms32m",
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return builder.start();
    }

    /** Stops the JVM of {@code service} that a killed launcher left running, if its pid file names one. */
    public static void stopLeftover(Path home, Service service, Path runDir) {
        Path pidFile = runDir.resolve(service.module() + ".pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            String jar = jar(home, service).toString();
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                    .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(jar)).orElse(false))
                    .ifPresent(ServiceProcess::stopHandle);
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read " + pidFile, e);
        }
    }

    private static void stopHandle(ProcessHandle leftover) {
        leftover.destroy();
        try {
            leftover.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            leftover.destroyForcibly();
        }
    }

    private static Path jar(Path home, Service service) {
        return home.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Service service() {
        return service;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module() + " exited with " + process.exitValue()
                        + "; see " + log + "\n" + tail(log));
            }
            if (isReady()) {
                return;
            }
            pause();
        }
        close();
        throw new IllegalStateException(service.module() + " was not ready within " + READY_TIMEOUT + "; see " + log);
    }

    private boolean isReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + service.module(), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the service at once (SIGKILL), as a crash or an OOM kill would: nothing gets to finish. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Killed; a stale pid file is checked against the command line next time.
        }
    }

    /** Asks the service to stop (SIGTERM, a graceful Quarkus shutdown), then kills it if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException e) {
            // The process is stopped; a stale pid file is checked against the command line next time.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a service", e);
        }
    }
}
