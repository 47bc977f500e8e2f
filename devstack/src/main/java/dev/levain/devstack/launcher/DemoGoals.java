package dev.levain.devstack.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * PanPan's three goals, created through the KPI API beside the demo's history: monthly revenue +15 % by the
 * end of this quarter, inventory costs −10 % and the customer retention rate +20 % in six months. Each
 * measures against the month before this quarter began (a baseline the history covers), as an owner setting
 * them at the start of the quarter would have; their progress then has a curve from the history on.
 */
public final class DemoGoals {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ZoneId PANPAN = ZoneId.of("Europe/Paris");

    private DemoGoals() {
    }

    /** The goals' JSON bodies, for {@code today} in Paris. */
    static List<String> goals(LocalDate today) {
        LocalDate quarterStart = today.with(IsoFields.DAY_OF_QUARTER, 1);
        LocalDate baselineFrom = quarterStart.minusMonths(1);
        LocalDate baselineTo = quarterStart.minusDays(1);
        LocalDate quarterEnd = quarterStart.plusMonths(3).minusDays(1);
        LocalDate halfYear = baselineTo.plusMonths(6).with(TemporalAdjusters.lastDayOfMonth());
        return List.of(
                goal("Monthly revenue +15% this quarter", "net_sales", baselineFrom, baselineTo, 15, quarterEnd),
                goal("Inventory costs -10% in 6 months", "inventory_value", baselineFrom, baselineTo, -10, halfYear),
                goal("Customer retention +20% in 6 months", "retention_rate", baselineFrom, baselineTo, 20, halfYear));
    }

    /** Creates the goals unless the API already has some (a restart, or goals of the owner's own). */
    public static void create(String apiUrl, String adminToken) {
        String goals = apiUrl + "/api/v1/goals";
        HttpResponse<String> existing = send(HttpRequest.newBuilder(URI.create(goals)).GET(), adminToken);
        if (existing.statusCode() != 200) {
            throw new IllegalStateException("api-service answered " + existing.statusCode() + " listing goals");
        }
        if (existing.body().contains("\"id\"")) {
            return;
        }
        for (String goal : goals(LocalDate.now(PANPAN))) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(goals))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(goal, StandardCharsets.UTF_8)), adminToken);
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Demo goal refused (" + created.statusCode() + "): " + created.body());
            }
        }
    }

    private static String goal(String name, String metric, LocalDate from, LocalDate to, int changePercent,
                               LocalDate deadline) {
        return """
                {"name": "%s", "metric": "%s", "stores": [], "baseline_from": "%s", "baseline_to": "%s",
                 "target_change_percent": %d, "deadline": "%s"}""".formatted(name, metric, from, to, changePercent,
                deadline);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        try {
            return HTTP.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("api-service unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
