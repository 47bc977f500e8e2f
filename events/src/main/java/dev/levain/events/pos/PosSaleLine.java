package dev.levain.events.pos;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/** One line of a {@link PosSale}: quantity of one SKU at a unit price, with an optional discount. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PosSaleLine(
        String sku,
        String name,
        BigDecimal quantity,
        BigDecimal unitPrice,
        BigDecimal discount) {
}
