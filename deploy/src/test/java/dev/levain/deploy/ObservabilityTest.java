package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levain.devstack.test.ExposedMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an operator installs to watch Levain (issue 18): every service scraped, the alert rules and the
 * dashboard valid for the Prometheus Operator 0.93.0 and reading only metrics the services' own tests
 * saw them expose (each module's exposed-metrics.txt), every alert explained in deploy/README.md, and
 * logs as JSON in production.
 */
class ObservabilityTest {

    private static final List<String> SERVICES = List.of("ingest-service", "normalize-service", "alert-service",
            "api-service");

    /** Metrics of Prometheus itself and of kube-state-metrics, which every cluster with the operator has. */
    private static final Set<String> PLATFORM_METRICS = Set.of("up", "kube_pod_container_status_restarts_total");

    private static CrdSchemas prometheusOperator;

    @BeforeAll
    static void loadCrds() {
        prometheusOperator = CrdSchemas.prometheusOperator();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsScrapedOnItsHttpPort(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        List<JsonNode> monitors = manifests.ofKind("PodMonitor");
        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            if (!SERVICES.contains(DeployConsistencyTest.module(deployment))) {
                continue;
            }
            JsonNode pod = deployment.at("/spec/template");
            List<JsonNode> scraping = monitors.stream()
                    .filter(monitor -> DeployConsistencyTest.selects(monitor.at("/spec/selector/matchLabels"), pod.at("/metadata/labels")))
                    .toList();
            assertThat(scraping).as(Manifests.describe(deployment) + " is scraped by one PodMonitor").hasSize(1);
            JsonNode endpoint = scraping.get(0).at("/spec/podMetricsEndpoints/0");
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
            assertThat(pod.at("/spec/containers/0/ports").findValuesAsText("name")).contains(endpoint.path("port").asText());
            assertThat(scraping.get(0).at("/spec/jobLabel").asText()).isEqualTo("app.kubernetes.io/component");
        }

        JsonNode scrape = manifests.named("NetworkPolicy", "allow-prometheus-scrape");
        assertThat(scrape.at("/spec/ingress").size()).isEqualTo(1);
        assertThat(scrape.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
        assertThat(scrape.at("/spec/ingress/0/ports").findValuesAsText("port")).containsExactly("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void monitoringObjectsConformToThePrometheusOperatorCrds(String overlay) {
        Manifests manifests = Manifests.build(overlay);
        List<JsonNode> objects = new ArrayList<>(manifests.ofKind("PodMonitor"));
        objects.addAll(manifests.ofKind("PrometheusRule"));
        assertThat(objects).hasSize(5);
        for (JsonNode object : objects) {
            assertThat(prometheusOperator.violations(object)).as(Manifests.describe(object)).isEmpty();
        }
    }

    @Test
    void misspelledOrMistypedMonitoringFieldsAreRejected() {
        Manifests dev = Manifests.build("dev");
        ObjectNode monitor = dev.named("PodMonitor", "api").deepCopy();
        ((ObjectNode) monitor.at("/spec/podMetricsEndpoints/0")).put("prt", "http");
        assertThat(prometheusOperator.violations(monitor)).singleElement().asString().contains("prt");

        ObjectNode rule = dev.named("PrometheusRule", "levain").deepCopy();
        ((ObjectNode) rule.at("/spec/groups/0/rules/0")).put("fr", "5m");
        ((ObjectNode) rule.at("/spec/groups/0")).put("interval", 30);
        assertThat(prometheusOperator.violations(rule)).hasSize(2)
                .anyMatch(p -> p.contains("fr")).anyMatch(p -> p.contains("interval"));
    }

    /**
     * Every metric an alert rule or a dashboard panel reads is listed in a service's exposed-metrics.txt,
     * which that service's test compares with its /q/metrics, or is Prometheus' or kube-state-metrics' own.
     */
    @Test
    void alertsAndDashboardReadOnlyExposedMetrics() {
        Manifests manifests = Manifests.build("prod");
        Set<String> exposed = new HashSet<>(PLATFORM_METRICS);
        SERVICES.forEach(module -> exposed.addAll(listed(module)));

        List<String> expressions = new ArrayList<>(ruleExpressions(manifests));
        List<String> panels = dashboardExpressions(manifests);
        assertThat(panels).hasSizeGreaterThan(10);
        expressions.addAll(panels);
        Set<String> unknown = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> names = PromQl.metricNames(expression);
            assertThat(names).as(expression).isNotEmpty();
            names.stream().filter(name -> !exposed.contains(name)).forEach(unknown::add);
        }
        assertThat(unknown).as("metrics no service exposes (see each module's " + ExposedMetrics.FILE + ")").isEmpty();
    }

    @Test
    void promQlReaderFindsMetricNamesAndRefusesWhatItCannotRead() {
        assertThat(PromQl.metricNames("sum by (topic) (rate(levain_normalize_records_total{topic=~\"a|b\"}[5m])) "
                + "/ on (topic) group_left max(levain_x) > 0.05 and deriv(sum(lag)[10m:1m]) > 0"))
                .containsExactly("lag", "levain_normalize_records_total", "levain_x");
        assertThatThrownBy(() -> PromQl.metricNames("rat(levain_ingest_events_total[5m])"))
                .hasMessageContaining("unknown function rat");
        assertThatThrownBy(() -> PromQl.metricNames("sum(rate(levain_ingest_events_total[5m])"))
                .hasMessageContaining("unbalanced");
    }

    /** The alerts issue 18 asks for exist, and deploy/README.md's "Operating Levain" names each of them. */
    @Test
    void everyAlertIsExplainedInTheReadme() throws IOException {
        Set<String> alerts = new TreeSet<>();
        Manifests.build("prod").ofKind("PrometheusRule").forEach(rule ->
                rule.at("/spec/groups").forEach(group -> group.path("rules").forEach(r -> alerts.add(r.path("alert").asText()))));
        assertThat(alerts).contains("LevainIngestUnavailable", "LevainIngestServerErrors", "LevainNormalizerLagGrowing",
                "LevainDeadLetters", "LevainOutboxNotDraining", "LevainKpiLatencyOverTarget", "LevainPodRestarting");

        String readme = Files.readString(Manifests.deployDir().resolve("README.md"));
        Matcher section = Pattern.compile("## Operating Levain\n(.*?)(\n## |\\z)", Pattern.DOTALL).matcher(readme);
        assertThat(section.find()).as("deploy/README.md has a section Operating Levain").isTrue();
        Set<String> explained = new TreeSet<>();
        Pattern.compile("^### `(Levain\\w+)`", Pattern.MULTILINE).matcher(section.group(1)).results()
                .forEach(m -> explained.add(m.group(1)));
        assertThat(explained).isEqualTo(alerts);
    }

    @Test
    void dashboardHasTheFreshnessAndOneRowPerService() {
        JsonNode dashboard = dashboard(Manifests.build("prod"));
        List<String> rows = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            if (panel.path("type").asText().equals("row")) {
                rows.add(panel.path("title").asText());
            }
        });
        assertThat(rows).startsWith("Pipeline freshness").containsAll(SERVICES);
    }

    /** Logs are one JSON object a line in production, naming their service, and readable text elsewhere. */
    @Test
    void everyServiceLogsJsonInProductionAndTextInDevAndTest() {
        for (String module : SERVICES) {
            ServiceSettings settings = ServiceSettings.of(module);
            assertThat(settings.prod("quarkus.log.console.json.enabled")).as(module).isEqualTo("true");
            assertThat(settings.properties().getProperty("quarkus.log.console.json.enabled")).as(module).isEqualTo("false");
            assertThat(settings.properties().getProperty("%dev.quarkus.log.console.json.enabled")).as(module).isNull();
            assertThat(settings.properties().getProperty("%test.quarkus.log.console.json.enabled")).as(module).isNull();
            assertThat(settings.prod("quarkus.log.console.json.additional-field.service.value")).as(module)
                    .isEqualTo(module);
        }
    }

    private static Set<String> listed(String module) {
        try {
            return ExposedMetrics.listed(Files.readString(
                    Manifests.root().resolve(module).resolve("src/test/resources").resolve(ExposedMetrics.FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> ruleExpressions(Manifests manifests) {
        List<String> expressions = new ArrayList<>();
        manifests.ofKind("PrometheusRule").forEach(rule -> rule.at("/spec/groups").forEach(group ->
                group.path("rules").forEach(r -> expressions.add(r.path("expr").asText()))));
        assertThat(expressions).isNotEmpty();
        return expressions;
    }

    private static List<String> dashboardExpressions(Manifests manifests) {
        List<String> expressions = new ArrayList<>();
        dashboard(manifests).path("panels").forEach(panel ->
                panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }

    private static JsonNode dashboard(Manifests manifests) {
        JsonNode configMap = manifests.named("ConfigMap", "levain-dashboard");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        try {
            return Manifests.JSON.readTree(configMap.at("/data/levain-dashboard.json").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
