package dev.levain.devstack.simulator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * PanPan's reference data as its outside systems know it: 3 stores, ~40 products with price, unit
 * cost and reorder point, and a pool of returning customers. Every simulator draws from here so that
 * the POS, the CRM and the inventory system agree with each other.
 */
public final class PanPanCatalog {

    /** A PanPan location; {@code code} is the store code Levain uses, {@code squareId} the POS location id. */
    public record Store(String code, String squareId, String name, String timezone) {
    }

    /** A product; money in euros, {@code reorderPoint} in units per store. */
    public record Product(String sku, String name, String category, BigDecimal price, BigDecimal unitCost,
                          int reorderPoint) {

        /** The price in cents, as Square and other POS APIs carry money. */
        public long priceCents() {
            return price.movePointRight(2).longValueExact();
        }
    }

    /** A customer as the CRM holds them. */
    public record Customer(String crmId, String givenName, String familyName, String email, String phone) {
    }

    /** PanPan's opening hours, the same in every store, as core.store keeps them (local times). */
    public static final String OPENING_HOURS = "{\"mon\":[[\"07:00\",\"20:00\"]],\"tue\":[[\"07:00\",\"20:00\"]],"
            + "\"wed\":[[\"07:00\",\"20:00\"]],\"thu\":[[\"07:00\",\"20:00\"]],\"fri\":[[\"07:00\",\"20:00\"]],"
            + "\"sat\":[[\"07:00\",\"20:00\"]],\"sun\":[[\"07:30\",\"13:30\"]]}";

    public static final List<Store> STORES = List.of(
            new Store("PAR-BASTILLE", "L1BASTILLE", "PanPan Bastille", "Europe/Paris"),
            new Store("PAR-MONTMARTRE", "L2MONTMARTRE", "PanPan Montmartre", "Europe/Paris"),
            new Store("PAR-DELIVERY", "L3DELIVERY", "PanPan Livraison", "Europe/Paris"));

    public static final List<Product> PRODUCTS = List.of(
            product("BAGUETTE", "Baguette tradition", "bread", "1.30", "0.35", 60),
            product("BAGUETTE-BLANCHE", "Baguette blanche", "bread", "1.10", "0.28", 40),
            product("CAMPAGNE", "Pain de campagne", "bread", "4.20", "1.10", 12),
            product("COMPLET", "Pain complet", "bread", "3.90", "1.05", 10),
            product("SEIGLE", "Pain de seigle", "bread", "4.40", "1.20", 8),
            product("CEREALES", "Pain aux céréales", "bread", "4.60", "1.30", 8),
            product("FICELLE", "Ficelle", "bread", "0.90", "0.22", 20),
            product("FOUGASSE", "Fougasse aux olives", "bread", "3.80", "1.15", 6),
            product("PAIN-MIE", "Pain de mie", "bread", "3.50", "0.95", 6),
            product("CROISSANT", "Croissant au beurre", "viennoiserie", "1.40", "0.38", 50),
            product("PAIN-CHOC", "Pain au chocolat", "viennoiserie", "1.50", "0.42", 50),
            product("PAIN-RAISINS", "Pain aux raisins", "viennoiserie", "1.70", "0.48", 20),
            product("CHAUSSON", "Chausson aux pommes", "viennoiserie", "2.20", "0.61", 15),
            product("BRIOCHE", "Brioche", "viennoiserie", "5.80", "1.70", 6),
            product("BRIOCHE-SUCRE", "Brioche au sucre", "viennoiserie", "1.60", "0.45", 15),
            product("KOUIGN", "Kouign-amann", "viennoiserie", "3.20", "0.95", 8),
            product("CROISSANT-AMANDE", "Croissant aux amandes", "viennoiserie", "2.60", "0.80", 12),
            product("ECLAIR", "Éclair au café", "patisserie", "3.60", "1.05", 10),
            product("ECLAIR-CHOC", "Éclair au chocolat", "patisserie", "3.60", "1.05", 10),
            product("TARTE-CITRON", "Tarte au citron", "patisserie", "4.10", "1.25", 8),
            product("TARTE-FRAISE", "Tarte aux fraises", "patisserie", "4.80", "1.60", 6),
            product("TARTE-POMME", "Tarte fine aux pommes", "patisserie", "3.90", "1.10", 6),
            product("FLAN", "Flan pâtissier", "patisserie", "3.20", "0.85", 10),
            product("PARIS-BREST", "Paris-Brest", "patisserie", "4.90", "1.55", 6),
            product("MILLEFEUILLE", "Mille-feuille", "patisserie", "4.50", "1.40", 6),
            product("OPERA", "Opéra", "patisserie", "4.70", "1.50", 5),
            product("MACARON", "Macaron", "patisserie", "1.90", "0.55", 30),
            product("CANNELE", "Cannelé", "patisserie", "2.10", "0.50", 15),
            product("MADELEINE", "Madeleine", "patisserie", "0.90", "0.20", 30),
            product("FINANCIER", "Financier", "patisserie", "1.20", "0.30", 20),
            product("COOKIE", "Cookie chocolat", "patisserie", "2.30", "0.55", 15),
            product("SANDWICH", "Jambon-beurre", "snacking", "5.50", "1.90", 15),
            product("SANDWICH-POULET", "Sandwich poulet crudités", "snacking", "6.20", "2.20", 12),
            product("QUICHE", "Quiche lorraine", "snacking", "4.90", "1.60", 8),
            product("CROQUE", "Croque-monsieur", "snacking", "5.20", "1.75", 8),
            product("SALADE", "Salade du jour", "snacking", "7.50", "2.60", 6),
            product("CAFE", "Café", "boissons", "1.80", "0.25", 100),
            product("CAFE-CREME", "Café crème", "boissons", "3.00", "0.45", 50),
            product("JUS-ORANGE", "Jus d'orange pressé", "boissons", "3.80", "1.10", 20),
            product("EAU", "Eau minérale 50 cl", "boissons", "1.50", "0.30", 30));

    public static final List<Customer> CUSTOMERS = customers(120);

    private PanPanCatalog() {
    }

    public static Product product(String sku) {
        return PRODUCTS.stream().filter(p -> p.sku().equals(sku)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No PanPan product " + sku));
    }

    private static Product product(String sku, String name, String category, String price, String cost, int reorder) {
        return new Product(sku, name, category, new BigDecimal(price), new BigDecimal(cost), reorder);
    }

    private static List<Customer> customers(int count) {
        String[] given = {"Marie", "Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé", "Lucas", "Emma", "Nathan",
                "Inès", "Paul"};
        String[] family = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
                "Moreau"};
        List<Customer> customers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = given[i % given.length];
            String last = family[(i / given.length) % family.length];
            customers.add(new Customer("CRM-%04d".formatted(i + 1), first, last,
                    "client%d@panpan.example".formatted(i), "+336%08d".formatted(10_000_000 + i * 7919)));
        }
        return List.copyOf(customers);
    }
}
