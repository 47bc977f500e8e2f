package dev.levain.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.Classpath;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.Launcher;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Topics;
import dev.levain.events.inventory.InventoryChanged;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code levain up} as a user runs it: demo sales reach the KPI API, a low stock level shows as an
 * alert in the Slack stand-in and the mail catcher, Ctrl-C leaves nothing behind, data survives a restart.
 */
class LauncherIT {

    private static final Path HOME = Path.of(System.getProperty("levain.home", "..")).toAbsolutePath().normalize();

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private Process launcher;
    private Path data;

    @AfterEach
    void killLeftoversAndDeleteData() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly().waitFor();
        }
        if (data != null) {
            DevStack.stopLeftovers(data);
            DataDirs.delete(data);
        }
    }

    @Test
    void demoSalesAndALowStockAlertShowCtrlCStopsEverythingAndDataSurvivesARestart() throws Exception {
        data = DataDirs.createTemporary("levain-up-it-");
        int pgPort = Ports.free();
        int kafkaPort = Ports.freeRange(2);
        int httpPort = Ports.freeRange(4);
        String kpis = "http://127.0.0.1:" + httpPort + "/api/v1/kpis/sales/daily?from="
                + LocalDate.now().minusDays(1) + "&to=" + LocalDate.now().plusDays(1);

        launcher = up(data, pgPort, kafkaPort, httpPort, "--demo-interval-ms", "200");
        // Until the normalizer emits stock changes, the stock event a normalizer would write.
        publishLowStock("127.0.0.1:" + kafkaPort, "PAR-LAUNCH");
        await().atMost(Duration.ofSeconds(60)).until(() -> totalTransactions(kpis) >= 10);
        String slack = printedUrl("Slack stand-in");
        String mail = printedUrl("mail catcher");
        await().atMost(Duration.ofSeconds(90)).until(() -> Http.text(slack + "/messages").contains(
                "FIRING: Low stock at PAR-LAUNCH") && Http.text(mail).contains("[Levain] FIRING: Low stock at PAR-LAUNCH"));
        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(4);

        ctrlC(launcher);

        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher exits after Ctrl-C").isTrue();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(processesUsing(data)).as("no server left on the data directory").isEmpty();
        assertThat(List.of(pgPort, kafkaPort, httpPort, httpPort + 1, httpPort + 2, httpPort + 3))
                .noneMatch(Ports::inUse);
        assertThat(output).anyMatch(line -> line.contains("Levain stopped."));

        long countedBeforeRestart = totalTransactionsAfterStop(data, pgPort, kafkaPort, httpPort, kpis);
        assertThat(countedBeforeRestart).isGreaterThanOrEqualTo(10);
    }

    /** Starts again over the same data, without the demo: the sales counted before are still there. */
    private long totalTransactionsAfterStop(Path data, int pgPort, int kafkaPort, int httpPort, String kpis)
            throws Exception {
        output.clear();
        launcher = up(data, pgPort, kafkaPort, httpPort, "--no-demo");
        long total = totalTransactions(kpis);
        ctrlC(launcher);
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return total;
    }

    private Process up(Path data, int pgPort, int kafkaPort, int httpPort, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Classpath.javaExecutable(), "-Dlevain.home=" + HOME,
                "-cp", Classpath.ofDevstack(), Launcher.class.getName(), "up", "--data", data.toString(),
                "--pg-port", String.valueOf(pgPort), "--kafka-port", String.valueOf(kafkaPort),
                "--http-port", String.valueOf(httpPort)));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> collect(process), "launcher-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(180)).until(() -> output.stream().anyMatch(l -> l.contains("Levain is up."))
                || !process.isAlive());
        assertThat(process.isAlive()).as("launcher running; output:%n%s", String.join("\n", output)).isTrue();
        return process;
    }

    private void collect(Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // The launcher is gone; its output ended with it.
        }
    }

    /** The URL printed after {@code label} in the launcher's output. */
    private String printedUrl(String label) {
        String line = output.stream().filter(l -> l.contains(label)).findFirst().orElseThrow();
        String rest = line.substring(line.indexOf(label) + label.length()).trim();
        return rest.split("\\s+")[0];
    }

    private static void publishLowStock(String bootstrapServers, String store) {
        BigDecimal onHand = BigDecimal.ONE;
        BigDecimal reorderPoint = BigDecimal.TEN;
        InventoryChanged level = new InventoryChanged(store, "CROISSANT", "Croissant", onHand, BigDecimal.valueOf(12),
                reorderPoint, InventoryChanged.status(onHand, reorderPoint), 1, OffsetDateTime.now());
        try {
            new KafkaTestClient(bootstrapServers).sendCloudEvent(Topics.INVENTORY_CHANGED, level.key(),
                    Json.mapper().writeValueAsBytes(level), level.eventId(), EventTypes.INVENTORY_CHANGED,
                    "levain/normalize/" + store);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private long totalTransactions(String kpis) {
        Http.Reply reply = Http.get(kpis, printedUrl("admin token (12 h):"));
        long total = 0;
        for (JsonNode day : reply.body().get("days")) {
            total += day.get("transactions").asLong();
        }
        return total;
    }

    private static void ctrlC(Process process) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    private static List<ProcessHandle> processesUsing(Path data) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(data.toString())).orElse(false))
                .toList();
    }
}
