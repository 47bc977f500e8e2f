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
import dev.levain.devstack.postgres.PostgresServer;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * {@code levain up} as a user runs it: the first screen has PanPan's history and goals, demo sales reach the KPI
 * API, a low stock level shows as an alert in the Slack stand-in and the mail catcher, Ctrl-C leaves nothing
 * behind, data survives a restart.
 */
class LauncherIT {

    private static final Path HOME = Path.of(System.getProperty("levain.home", "..")).toAbsolutePath().normalize();
    /** How long a dashboard panel may take to show (the page's slow panels load after today's figures). */
    private static final Duration PANEL_WAIT = Duration.ofSeconds(60);

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
        // Today only (in PanPan's zone): the history ends yesterday, so what counts here is the live demo.
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
        String kpis = "http://127.0.0.1:" + httpPort + "/api/v1/kpis/sales/daily?from=" + today + "&to=" + today;

        launcher = up(data, pgPort, kafkaPort, httpPort, "--demo-interval-ms", "200");
        assertThat(output).anyMatch(line -> line.contains("Laid down PanPan's history"));
        firstScreenHasHistoryAndTheThreeGoals("http://127.0.0.1:" + httpPort, today);
        // Until the normalizer emits stock changes, the stock event a normalizer would write.
        publishLowStock("127.0.0.1:" + kafkaPort, "PAR-LAUNCH");
        await().atMost(Duration.ofSeconds(60)).until(() -> totalTransactions(kpis) >= 10);
        String slack = printedUrl("Slack stand-in");
        String mail = printedUrl("mail catcher");
        await().atMost(Duration.ofSeconds(90)).until(() -> Http.text(slack + "/messages").contains(
                "FIRING: Low stock at PAR-LAUNCH") && Http.text(mail).contains("[Levain] FIRING: Low stock at PAR-LAUNCH"));
        dashboardShowsEveryPanelFilled();
        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(4);
        assertThat(databaseLogins(pgPort)).as("who the running services connect as (DESIGN.md §3)")
                .containsExactlyInAnyOrder("levain_ingest_writer", "levain_normalize_writer", "levain_alert_writer",
                        "levain_api_writer");

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

    /**
     * The owner's first screen right after the first start: last year's figures to compare with, cohorts that come
     * back month after month, and the three goals with their progress, all read through the KPI API.
     */
    private void firstScreenHasHistoryAndTheThreeGoals(String api, LocalDate today) {
        String token = printedUrl("admin token (12 h):");
        JsonNode sales = Http.get(api + "/api/v1/kpis/sales?from=" + today.minusDays(28) + "&to=" + today.minusDays(1),
                token).body();
        assertThat(sales.at("/total/transactions").asLong()).isGreaterThan(1_000);
        assertThat(sales.at("/comparison/same_period_last_year/total/transactions").asLong())
                .as("the same period last year").isGreaterThan(1_000);
        assertThat(sales.get("by_store")).hasSize(3);

        JsonNode cohorts = Http.get(api + "/api/v1/kpis/customers/cohorts?from=" + today.minusMonths(12) + "&to="
                + today.minusMonths(1), token).body().get("cohorts");
        assertThat(cohorts).hasSizeGreaterThanOrEqualTo(12);
        JsonNode oldest = cohorts.get(0);
        assertThat(oldest.get("customers").asLong()).isPositive();
        assertThat(oldest.get("activity")).anyMatch(month -> month.get("months_after").asInt() >= 6
                && month.get("active_customers").asLong() > 0);

        JsonNode goals = Http.get(api + "/api/v1/goals", token).body().get("goals");
        assertThat(goals).extracting(goal -> goal.get("metric").asText())
                .containsExactlyInAnyOrder("net_sales", "inventory_value", "retention_rate");
        for (JsonNode goal : goals) {
            Http.Reply progress = Http.get(api + "/api/v1/goals/" + goal.get("id").asLong() + "/progress", token);
            assertThat(progress.status()).isEqualTo(200);
            assertThat(progress.body().get("baseline").decimalValue()).as("baseline of %s", goal.get("name"))
                    .isPositive();
            assertThat(progress.body().get("current").decimalValue()).isPositive();
            assertThat(progress.body().get("series")).isNotEmpty();
        }
    }

    /**
     * The printed dashboard link in a browser: every panel shows figures, none says "not available", each table has
     * rows, the three goals are drawn; the picture is kept as target/dashboard-after-levain-up.png.
     */
    private void dashboardShowsEveryPanelFilled() throws IOException {
        try (Chromium chromium = new Chromium()) {
            chromium.open(printedUrl("dashboard"));
            chromium.until(PANEL_WAIT, page -> page.findElements(By.cssSelector("#today-stores > *")).size() >= 3);
            for (String panel : List.of("month", "daily", "monthly", "store-customers", "turnover", "alerts", "customers",
                    "stock", "goals", "stores-admin")) {
                chromium.until(PANEL_WAIT, page -> page.findElement(By.id(panel + "-body")).isDisplayed());
                assertThat(chromium.shown(panel + "-unavailable")).as("%s says it is not available", panel).isFalse();
            }
            for (String table : List.of("month-table", "daily-table", "monthly-table", "store-customers-table",
                    "turnover-table", "turnover-slowest-table", "turnover-fastest-table", "alerts-table",
                    "customers-table", "stock-table", "stores-admin-table")) {
                List<String> rows = chromium.until(PANEL_WAIT, page -> {
                    List<String> texts = page.findElements(By.cssSelector("#" + table + " tbody tr")).stream()
                            .map(row -> row.getText()).toList();
                    return texts.isEmpty() ? null : texts;
                });
                assertThat(rows).as("rows of %s", table).noneMatch(row -> row.startsWith("None"));
            }
            chromium.until(PANEL_WAIT, page -> page.findElements(By.cssSelector("#goals-body article.goal")).size() == 3);
            chromium.screenshot(Path.of("target", "dashboard-after-levain-up.png"));
        }
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

    /** The roles connected to the database, this test's own superuser session aside. */
    private static List<String> databaseLogins(int pgPort) throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/"
                + PostgresServer.DATABASE, PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
             Statement sql = admin.createStatement();
             ResultSet rows = sql.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity "
                     + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            List<String> logins = new ArrayList<>();
            while (rows.next()) {
                logins.add(rows.getString(1));
            }
            return logins;
        }
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
