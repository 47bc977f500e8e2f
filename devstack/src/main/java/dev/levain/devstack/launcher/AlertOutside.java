package dev.levain.devstack.launcher;

import dev.levain.devstack.simulator.mail.MailCatcher;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where alert-service's messages go in {@code levain up}: a Slack stand-in and a mail catcher, both
 * viewable in a browser; plus the demo rules, made through the admin API so that falling stock, quiet tills,
 * an unusual day and customers falling away raise alerts.
 */
public final class AlertOutside implements AutoCloseable {

    public static final String MAIL_TO = "owner@panpan.example";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> DEMO_RULES = List.of(
            "{\"name\": \"Low stock (reorder point)\", \"kind\": \"low_stock\"}",
            "{\"name\": \"Out of stock\", \"kind\": \"out_of_stock\"}",
            "{\"name\": \"Till silent 20 min while open\", \"kind\": \"store_silent\", \"silent_minutes\": 20}",
            "{\"name\": \"Pipeline health\", \"kind\": \"pipeline_health\", \"max_lag\": 5000, \"max_dead_letters\": 20}",
            "{\"name\": \"Unusual day (±50% of the same weekday)\", \"kind\": \"sales_unusual\", \"metric\": \"net_sales\", "
                    + "\"period\": \"day\", \"tolerance_pct\": 50}",
            "{\"name\": \"Retention down 20% on the month before\", \"kind\": \"customer_change\", "
                    + "\"metric\": \"retention\", \"period\": \"month\", \"drop_pct\": 20}");

    private final SlackStandIn slack;
    private final MailCatcher mail;

    private AlertOutside(SlackStandIn slack, MailCatcher mail) {
        this.slack = slack;
        this.mail = mail;
    }

    public static AlertOutside start() {
        SlackStandIn slack = SlackStandIn.start(0);
        try {
            return new AlertOutside(slack, MailCatcher.start());
        } catch (RuntimeException e) {
            slack.close();
            throw e;
        }
    }

    /** The environment that points alert-service at these, with short demo timings. */
    public Map<String, String> alertEnvironment(WebhookSecrets secrets, String dashboardUrl) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LEVAIN_ALERT_ADMIN_TOKEN", secrets.alertAdminToken());
        environment.put("LEVAIN_ALERT_DASHBOARD_URL", dashboardUrl);
        environment.put("LEVAIN_ALERT_SLACK_WEBHOOK_URL", slack.webhookUrl());
        environment.put("LEVAIN_ALERT_EMAIL_TO", MAIL_TO);
        environment.putAll(mailEnvironment());
        // Demo pace: alerts within a minute of the stock falling, reminders every 15 minutes.
        environment.put("LEVAIN_ALERT_PENDING_PERIOD", "PT20S");
        environment.put("LEVAIN_ALERT_COOLDOWN", "PT2M");
        environment.put("LEVAIN_ALERT_REPEAT_INTERVAL", "PT15M");
        environment.put("LEVAIN_ALERT_GROUP_WAIT", "PT10S");
        environment.put("LEVAIN_ALERT_EVALUATION_INTERVAL", "5s");
        return environment;
    }

    /**
     * The environment that sends api-service's weekly sales report to the owner through the same mail catcher.
     * Its first check waits two minutes: by then the demo's history is laid down, and last week's report, owed
     * at once, has its figures.
     */
    public Map<String, String> reportEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(mailEnvironment());
        environment.put("LEVAIN_API_REPORT_RECIPIENTS", MAIL_TO);
        environment.put("LEVAIN_API_REPORT_CHECK_DELAY", "2m");
        return environment;
    }

    private Map<String, String> mailEnvironment() {
        return Map.of("LEVAIN_SMTP_HOST", "127.0.0.1",
                "LEVAIN_SMTP_PORT", Integer.toString(mail.smtpPort()),
                "LEVAIN_SMTP_START_TLS", "DISABLED");
    }

    /** Creates the demo rules unless the data directory already has rules (a restart keeps them). */
    public void seedDemoRules(String alertUrl, WebhookSecrets secrets) {
        String rules = alertUrl + "/api/v1/alerts/rules";
        HttpResponse<String> existing = send(HttpRequest.newBuilder(URI.create(rules + "?size=1")), secrets);
        if (existing.statusCode() != 200) {
            throw new IllegalStateException("alert-service answered " + existing.statusCode() + " listing rules");
        }
        if (existing.body().contains("\"id\"")) {
            return;
        }
        for (String rule : DEMO_RULES) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(rules))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(rule, StandardCharsets.UTF_8)), secrets);
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Demo rule refused (" + created.statusCode() + "): " + created.body());
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, WebhookSecrets secrets) {
        try {
            return HTTP.send(request.header("Authorization", "Bearer " + secrets.alertAdminToken())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("alert-service unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    public SlackStandIn slack() {
        return slack;
    }

    public MailCatcher mail() {
        return mail;
    }

    @Override
    public void close() {
        try {
            slack.close();
        } finally {
            mail.close();
        }
    }
}
