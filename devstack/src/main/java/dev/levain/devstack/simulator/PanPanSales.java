package dev.levain.devstack.simulator;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/** PanPan's sales as its tills would send them: 3 stores, 12 products, a pool of returning customers. */
public final class PanPanSales {

    private static final List<String> STORES = List.of("PAR-BASTILLE", "PAR-MONTMARTRE", "PAR-DELIVERY");
    private static final List<Product> CATALOG = List.of(
            new Product("BAGUETTE", "Baguette tradition", "1.30"),
            new Product("CROISSANT", "Croissant au beurre", "1.40"),
            new Product("PAIN-CHOC", "Pain au chocolat", "1.50"),
            new Product("CAMPAGNE", "Pain de campagne", "4.20"),
            new Product("BRIOCHE", "Brioche", "5.80"),
            new Product("ECLAIR", "Éclair au café", "3.60"),
            new Product("TARTE-CITRON", "Tarte au citron", "4.10"),
            new Product("FLAN", "Flan pâtissier", "3.20"),
            new Product("CHAUSSON", "Chausson aux pommes", "2.20"),
            new Product("SANDWICH", "Jambon-beurre", "5.50"),
            new Product("QUICHE", "Quiche lorraine", "4.90"),
            new Product("MACARON", "Macaron", "1.90"));

    private record Product(String sku, String name, String price) {
    }

    /** One line of a simulated sale. */
    public record Line(String sku, String name, int quantity, BigDecimal unitPrice) {
    }

    /** One simulated sale, in Levain's native POS format by {@link #toJson()}. */
    public record Sale(String storeCode, String saleId, OffsetDateTime occurredAt, String customerEmail, List<Line> lines) {

        public String toJson() {
            String customer = customerEmail == null ? "" : "\"customer_email\": \"" + customerEmail + "\", ";
            String items = lines.stream()
                    .map(l -> "{\"sku\": \"%s\", \"name\": \"%s\", \"quantity\": %d, \"unit_price\": %s}"
                            .formatted(l.sku(), l.name(), l.quantity(), l.unitPrice()))
                    .collect(Collectors.joining(","));
            return "{\"store_code\": \"%s\", \"sale_id\": \"%s\", \"occurred_at\": \"%s\", \"currency\": \"EUR\", %s\"lines\": [%s]}"
                    .formatted(storeCode, saleId, occurredAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), customer, items);
        }
    }

    private final Random random;

    public PanPanSales(Random random) {
        this.random = random;
    }

    /** A sale at {@code at} with between {@code minLines} and {@code maxLines} lines. */
    public Sale next(OffsetDateTime at, int minLines, int maxLines) {
        String store = STORES.get(random.nextInt(STORES.size()));
        // Two customers in three are identified; a small pool makes most of them return.
        String customer = random.nextInt(3) == 0 ? null : "client" + random.nextInt(60) + "@panpan.example";
        List<Line> lines = new ArrayList<>();
        int count = minLines + random.nextInt(maxLines - minLines + 1);
        for (int i = 0; i < count; i++) {
            Product product = CATALOG.get(random.nextInt(CATALOG.size()));
            lines.add(new Line(product.sku(), product.name(), 1 + random.nextInt(3), new BigDecimal(product.price())));
        }
        return new Sale(store, UUID.randomUUID().toString(), at, customer, lines);
    }
}
