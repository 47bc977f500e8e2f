package dev.levain.alert.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.alert.service.Notification;
import dev.levain.alert.service.NotificationItem;
import dev.levain.events.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

    @Test
    void manyProductsAndLongNamesStayWithinSlackLimits() throws Exception {
        List<NotificationItem> items = IntStream.range(0, 120).mapToObj(i -> new NotificationItem(i, i, "firing", 1,
                "Low stock " + "x".repeat(4000), "low_stock", "PAR-01", "SKU-" + i, "Product " + "y".repeat(5000),
                BigDecimal.ONE, BigDecimal.TEN, Instant.now())).toList();
        Notification notification = new Notification(1, "slack", "g", "PAR-01", "firing", items, "pending", 0,
                Instant.now(), null, null, Instant.now(), null);

        JsonNode message = Json.mapper().readTree(SlackMessage.render(notification, "https://levain.example/"));

        assertThat(message.path("blocks").size()).isLessThanOrEqualTo(50);
        for (JsonNode block : message.path("blocks")) {
            int max = "header".equals(block.path("type").asText()) ? 150 : 3000;
            assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(max);
        }
        assertThat(message.path("text").asText()).startsWith(":red_circle: FIRING: Low stock at PAR-01 (120 products)");
        assertThat(message.toString()).contains("…and 74 more", "<https://levain.example/|Open the Levain dashboard>");
    }

    @Test
    void slackControlCharactersAreEscaped() throws Exception {
        NotificationItem item = new NotificationItem(1, 1, "resolved", 1, "<!channel> & co", "out_of_stock", "PAR-01",
                "PIE", "Apple <pie>", BigDecimal.ONE, BigDecimal.ZERO, Instant.now());
        Notification notification = new Notification(1, "slack", "g", "PAR-01", "resolved", List.of(item), "pending", 0,
                Instant.now(), null, null, Instant.now(), null);

        String section = Json.mapper().readTree(SlackMessage.render(notification, "https://x/")).path("blocks").get(1)
                .path("text").path("text").asText();

        assertThat(section).contains("Apple &lt;pie&gt;", "&lt;!channel&gt; &amp; co").doesNotContain("<!channel>");
    }
}
